-- keukentafel schema on PostgreSQL: the worklists filter and sort in the database, a page at a
-- time, as on SQLite (migration 13 there).
--
-- kt_fold(text) folds as the app folds (crate::domain::text::fold: lower case, no diacritics, the
-- Dutch ĳ and the ligatures spelled out, curly apostrophes straight), so a filter word typed
-- without accents finds "Çelik" and "Eénhoorn", and the household sort is the Dutch order. Both
-- cases of every folded letter are listed, so it folds the same whatever the server's locale;
-- plain ASCII takes the short way.
CREATE FUNCTION kt_fold(t TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $kt$ SELECT CASE
        -- Plain ASCII (as many bytes as characters in the UTF-8 database the names need), most
        -- names: lower case is the fold.
        WHEN octet_length(t) = char_length(t) THEN replace(lower(t), '`', '''')
        ELSE replace(replace(replace(replace(replace(replace(replace(translate(lower(t), 'àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆčČďĎđĐèÈéÉêÊëËēĒėĖęĘěĚìÌíÍîÎïÏīĪįĮıñÑńŃňŇòÒóÓôÔõÕöÖøØōŌőŐùÙúÚûÛüÜūŪůŮűŰųŲýÝÿŸśŚšŠşŞźŹżŻžŽłŁřŘťŤţŢğĞ’`´', 'aaaaaaaaaaaaaaaaaaccccccddddeeeeeeeeeeeeeeeeiiiiiiiiiiiiinnnnnnoooooooooooooooouuuuuuuuuuuuuuuuyyyysssssszzzzzzllrrttttgg'''''''), 'ß', 'ss'), 'ĳ', 'ij'), 'Ĳ', 'ij'), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe') END $kt$;

-- One partial index per worklist, holding only the provisions on it (the list's condition
-- without its dates), keyed on the start date (the default order) and carrying the columns the
-- count and the filter read of the provision: opening a list walks its own index in order and
-- stops at the end of the first page.
CREATE INDEX worklist_beschikking ON provision (
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE status = 'aangevraagd';
CREATE INDEX worklist_toewijzing ON provision (
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE status = 'toegekend' AND financing = 'zin';
CREATE INDEX worklist_svb ON provision (
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE financing = 'pgb' AND status IN ('toegekend', 'gestart') AND svb_reported_on IS NULL;
CREATE INDEX worklist_cak ON provision (
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE eigen_bijdrage AND status IN ('toegekend', 'toegewezen', 'gestart')
      AND cak_notified_on IS NULL;
CREATE INDEX worklist_einde ON provision (
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status)
    WHERE status IN ('toegekend', 'toegewezen', 'gestart') AND end_on IS NOT NULL;
CREATE INDEX worklist_zonder_start ON provision (
    start_on, id, household_id, person_id, provider_id, product_code, end_on, financing, law, status,
    assigned_on)
    WHERE status = 'toegewezen' AND care_started_on IS NULL;
-- The erased households (few): a list leaves their provisions out by a probe of this index.
CREATE INDEX household_erased ON household (id) WHERE erased_on IS NOT NULL;

-- Functions are executable by keukentafel's own roles only (migration 5): kt_fold to those who
-- filter, owned by the database's owner.
DO $grants$
DECLARE
    db text := current_database();
    g text;
BEGIN
    EXECUTE format('ALTER FUNCTION kt_fold(text) OWNER TO %I', db || '__owner');
    FOREACH g IN ARRAY ARRAY['professional', 'backoffice', 'teamleider', 'beheerder'] LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION kt_fold(text) TO %I', db || '__' || g);
    END LOOP;
END
$grants$;
