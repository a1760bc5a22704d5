CREATE TABLE model_metadata (
    id BIGINT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    version VARCHAR(50)
);
