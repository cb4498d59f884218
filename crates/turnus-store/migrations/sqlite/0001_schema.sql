-- Turnus schema for SQLite. Instants are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (fixed width,
-- so text order is time order), civil dates 'YYYY-MM-DD', clock times 'HH:MM:SS'.
-- Keep this file and migrations/postgres/0001_schema.sql in step: same tables, columns,
-- constraints and triggers. AUTOINCREMENT keeps SQLite from reusing the id of a deleted row,
-- which audit rows may still name.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_at TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    time_zone TEXT NOT NULL DEFAULT 'Europe/Stockholm',
    preset TEXT NOT NULL DEFAULT 'ab' CHECK (preset IN ('ab', 'atl', 'benchmark')),
    publish_notice_days INTEGER NOT NULL DEFAULT 14 CHECK (publish_notice_days BETWEEN 0 AND 365),
    created_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX units_organisation ON units (organisation_id);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    external_id TEXT NOT NULL CHECK (length(external_id) > 0),
    name TEXT NOT NULL,
    employment_basis_points INTEGER NOT NULL CHECK (employment_basis_points BETWEEN 1 AND 10000),
    full_time_minutes INTEGER CHECK (full_time_minutes > 0),
    night_worker BOOLEAN NOT NULL DEFAULT FALSE,
    limits TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL,
    UNIQUE (unit_id, external_id)
);

CREATE TABLE employee_skills (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    skill TEXT NOT NULL CHECK (length(skill) > 0),
    valid_from TEXT,
    valid_to TEXT,
    CHECK ((valid_from IS NULL) = (valid_to IS NULL)),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX employee_skills_employee ON employee_skills (employee_id);

CREATE TABLE shift_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    code TEXT NOT NULL CHECK (length(code) > 0),
    name TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    break_minutes INTEGER NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
    skill TEXT,
    cannot_follow TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL,
    UNIQUE (unit_id, code)
);

CREATE TABLE demand_rows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    day TEXT NOT NULL,
    shift_type_id INTEGER NOT NULL REFERENCES shift_types (id),
    skill TEXT,
    min_count INTEGER NOT NULL CHECK (min_count >= 0),
    ideal_count INTEGER NOT NULL CHECK (ideal_count >= min_count),
    under_weight INTEGER,
    over_weight INTEGER
);
CREATE INDEX demand_rows_unit ON demand_rows (unit_id);

CREATE TABLE rule_overrides (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    UNIQUE (unit_id, key)
);

CREATE TABLE schedule_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    start_date TEXT NOT NULL,
    weeks INTEGER NOT NULL CHECK (weeks BETWEEN 1 AND 104),
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN (
        'draft', 'wishes_open', 'wishes_closed', 'proposal', 'review', 'published', 'follow_up', 'closed'
    )),
    wishes_deadline TEXT,
    history_known BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    CHECK (state <> 'wishes_open' OR wishes_deadline IS NOT NULL)
);
CREATE INDEX schedule_periods_unit ON schedule_periods (unit_id, start_date);

CREATE TABLE wishes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES schedule_periods (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('work', 'off', 'avoid')),
    shift_type_id INTEGER REFERENCES shift_types (id),
    priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    CHECK (kind <> 'avoid' OR shift_type_id IS NOT NULL),
    CHECK (kind <> 'off' OR shift_type_id IS NULL)
);
CREATE INDEX wishes_period ON wishes (period_id, employee_id);

CREATE TABLE absences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES schedule_periods (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    CHECK (to_date >= from_date)
);
CREATE INDEX absences_period ON absences (period_id);

CREATE TABLE history_shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES schedule_periods (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    date TEXT NOT NULL,
    shift_type_id INTEGER NOT NULL REFERENCES shift_types (id)
);
CREATE INDEX history_shifts_period ON history_shifts (period_id);

CREATE TABLE pins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES schedule_periods (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    date TEXT NOT NULL,
    shift_type_id INTEGER REFERENCES shift_types (id),
    UNIQUE (period_id, employee_id, date)
);

