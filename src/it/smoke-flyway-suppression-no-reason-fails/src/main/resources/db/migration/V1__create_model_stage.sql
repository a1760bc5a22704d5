CREATE TABLE model_stage (
  id BIGINT PRIMARY KEY,
  name VARCHAR(50) NOT NULL,
  stage VARCHAR(20)
);
