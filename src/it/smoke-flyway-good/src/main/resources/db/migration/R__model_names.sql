CREATE OR REPLACE VIEW model_names AS SELECT DISTINCT name FROM model_metadata;
-- the audit table is ${audit_table}
