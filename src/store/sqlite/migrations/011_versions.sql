-- Two people on one household: agreements, plan goals and members count their changes and
-- remember who made the last one and when. An edit names the version it was shown and is
-- refused when the record changed since (see `changes.rs`).
ALTER TABLE agreement ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agreement ADD COLUMN changed_by INTEGER REFERENCES user(id);
ALTER TABLE agreement ADD COLUMN changed_at TEXT;
ALTER TABLE plan_goal ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plan_goal ADD COLUMN changed_by INTEGER REFERENCES user(id);
ALTER TABLE plan_goal ADD COLUMN changed_at TEXT;
ALTER TABLE person ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE person ADD COLUMN changed_by INTEGER REFERENCES user(id);
ALTER TABLE person ADD COLUMN changed_at TEXT;
