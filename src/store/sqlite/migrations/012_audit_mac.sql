-- adds column: audit_log.mac
-- Each audit row's keyed code: HMAC-SHA256 over its hash with the key in `<db>.ketensleutel`
-- (see `anchor.rs`). NULL for rows of a database without a key file (made before this
-- migration): such a chain is not anchored.
ALTER TABLE audit_log ADD COLUMN mac TEXT;
