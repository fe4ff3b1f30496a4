-- keukentafel schema: the worklists a page at a time, filtered and sorted in the database.
--
-- One partial index per worklist, holding only the provisions on it (the list's condition
-- without its dates), keyed on the start date (the default order) and carrying the columns the
-- count and the filter read of the provision: opening a list walks its own index in order and
-- stops at the end of the first page, and its count never reads the provision table. The store
-- names these indexes in its queries (INDEXED BY), so a list never falls back to a scan of
-- every provision of its status.
CREATE INDEX IF NOT EXISTS worklist_beschikking ON provision(
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE status = 'aangevraagd';
CREATE INDEX IF NOT EXISTS worklist_toewijzing ON provision(
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE status = 'toegekend' AND financing = 'zin';
CREATE INDEX IF NOT EXISTS worklist_svb ON provision(
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE financing = 'pgb' AND status IN ('toegekend', 'gestart') AND svb_reported_on IS NULL;
CREATE INDEX IF NOT EXISTS worklist_cak ON provision(
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE eigen_bijdrage = 1 AND status IN ('toegekend', 'toegewezen', 'gestart')
      AND cak_notified_on IS NULL;
CREATE INDEX IF NOT EXISTS worklist_einde ON provision(
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE status IN ('toegekend', 'toegewezen', 'gestart') AND end_on IS NOT NULL;
CREATE INDEX IF NOT EXISTS worklist_zonder_start ON provision(
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status,
    assigned_on)
    WHERE status = 'toegewezen' AND care_started_on IS NULL;
-- The erased households (few): a list leaves their provisions out by a probe of this index, not
-- a read of every listed household.
CREATE INDEX IF NOT EXISTS household_erased ON household(id) WHERE erased_on IS NOT NULL;
