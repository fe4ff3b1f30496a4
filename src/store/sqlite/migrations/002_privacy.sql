-- keukentafel schema, version 2: login hardening and erasure (AVG).

-- After 5 failed logins an account waits until this instant (RFC 3339 UTC) before the next try.
ALTER TABLE user ADD COLUMN login_blocked_until TEXT;

-- An erased household keeps its row (ids, team, dates, ZRM scores, counts for the figures) but
-- no names, addresses, BSN, phone, notes or free text; it cannot be opened any more.
ALTER TABLE household ADD COLUMN erased_on TEXT;
ALTER TABLE household ADD COLUMN erase_reason TEXT;
CREATE INDEX household_closed ON household(closed_on) WHERE closed_on IS NOT NULL;
