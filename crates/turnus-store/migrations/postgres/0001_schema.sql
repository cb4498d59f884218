-- Turnus schema for PostgreSQL: instants are timestamptz, civil dates date, clock times time.
-- Keep this file and migrations/sqlite/0001_schema.sql in step: same tables, columns,
-- constraints and triggers.

CREATE TABLE organisations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(btrim(name)) > 0),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE units (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL CHECK (length(btrim(name)) > 0),
    time_zone TEXT NOT NULL DEFAULT 'Europe/Stockholm',
    preset TEXT NOT NULL DEFAULT 'ab' CHECK (preset IN ('ab', 'atl', 'benchmark')),
    publish_notice_days BIGINT NOT NULL DEFAULT 14 CHECK (publish_notice_days BETWEEN 0 AND 365),
    created_at TIMESTAMPTZ NOT NULL,
    row_version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX units_organisation ON units (organisation_id);

CREATE TABLE employees (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    external_id TEXT NOT NULL CHECK (length(external_id) > 0),
    name TEXT NOT NULL,
    employment_basis_points BIGINT NOT NULL CHECK (employment_basis_points BETWEEN 1 AND 10000),
    full_time_minutes BIGINT CHECK (full_time_minutes > 0),
    night_worker BOOLEAN NOT NULL DEFAULT FALSE,
    limits TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position BIGINT NOT NULL,
    UNIQUE (unit_id, external_id)
);

CREATE TABLE employee_skills (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    skill TEXT NOT NULL CHECK (length(skill) > 0),
    valid_from DATE,
    valid_to DATE,
    CHECK ((valid_from IS NULL) = (valid_to IS NULL)),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX employee_skills_employee ON employee_skills (employee_id);

CREATE TABLE shift_types (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    code TEXT NOT NULL CHECK (length(code) > 0),
    name TEXT NOT NULL,
    start_time TIME NOT NULL,
    end_time TIME NOT NULL,
    break_minutes BIGINT NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
    skill TEXT,
    cannot_follow TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position BIGINT NOT NULL,
    UNIQUE (unit_id, code)
);

CREATE TABLE demand_rows (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    day TEXT NOT NULL,
    shift_type_id BIGINT NOT NULL REFERENCES shift_types (id),
    skill TEXT,
    min_count BIGINT NOT NULL CHECK (min_count >= 0),
    ideal_count BIGINT NOT NULL CHECK (ideal_count >= min_count),
    under_weight BIGINT,
    over_weight BIGINT
);
CREATE INDEX demand_rows_unit ON demand_rows (unit_id);

CREATE TABLE rule_overrides (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    UNIQUE (unit_id, key)
);

CREATE TABLE schedule_periods (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    start_date DATE NOT NULL,
    weeks BIGINT NOT NULL CHECK (weeks BETWEEN 1 AND 104),
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN (
        'draft', 'wishes_open', 'wishes_closed', 'proposal', 'review', 'published', 'follow_up', 'closed'
    )),
    wishes_deadline TIMESTAMPTZ,
    history_known BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    row_version BIGINT NOT NULL DEFAULT 1,
    CHECK (state <> 'wishes_open' OR wishes_deadline IS NOT NULL)
);
CREATE INDEX schedule_periods_unit ON schedule_periods (unit_id, start_date);

CREATE TABLE wishes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_id BIGINT NOT NULL REFERENCES schedule_periods (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    date DATE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('work', 'off', 'avoid')),
    shift_type_id BIGINT REFERENCES shift_types (id),
    priority BIGINT NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    row_version BIGINT NOT NULL DEFAULT 1,
    CHECK (kind <> 'avoid' OR shift_type_id IS NOT NULL),
    CHECK (kind <> 'off' OR shift_type_id IS NULL)
);
CREATE INDEX wishes_period ON wishes (period_id, employee_id);

