-- keukentafel schema on PostgreSQL: per-user lookups by index (SQLite migration 010).
--
-- The contact habits and the prefilled kind at login read a user's own last contacts
-- (`WHERE recorded_by = $1 ORDER BY id DESC LIMIT n`). The index on (recorded_by, recorded_at)
-- found them but not in id order, so the planner walked the primary key backwards instead,
-- through every contact for a user who recorded few or none. (recorded_by, id) gives the
-- user's contacts newest first, read backwards from the end of the user's range.
DROP INDEX contact_recorded_by;
CREATE INDEX contact_recorded_by ON contact (recorded_by, id);
-- A team's active colleagues (the regisseur choice, the team list).
CREATE INDEX app_user_team ON app_user (team_id, disabled);
