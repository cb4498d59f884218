-- Secret tokens of subscribable calendar feeds, one per employee of a unit. Only the
-- SHA-256 of a token is kept; rotating replaces the hash, revoking deletes the row.
CREATE TABLE calendar_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    employee_id BIGINT NOT NULL UNIQUE REFERENCES employees (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX calendar_tokens_unit ON calendar_tokens (unit_id);
