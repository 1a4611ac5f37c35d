-- +goose Up
CREATE TABLE (;
