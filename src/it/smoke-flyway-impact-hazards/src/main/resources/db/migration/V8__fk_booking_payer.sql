ALTER TABLE booking ADD CONSTRAINT fk_booking_payer FOREIGN KEY (payer_id) REFERENCES account (id) NOT VALID;
