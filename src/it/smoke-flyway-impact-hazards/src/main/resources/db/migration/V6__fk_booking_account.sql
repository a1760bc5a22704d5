ALTER TABLE booking ADD CONSTRAINT fk_booking_account FOREIGN KEY (account_id) REFERENCES account (id);
