-- +goose Up
ALTER TYPE order_status ADD VALUE 'refunded';
