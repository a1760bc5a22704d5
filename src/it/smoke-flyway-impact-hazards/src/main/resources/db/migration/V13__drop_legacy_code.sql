ALTER TABLE account DROP COLUMN legacy_code;
