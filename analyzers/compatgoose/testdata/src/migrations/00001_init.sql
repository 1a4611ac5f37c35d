-- +goose Up
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    status text
);

-- +goose Down
DROP TABLE orders;
