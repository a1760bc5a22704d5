CLUSTER booking USING booking_pkey;
