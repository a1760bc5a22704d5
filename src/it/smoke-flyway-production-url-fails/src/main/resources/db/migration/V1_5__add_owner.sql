ALTER TABLE model_metadata ADD COLUMN owner VARCHAR(50);
