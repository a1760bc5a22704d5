CREATE TABLE model_metadata (
    id BIGINT PRIMARY KEY,
    name VARCHAR(${name_length}) NOT NULL,
    version VARCHAR(20) NOT NULL
);
