DROP INDEX orders_status_idx;
ALTER TABLE orders ADD COLUMN note text;
DROP TABLE shipments;
ALTER TABLE orders DROP COLUMN tracking_number;
