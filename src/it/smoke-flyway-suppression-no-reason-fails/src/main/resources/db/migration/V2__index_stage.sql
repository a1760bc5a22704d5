CREATE INDEX idx_stage ON model_stage (stage);
-- migration-safety:ignore smoke.impact.index-not-concurrent
