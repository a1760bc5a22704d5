DROP INDEX ix_account_region;
