REINDEX INDEX ix_booking_account;
