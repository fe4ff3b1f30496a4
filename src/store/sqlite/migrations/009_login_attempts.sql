-- keukentafel schema: failed logins under names that are no account, counted like an account's
-- own (user.failed_logins, user.login_blocked_until), so that an unknown name answers exactly
-- as a known one does and a guesser cannot tell which names exist.
CREATE TABLE IF NOT EXISTS login_attempt (
    username TEXT PRIMARY KEY,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    blocked_until TEXT
) STRICT;
