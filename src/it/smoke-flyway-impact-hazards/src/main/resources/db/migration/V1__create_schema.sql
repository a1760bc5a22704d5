-- released: account and booking exist in production, with rows; H2 fails on the first INSERT (generate_series(...) g, a column named after its alias, is PostgreSQL's)
CREATE TYPE mood AS ENUM ('happy', 'sad');

CREATE TABLE account (
    id BIGINT PRIMARY KEY,
    email VARCHAR(200),
    region VARCHAR(20),
    score INT,
    balance INT,
    legacy_code VARCHAR(20),
    feeling mood
);
CREATE INDEX ix_account_region ON account (region);

CREATE TABLE booking (
    id BIGINT PRIMARY KEY,
    account_id BIGINT,
    payer_id BIGINT,
    room INT
);
CREATE INDEX ix_booking_account ON booking (account_id);

INSERT INTO account (id, email, region, score, balance, legacy_code, feeling)
SELECT g, 'user' || g || '@example.com', 'r' || (g % 10), 1 + g % 100, g, 'c' || g, 'happy'
FROM generate_series(1, 5000) g;

INSERT INTO booking (id, account_id, payer_id, room)
SELECT g, 1 + g % 5000, 1 + (g * 7) % 5000, g
FROM generate_series(1, 5000) g;
