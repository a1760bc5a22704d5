CREATE INDEX ix_account_email ON account (email);
