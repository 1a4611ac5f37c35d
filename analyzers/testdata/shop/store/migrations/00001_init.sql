-- +goose Up
CREATE TYPE order_status AS ENUM ('open', 'paid');
CREATE TABLE orders (
    id text PRIMARY KEY,
    status order_status NOT NULL,
    note text
);

-- +goose Down
DROP TABLE orders;
DROP TYPE order_status;
