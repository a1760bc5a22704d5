ALTER TABLE model_metadata ADD COLUMN owner VARCHAR(50);

ALTER TABLE model_metdata ADD CONSTRAINT uq_model_metadata_name_version UNIQUE (name, version);
