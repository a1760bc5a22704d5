-- BRIN is PostgreSQL's; H2 does not know it
CREATE INDEX idx_model_metadata_id_brin ON model_metadata USING brin (id);
