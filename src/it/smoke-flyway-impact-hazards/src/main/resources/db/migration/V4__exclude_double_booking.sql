ALTER TABLE booking ADD CONSTRAINT ex_booking_room EXCLUDE USING btree (room WITH =);
