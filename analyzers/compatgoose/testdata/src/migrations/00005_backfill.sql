-- +goose Up
ALTER TABLE orders ADD COLUMN total bigint;
