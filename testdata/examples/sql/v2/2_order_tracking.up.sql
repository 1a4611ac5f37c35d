SET lock_timeout = '5s';

-- Additive: a nullable column and a new table.
ALTER TABLE orders ADD COLUMN tracking_number text;
CREATE TABLE shipments (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id)
);

-- Read-tolerant: old readers may meet longer addresses than they ever saw.
ALTER TABLE orders ALTER COLUMN customer_email TYPE varchar(255);

-- Breaking: the old release still writes note, and old readers select it.
ALTER TABLE orders DROP COLUMN note;

-- Hazard: blocks writes to orders while the index builds.
CREATE INDEX orders_status_idx ON orders (status);
