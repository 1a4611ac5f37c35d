CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_email varchar(100) NOT NULL,
    status text NOT NULL,
    note text,
    created_at timestamptz NOT NULL DEFAULT now()
);
