ALTER TABLE model_metadata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version);
