CREATE TABLE model_metadata(id BIGINT PRIMARY KEY, name VARCHAR(100), version VARCHAR(20),
    created_at TIMESTAMP WITH TIME ZONE, payload VARCHAR(100));
