ALTER TABLE model_stage ADD CONSTRAINT uq_model_stage_name UNIQUE (name);