CREATE TABLE absences (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_id BIGINT NOT NULL REFERENCES schedule_periods (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    from_date DATE NOT NULL,
    to_date DATE NOT NULL,
    kind TEXT NOT NULL,
    CHECK (to_date >= from_date)
);
CREATE INDEX absences_period ON absences (period_id);

CREATE TABLE history_shifts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_id BIGINT NOT NULL REFERENCES schedule_periods (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    date DATE NOT NULL,
    shift_type_id BIGINT NOT NULL REFERENCES shift_types (id)
);
CREATE INDEX history_shifts_period ON history_shifts (period_id);

CREATE TABLE pins (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_id BIGINT NOT NULL REFERENCES schedule_periods (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    date DATE NOT NULL,
    shift_type_id BIGINT REFERENCES shift_types (id),
    UNIQUE (period_id, employee_id, date)
);

CREATE TABLE schedule_versions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_id BIGINT NOT NULL REFERENCES schedule_periods (id),
    kind TEXT NOT NULL DEFAULT 'proposal' CHECK (kind IN ('proposal', 'published')),
    note TEXT,
    score_hard BIGINT NOT NULL,
    score_soft BIGINT NOT NULL,
    findings TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    published_at TIMESTAMPTZ,
    row_version BIGINT NOT NULL DEFAULT 1,
    CHECK ((kind = 'published') = (published_at IS NOT NULL))
);
CREATE INDEX schedule_versions_period ON schedule_versions (period_id);
CREATE UNIQUE INDEX schedule_versions_one_published ON schedule_versions (period_id) WHERE kind = 'published';

CREATE TABLE assignments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES schedule_versions (id),
    employee_id BIGINT NOT NULL REFERENCES employees (id),
    date DATE NOT NULL,
    shift_type_id BIGINT NOT NULL REFERENCES shift_types (id),
    override_reason TEXT,
    row_version BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (version_id, employee_id, date, shift_type_id)
);

-- A published version is final: changes after publication are events.
CREATE FUNCTION turnus_reject_published_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a published schedule version cannot change';
END
$$;
CREATE TRIGGER schedule_versions_published_final BEFORE UPDATE OR DELETE ON schedule_versions
FOR EACH ROW WHEN (OLD.kind = 'published')
EXECUTE FUNCTION turnus_reject_published_version_change();

CREATE FUNCTION turnus_reject_published_assignment_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    version_kind TEXT;
BEGIN
    SELECT kind INTO version_kind FROM schedule_versions
    WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.version_id ELSE OLD.version_id END;
    IF version_kind = 'published' THEN
        RAISE EXCEPTION 'assignments of a published schedule version cannot change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER assignments_published BEFORE INSERT OR UPDATE OR DELETE ON assignments
FOR EACH ROW EXECUTE FUNCTION turnus_reject_published_assignment_change();

CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_id BIGINT NOT NULL REFERENCES schedule_periods (id),
    version_id BIGINT NOT NULL REFERENCES schedule_versions (id),
    kind TEXT NOT NULL CHECK (kind IN ('absence', 'swap', 'extra_staff', 'resource_shift')),
    employee_id BIGINT REFERENCES employees (id),
    date DATE NOT NULL,
    details TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX events_period ON events (period_id, date);

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL CHECK (left(password_hash, 10) = '$argon2id$'),
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    row_version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE role_grants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    role TEXT NOT NULL CHECK (role IN ('chef', 'schemaläggare', 'medarbetare')),
    employee_id BIGINT REFERENCES employees (id),
    created_at TIMESTAMPTZ NOT NULL,
    CHECK ((role = 'medarbetare') = (employee_id IS NOT NULL)),
    UNIQUE (user_id, unit_id, role)
);
CREATE INDEX role_grants_unit ON role_grants (unit_id);

CREATE TABLE sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    user_agent TEXT,
    remote_addr TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL,
    remote_addr TEXT,
    attempted_at TIMESTAMPTZ NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, attempted_at);
CREATE INDEX login_attempts_remote_addr ON login_attempts (remote_addr, attempted_at);

CREATE TABLE jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period_id BIGINT NOT NULL REFERENCES schedule_periods (id),
    kind TEXT NOT NULL DEFAULT 'solve' CHECK (kind IN ('solve')),
    params TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    best_score_hard BIGINT,
    best_score_soft BIGINT,
    worker_id TEXT,
    lease_until TIMESTAMPTZ,
    heartbeat_at TIMESTAMPTZ,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    result_version_id BIGINT REFERENCES schedule_versions (id),
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    CHECK (state <> 'running' OR (worker_id IS NOT NULL AND lease_until IS NOT NULL)),
    CHECK (state <> 'done' OR result_version_id IS NOT NULL)
);
CREATE INDEX jobs_claimable ON jobs (state, id);
CREATE INDEX jobs_period ON jobs (period_id);

-- The audit log is append-only and hash-chained: hash = SHA-256(prev_hash || "\n" ||
-- canonical row content), computed by the application. audit_head holds the newest seq and
-- hash; appends lock it, so the chain cannot fork.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    actor_user_id BIGINT,
    unit_id BIGINT,
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

CREATE FUNCTION turnus_reject_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: rows cannot be updated or deleted';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
FOR EACH ROW EXECUTE FUNCTION turnus_reject_audit_change();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION turnus_reject_audit_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION turnus_reject_audit_change();

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
