-- Object ids are never used twice: an undone contact, agreement, flag, goal, member, ZRM
-- assessment or provision leaves its id behind for good, so an audit row's object id always
-- names one object. SQLite gives that guarantee only to AUTOINCREMENT tables, and a table
-- cannot be changed into one: each is rebuilt with the same columns, rows, ids and indexes.
-- The migration runs with foreign key enforcement off (the children of person point at the
-- rebuilt table by name) and checks every foreign key before it commits.

-- person
CREATE TABLE person_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES household(id),
    name         TEXT NOT NULL,
    birth_date   TEXT,
    role         TEXT NOT NULL CHECK (role IN ('ouder', 'partner', 'kind', 'overig')),
    bsn          TEXT,
    phone        TEXT
) STRICT;
INSERT INTO person_new (id, household_id, name, birth_date, role, bsn, phone)
    SELECT id, household_id, name, birth_date, role, bsn, phone FROM person;
DROP TABLE person;
ALTER TABLE person_new RENAME TO person;
CREATE INDEX person_bsn ON person(bsn) WHERE bsn IS NOT NULL;
CREATE INDEX person_household ON person(household_id);

-- zrm_assessment
CREATE TABLE zrm_assessment_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES household(id),
    person_id    INTEGER NOT NULL REFERENCES person(id),
    assessed_on  TEXT NOT NULL,
    assessed_by  INTEGER NOT NULL REFERENCES user(id),
    scores       TEXT NOT NULL
) STRICT;
INSERT INTO zrm_assessment_new (id, household_id, person_id, assessed_on, assessed_by, scores)
    SELECT id, household_id, person_id, assessed_on, assessed_by, scores FROM zrm_assessment;
DROP TABLE zrm_assessment;
ALTER TABLE zrm_assessment_new RENAME TO zrm_assessment;
CREATE INDEX zrm_household ON zrm_assessment(household_id);
CREATE INDEX zrm_person ON zrm_assessment(person_id, assessed_on);

-- agreement
CREATE TABLE agreement_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO agreement_new (id, household_id, what, who, due_on, formal, zrm_domain, status, status_on, cancel_reason, created_by, created_at)
    SELECT id, household_id, what, who, due_on, formal, zrm_domain, status, status_on, cancel_reason, created_by, created_at FROM agreement;
DROP TABLE agreement;
ALTER TABLE agreement_new RENAME TO agreement;
CREATE INDEX agreement_household ON agreement(household_id, status);

-- flag
CREATE TABLE flag_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES household(id),
    kind         TEXT NOT NULL,
    since        TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('manual', 'import')),
    set_by       INTEGER REFERENCES user(id),
    ended_on     TEXT,
    end_reason   TEXT,
    ended_by     INTEGER REFERENCES user(id)
) STRICT;
INSERT INTO flag_new (id, household_id, kind, since, source, set_by, ended_on, end_reason, ended_by)
    SELECT id, household_id, kind, since, source, set_by, ended_on, end_reason, ended_by FROM flag;
DROP TABLE flag;
ALTER TABLE flag_new RENAME TO flag;
CREATE INDEX flag_household ON flag(household_id);

-- contact
CREATE TABLE contact_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES household(id),
    contact_on   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    note         TEXT,
    recorded_by  INTEGER NOT NULL REFERENCES user(id),
    recorded_at  TEXT NOT NULL
) STRICT;
INSERT INTO contact_new (id, household_id, contact_on, kind, minutes, note, recorded_by, recorded_at)
    SELECT id, household_id, contact_on, kind, minutes, note, recorded_by, recorded_at FROM contact;
DROP TABLE contact;
ALTER TABLE contact_new RENAME TO contact;
CREATE INDEX contact_household ON contact(household_id, contact_on);

-- plan_goal
CREATE TABLE plan_goal_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES household(id),
    goal         TEXT NOT NULL,
    zrm_domain   TEXT,
    status       TEXT NOT NULL CHECK (status IN ('lopend', 'bereikt', 'gestopt')),
    created_by   INTEGER NOT NULL REFERENCES user(id),
    created_at   TEXT NOT NULL
) STRICT;
INSERT INTO plan_goal_new (id, household_id, goal, zrm_domain, status, created_by, created_at)
    SELECT id, household_id, goal, zrm_domain, status, created_by, created_at FROM plan_goal;
DROP TABLE plan_goal;
ALTER TABLE plan_goal_new RENAME TO plan_goal;
CREATE INDEX plan_goal_household ON plan_goal(household_id);

-- provision
CREATE TABLE provision_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id        INTEGER NOT NULL REFERENCES household(id),
    person_id           INTEGER NOT NULL REFERENCES person(id),
    law                 TEXT NOT NULL CHECK (law IN ('wmo', 'jeugdwet')),
    category            TEXT NOT NULL,
    product_code        TEXT NOT NULL,
    provider_id         INTEGER REFERENCES provider(id),
    start_on            TEXT NOT NULL,
    end_on              TEXT,
    volume              INTEGER NOT NULL CHECK (volume > 0),
    unit                TEXT NOT NULL,
    frequency           TEXT NOT NULL,
    financing           TEXT NOT NULL CHECK (financing IN ('zin', 'pgb')),
    eigen_bijdrage      INTEGER NOT NULL CHECK (eigen_bijdrage IN (0, 1)),
    motivation          TEXT,
    status              TEXT NOT NULL CHECK (status IN
                          ('aangevraagd', 'toegekend', 'afgewezen', 'toegewezen', 'gestart', 'beeindigd')),
    beschikking_on      TEXT,
    beschikking_number  TEXT,
    toewijzing_number   TEXT,
    assigned_on         TEXT,
    svb_reported_on     TEXT,
    cak_notified_on     TEXT,
    ended_on            TEXT,
    end_reason          TEXT,
    requested_by        INTEGER NOT NULL REFERENCES user(id),
    requested_at        TEXT NOT NULL,
    toewijzing_message_id INTEGER REFERENCES outgoing_message(id),
    -- The message cycle's columns (migration 7).
    sent_terms          TEXT,
    change_reason       TEXT,
    care_started_on     TEXT,
    care_ended_on       TEXT,
    care_end_reason     TEXT
) STRICT;
INSERT INTO provision_new (id, household_id, person_id, law, category, product_code, provider_id, start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation, status, beschikking_on, beschikking_number, toewijzing_number, assigned_on, svb_reported_on, cak_notified_on, ended_on, end_reason, requested_by, requested_at, toewijzing_message_id, sent_terms, change_reason, care_started_on, care_ended_on, care_end_reason)
    SELECT id, household_id, person_id, law, category, product_code, provider_id, start_on, end_on, volume, unit, frequency, financing, eigen_bijdrage, motivation, status, beschikking_on, beschikking_number, toewijzing_number, assigned_on, svb_reported_on, cak_notified_on, ended_on, end_reason, requested_by, requested_at, toewijzing_message_id, sent_terms, change_reason, care_started_on, care_ended_on, care_end_reason FROM provision;
DROP TABLE provision;
ALTER TABLE provision_new RENAME TO provision;
CREATE INDEX provision_household ON provision(household_id);
CREATE INDEX provision_status ON provision(status, start_on);
CREATE INDEX provision_toewijzing_export ON provision(provider_id, status, toewijzing_message_id);
