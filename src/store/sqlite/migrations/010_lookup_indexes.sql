-- keukentafel schema: indexes for the lookups that scanned whole tables.
--
-- Per user: the contact habits and the prefilled kind at login read a user's own last contacts
-- (`WHERE recorded_by = ? ORDER BY id DESC LIMIT n`); without an index SQLite walked every
-- contact backwards, all of them for a user who never recorded one. The rowid at the end of
-- each entry gives the order.
CREATE INDEX IF NOT EXISTS contact_recorded_by ON contact(recorded_by);
-- A team's active colleagues (the regisseur choice, the team list).
CREATE INDEX IF NOT EXISTS user_team ON user(team_id, disabled);

-- The steering report reads each dated table through its period only.
-- Contacts in the period, with what the report counts: the scan never touches the table.
CREATE INDEX IF NOT EXISTS contact_on ON contact(contact_on, household_id, kind, minutes);
-- Agreements made (created_at), done (status_on) and overdue (due_on), each with the
-- household, so that counting never touches the table.
CREATE INDEX IF NOT EXISTS agreement_created ON agreement(created_at, household_id);
CREATE INDEX IF NOT EXISTS agreement_status_on ON agreement(status, status_on, household_id);
CREATE INDEX IF NOT EXISTS agreement_status_due ON agreement(status, due_on, household_id);
-- ZRM assessments in the period in (date, id) order, with what the report reads: each
-- person's first and last assessment come out of one range of the index, unsorted.
CREATE INDEX IF NOT EXISTS zrm_assessed_on
    ON zrm_assessment(assessed_on, id, person_id, household_id, scores);
-- Households opened in the period, per team (closed: household_team).
CREATE INDEX IF NOT EXISTS household_team_opened ON household(team_id, opened_on);
-- Care started or ended in the period, as the providers reported it.
CREATE INDEX IF NOT EXISTS provision_care_started ON provision(care_started_on)
    WHERE care_started_on IS NOT NULL;
CREATE INDEX IF NOT EXISTS provision_care_ended ON provision(care_ended_on)
    WHERE care_ended_on IS NOT NULL;
