ALTER TABLE account ADD CONSTRAINT uq_account_email UNIQUE (email);
