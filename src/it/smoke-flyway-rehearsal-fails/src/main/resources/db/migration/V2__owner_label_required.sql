-- every owner needs a label from this release on
ALTER TABLE owner ALTER COLUMN label SET NOT NULL;
