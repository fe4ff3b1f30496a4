-- keukentafel schema: messages sent to providers (the iWmo/iJw 301 toewijzing), so that each
-- toewijzing is exported once and every message has its own identification.

CREATE TABLE outgoing_message (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('WMO301', 'JW301')),
    provider_id     INTEGER NOT NULL REFERENCES provider(id),
    identification  TEXT NOT NULL UNIQUE,
    dagtekening     TEXT NOT NULL,
    items           INTEGER NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES user(id),
    created_at      TEXT NOT NULL
) STRICT;

-- The message that last carried a provision's toewijzing; NULL while not yet exported.
ALTER TABLE provision ADD COLUMN toewijzing_message_id INTEGER REFERENCES outgoing_message(id);
CREATE INDEX provision_toewijzing_export ON provision(provider_id, status, toewijzing_message_id);
