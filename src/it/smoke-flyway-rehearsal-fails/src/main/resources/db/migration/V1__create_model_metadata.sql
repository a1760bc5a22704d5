CREATE TABLE owner (
  id BIGINT PRIMARY KEY,
  label VARCHAR(50)
);
CREATE TABLE model_metadata (
  id BIGINT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  version VARCHAR(50) NOT NULL,
  owner_id BIGINT REFERENCES owner (id)
);
