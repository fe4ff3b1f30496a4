-- keukentafel schema, version 1.
-- Dates are ISO 'YYYY-MM-DD' text; timestamps are RFC 3339 UTC text.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE team (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
) STRICT;

CREATE TABLE user (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('professional', 'backoffice', 'teamleider', 'beheerder')),
    team_id       INTEGER REFERENCES team(id),
    phone         TEXT,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    last_failed_at TEXT,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE household (
    id           INTEGER PRIMARY KEY,
    label        TEXT NOT NULL,
    street       TEXT NOT NULL,
    house_number TEXT NOT NULL,
    postcode     TEXT NOT NULL,
    city         TEXT NOT NULL,
    team_id      INTEGER NOT NULL REFERENCES team(id),
    regisseur_id INTEGER NOT NULL REFERENCES user(id),
    opened_on    TEXT NOT NULL,
    closed_on    TEXT,
    close_reason TEXT,
    CHECK ((closed_on IS NULL) = (close_reason IS NULL))
) STRICT;
CREATE INDEX household_team ON household(team_id, closed_on);
CREATE INDEX household_regisseur ON household(regisseur_id, closed_on);
CREATE INDEX household_address ON household(postcode, house_number);

CREATE TABLE person (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    name         TEXT NOT NULL,
    birth_date   TEXT,
    role         TEXT NOT NULL CHECK (role IN ('ouder', 'partner', 'kind', 'overig')),
    bsn          TEXT,
    phone        TEXT
) STRICT;
CREATE INDEX person_household ON person(household_id);
CREATE INDEX person_bsn ON person(bsn) WHERE bsn IS NOT NULL;

-- One row per assessment; scores are 'domain_key=level;…' (level 1-5 or '-' for not scored),
-- so that extra domains from configuration need no schema change.
CREATE TABLE zrm_assessment (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    person_id    INTEGER NOT NULL REFERENCES person(id),
    assessed_on  TEXT NOT NULL,
    assessed_by  INTEGER NOT NULL REFERENCES user(id),
    scores       TEXT NOT NULL
) STRICT;
CREATE INDEX zrm_person ON zrm_assessment(person_id, assessed_on);
CREATE INDEX zrm_household ON zrm_assessment(household_id);

CREATE TABLE agreement (
    id            INTEGER PRIMARY KEY,
    household_id  INTEGER NOT NULL REFERENCES household(id),
    what          TEXT NOT NULL,
    who           TEXT NOT NULL CHECK (who IN ('client', 'netwerk', 'professional', 'aanbieder')),
    due_on        TEXT,
    formal        INTEGER NOT NULL DEFAULT 0,
    zrm_domain    TEXT,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    status_on     TEXT,
    cancel_reason TEXT,
    created_by    INTEGER NOT NULL REFERENCES user(id),
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX agreement_household ON agreement(household_id, status);

CREATE TABLE flag (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    kind         TEXT NOT NULL,
    since        TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('manual', 'import')),
    set_by       INTEGER REFERENCES user(id),
    ended_on     TEXT,
    end_reason   TEXT,
    ended_by     INTEGER REFERENCES user(id)
) STRICT;
CREATE INDEX flag_household ON flag(household_id);

CREATE TABLE contact (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    contact_on   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    note         TEXT,
    recorded_by  INTEGER NOT NULL REFERENCES user(id),
    recorded_at  TEXT NOT NULL
) STRICT;
CREATE INDEX contact_household ON contact(household_id, contact_on);

CREATE TABLE plan_goal (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    goal         TEXT NOT NULL,
    zrm_domain   TEXT,
    status       TEXT NOT NULL CHECK (status IN ('lopend', 'bereikt', 'gestopt')),
    created_by   INTEGER NOT NULL REFERENCES user(id),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX plan_goal_household ON plan_goal(household_id);

CREATE TABLE consent (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household(id),
    person_id    INTEGER REFERENCES person(id),
    purpose      TEXT NOT NULL,
    given_on     TEXT NOT NULL,
    withdrawn_on TEXT,
    recorded_by  INTEGER NOT NULL REFERENCES user(id)
) STRICT;
CREATE INDEX consent_household ON consent(household_id);

-- Search index for the finder, maintained by the store: folded text (lower case, no diacritics)
-- of the label, and of members' names, birth dates (ddmmjjjj), street, house number and postcode.
-- Prefixes of 1 to 3 characters are indexed so that short queries stay fast. No positions
-- (detail = column) and no document sizes (columnsize = 0): the finder ranks by itself and
-- never needs phrases or bm25, and both make bulk inserts much cheaper.
-- The team column holds one word `t<team id>`, so a professional's search is scoped inside the
-- index instead of by a lookup per match.
CREATE VIRTUAL TABLE household_search USING fts5(
    label,
    terms,
    team,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3',
    detail = column,
    columnsize = 0
);

-- The audit log (NEN 7513 fields) with a hash chain: each row's hash covers its content and the
-- previous row's hash. Append-only: the triggers refuse updates and deletes.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    user_id      INTEGER,
    username     TEXT NOT NULL,
    role         TEXT NOT NULL,
    action       TEXT NOT NULL,
    object       TEXT NOT NULL,
    object_id    INTEGER,
    household_id INTEGER,
    person_id    INTEGER,
    workstation  TEXT NOT NULL,
    on_behalf_of TEXT,
    detail       TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_household ON audit_log(household_id) WHERE household_id IS NOT NULL;
CREATE INDEX audit_user ON audit_log(user_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
