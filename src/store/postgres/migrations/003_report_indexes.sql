-- keukentafel schema on PostgreSQL: the steering report reads each dated table through its
-- period only (as SQLite migration 010), not every row ever written.
--
-- Contacts in the period, with what the report counts, so that the scan reads the index only.
DROP INDEX contact_on;
CREATE INDEX contact_on ON contact (contact_on) INCLUDE (household_id, kind, minutes);
-- Agreements made (created_at), done (status_on) and overdue (due_on), each with the household.
CREATE INDEX agreement_created ON agreement (created_at) INCLUDE (household_id);
CREATE INDEX agreement_status_on ON agreement (status, status_on) INCLUDE (household_id);
CREATE INDEX agreement_status_due ON agreement (status, due_on) INCLUDE (household_id);
-- ZRM assessments in the period in (date, id) order, with what the report reads.
CREATE INDEX zrm_assessed_on ON zrm_assessment (assessed_on, id)
    INCLUDE (person_id, household_id, scores);
-- Households opened in the period, per team (closed: household_team).
CREATE INDEX household_team_opened ON household (team_id, opened_on);
-- Care started or ended in the period, as the providers reported it.
CREATE INDEX provision_care_started ON provision (care_started_on)
    WHERE care_started_on IS NOT NULL;
CREATE INDEX provision_care_ended ON provision (care_ended_on)
    WHERE care_ended_on IS NOT NULL;
