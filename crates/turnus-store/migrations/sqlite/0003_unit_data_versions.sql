-- Row versions on a unit's staff, shift types and demand rows, which schedulers now edit in
-- forms: an update names the version it read, so two editors never overwrite each other.
ALTER TABLE employees ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE shift_types ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE demand_rows ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
