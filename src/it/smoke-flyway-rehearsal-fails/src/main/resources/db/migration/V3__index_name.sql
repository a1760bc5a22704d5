CREATE INDEX idx_name ON model_metadata (name);
