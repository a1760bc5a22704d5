ALTER TABLE model_metadata ADD COLUMN stage VARCHAR(20);
