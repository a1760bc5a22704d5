-- migration-safety:ignore smoke.impact.index-not-concurrent, smoke.impact.no-lock-timeout reason: model_stage has 200 rows; the build takes milliseconds
CREATE INDEX idx_stage ON model_stage (stage);
