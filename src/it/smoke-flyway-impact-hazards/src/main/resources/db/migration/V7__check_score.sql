ALTER TABLE account ADD CONSTRAINT ck_account_score CHECK (score > 0);
