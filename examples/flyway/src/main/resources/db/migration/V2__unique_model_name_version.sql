-- The constraint that duplicate rows would block in production: run migration-safety:dedupe against production
-- (dry run first) before this migration ships.
ALTER TABLE model_metadata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version);
