-- The demo's "production" database as it is before the migration: model_metadata without a unique
-- constraint on (name, version), and duplicate rows that would make the migration fail.
-- Run by H2 on every connection (INIT=RUNSCRIPT in the demo's URL); it only inserts into an empty table,
-- so rows the demo deletes stay deleted until `mvn clean`.
CREATE TABLE IF NOT EXISTS model_metadata (
    id          BIGINT PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    version     VARCHAR(50)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    notes       VARCHAR(1000)
);

INSERT INTO model_metadata (id, name, version, created_at, notes)
SELECT * FROM (VALUES
    (1, 'churn', '1', TIMESTAMP WITH TIME ZONE '2026-01-05 10:00:00+00', 'first training run'),
    (2, 'churn', '1', TIMESTAMP WITH TIME ZONE '2026-01-05 10:02:11+00', 'retry of the same run'),
    (3, 'churn', '2', TIMESTAMP WITH TIME ZONE '2026-02-10 08:30:00+00', 'new features'),
    (4, 'fraud', '1', TIMESTAMP WITH TIME ZONE '2026-03-01 12:00:00+00', NULL),
    (5, 'fraud', '1', TIMESTAMP WITH TIME ZONE '2026-03-01 12:00:05+00', 'double submit'),
    (6, 'fraud', '1', TIMESTAMP WITH TIME ZONE '2026-03-01 12:00:09+00', 'double submit'),
    (7, 'Fraud', '1 ', TIMESTAMP WITH TIME ZONE '2026-03-02 09:00:00+00', 'case and whitespace differ')
) AS seed(id, name, version, created_at, notes)
WHERE NOT EXISTS (SELECT 1 FROM model_metadata);