CREATE TABLE schedule_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES schedule_periods (id),
    kind TEXT NOT NULL DEFAULT 'proposal' CHECK (kind IN ('proposal', 'published')),
    note TEXT,
    score_hard INTEGER NOT NULL,
    score_soft INTEGER NOT NULL,
    findings TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    published_at TEXT,
    row_version INTEGER NOT NULL DEFAULT 1,
    CHECK ((kind = 'published') = (published_at IS NOT NULL))
);
CREATE INDEX schedule_versions_period ON schedule_versions (period_id);
CREATE UNIQUE INDEX schedule_versions_one_published ON schedule_versions (period_id) WHERE kind = 'published';

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id INTEGER NOT NULL REFERENCES schedule_versions (id),
    employee_id INTEGER NOT NULL REFERENCES employees (id),
    date TEXT NOT NULL,
    shift_type_id INTEGER NOT NULL REFERENCES shift_types (id),
    override_reason TEXT,
    row_version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    UNIQUE (version_id, employee_id, date, shift_type_id)
);

-- A published version is final: changes after publication are events.
CREATE TRIGGER schedule_versions_published_final BEFORE UPDATE ON schedule_versions
WHEN OLD.kind = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published schedule version cannot change');
END;
CREATE TRIGGER schedule_versions_published_kept BEFORE DELETE ON schedule_versions
WHEN OLD.kind = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published schedule version cannot change');
END;
CREATE TRIGGER assignments_published_insert BEFORE INSERT ON assignments
WHEN (SELECT kind FROM schedule_versions WHERE id = NEW.version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'assignments of a published schedule version cannot change');
END;
CREATE TRIGGER assignments_published_update BEFORE UPDATE ON assignments
WHEN (SELECT kind FROM schedule_versions WHERE id = OLD.version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'assignments of a published schedule version cannot change');
END;
CREATE TRIGGER assignments_published_delete BEFORE DELETE ON assignments
WHEN (SELECT kind FROM schedule_versions WHERE id = OLD.version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'assignments of a published schedule version cannot change');
END;

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id INTEGER NOT NULL REFERENCES schedule_periods (id),
    version_id INTEGER NOT NULL REFERENCES schedule_versions (id),
    kind TEXT NOT NULL CHECK (kind IN ('absence', 'swap', 'extra_staff', 'resource_shift')),
    employee_id INTEGER REFERENCES employees (id),
    date TEXT NOT NULL,
    details TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX events_period ON events (period_id, date);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL CHECK (substr(password_hash, 1, 10) = '$argon2id$'),
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE role_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    role TEXT NOT NULL CHECK (role IN ('chef', 'schemaläggare', 'medarbetare')),
    employee_id INTEGER REFERENCES employees (id),
    created_at TEXT NOT NULL,
    CHECK ((role = 'medarbetare') = (employee_id IS NOT NULL)),
    UNIQUE (user_id, unit_id, role)
);
CREATE INDEX role_grants_unit ON role_grants (unit_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    user_agent TEXT,
    remote_addr TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    remote_addr TEXT,
    attempted_at TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, attempted_at);
CREATE INDEX login_attempts_remote_addr ON login_attempts (remote_addr, attempted_at);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    period_id INTEGER NOT NULL REFERENCES schedule_periods (id),
    kind TEXT NOT NULL DEFAULT 'solve' CHECK (kind IN ('solve')),
    params TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    best_score_hard INTEGER,
    best_score_soft INTEGER,
    worker_id TEXT,
    lease_until TEXT,
    heartbeat_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    result_version_id INTEGER REFERENCES schedule_versions (id),
    error TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    CHECK (state <> 'running' OR (worker_id IS NOT NULL AND lease_until IS NOT NULL)),
    CHECK (state <> 'done' OR result_version_id IS NOT NULL)
);
CREATE INDEX jobs_claimable ON jobs (state, id);
CREATE INDEX jobs_period ON jobs (period_id);

-- The audit log is append-only and hash-chained: hash = SHA-256(prev_hash || "\n" ||
-- canonical row content), computed by the application. audit_head holds the newest seq and
-- hash; appends lock it, so the chain cannot fork.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq INTEGER NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_user_id INTEGER,
    unit_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    reason TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_unit ON audit_log (unit_id, seq);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be updated');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
