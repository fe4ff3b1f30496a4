-- keukentafel schema: the worklists filter and sort in the database, a page at a time.
--
-- The filter (every typed word in some column, folded by the store's kt_fold function) scans the
-- list's own rows through the status indexes; the sorts other than by start date (which has
-- provision_status) walk an index per list status, so the first page of a long list is read in
-- order and stops at the page's end.
CREATE INDEX IF NOT EXISTS provision_status_end ON provision(status, end_on, id);
CREATE INDEX IF NOT EXISTS provision_status_product ON provision(status, product_code, start_on, id);
