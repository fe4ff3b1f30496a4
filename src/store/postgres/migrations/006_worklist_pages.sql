-- keukentafel schema on PostgreSQL: the worklists filter and sort in the database, a page at a
-- time, as on SQLite (migration 13 there).
--
-- kt_fold(text) folds as the app folds (crate::domain::text::fold: lower case, no diacritics, the
-- Dutch ĳ and the ligatures spelled out, curly apostrophes straight), so a filter word typed
-- without accents finds "Çelik" and "Eénhoorn", and the household sort is the Dutch order. Both
-- cases of every folded letter are listed, so it folds the same whatever the server's locale.
CREATE FUNCTION kt_fold(t TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $kt$ SELECT replace(replace(replace(replace(replace(replace(replace(translate(lower(t), 'àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆčČďĎđĐèÈéÉêÊëËēĒėĖęĘěĚìÌíÍîÎïÏīĪįĮıñÑńŃňŇòÒóÓôÔõÕöÖøØōŌőŐùÙúÚûÛüÜūŪůŮűŰųŲýÝÿŸśŚšŠşŞźŹżŻžŽłŁřŘťŤţŢğĞ’`´', 'aaaaaaaaaaaaaaaaaaccccccddddeeeeeeeeeeeeeeeeiiiiiiiiiiiiinnnnnnoooooooooooooooouuuuuuuuuuuuuuuuyyyysssssszzzzzzllrrttttgg'''''''), 'ß', 'ss'), 'ĳ', 'ij'), 'Ĳ', 'ij'), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe') $kt$;

-- The sorts other than by start date walk an index per list status, so the first page of a
-- long list is read in order and stops at the page's end (the start date has provision_status).
CREATE INDEX provision_status_end ON provision (status, end_on, id);
CREATE INDEX provision_status_product ON provision (status, product_code, start_on, id);
