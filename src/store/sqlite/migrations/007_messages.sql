-- keukentafel schema: the message cycle with providers (iWmo/iJw 3.2). What each toewijzing
-- looked like when it was last sent (so a change goes out as a change, rule OP087), the actual
-- start and end of care the provider reports (305, 307), the messages read in (each once), the
-- requests of providers (315, 317) with the backoffice's decision, and the answers sent (319).

-- The terms of the toewijzing as last sent in a 301 ("einde|volume|eenheid|frequentie");
-- NULL while never sent.
ALTER TABLE provision ADD COLUMN sent_terms TEXT;
-- Why the toewijzing last changed after it was sent (code list RedenWijziging), when the
-- change came from a provider's message; NULL when the change speaks for itself.
ALTER TABLE provision ADD COLUMN change_reason TEXT;
-- Actual care as the provider reports it: first day (305), last day and reason (307, code
-- list RedenBeeindiging).
ALTER TABLE provision ADD COLUMN care_started_on TEXT;
ALTER TABLE provision ADD COLUMN care_ended_on TEXT;
ALTER TABLE provision ADD COLUMN care_end_reason TEXT;
-- The client of a 301 (one message per client and provider).
ALTER TABLE outgoing_message ADD COLUMN person_id INTEGER REFERENCES person(id);

-- Every message read from a provider; the same identification from the same sender is
-- refused the second time.
CREATE TABLE incoming_message (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN
                      ('WMO305', 'WMO307', 'WMO315', 'WMO317', 'JW305', 'JW307', 'JW315', 'JW317')),
    sender_agb      TEXT NOT NULL,
    identification  TEXT NOT NULL,
    dagtekening     TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    received_by     INTEGER NOT NULL REFERENCES user(id),
    received_at     TEXT NOT NULL,
    UNIQUE (sender_agb, identification)
) STRICT;

-- A provider's request, waiting for the backoffice: a verzoek om toewijzing (one per
-- requested product) or a verzoek om wijziging (one per message).
CREATE TABLE provider_request (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL REFERENCES incoming_message(id),
    kind            TEXT NOT NULL CHECK (kind IN ('toewijzing', 'wijziging')),
    law             TEXT NOT NULL CHECK (law IN ('wmo', 'jeugdwet')),
    provider_id     INTEGER NOT NULL REFERENCES provider(id),
    household_id    INTEGER NOT NULL REFERENCES household(id),
    person_id       INTEGER NOT NULL REFERENCES person(id),
    reference       TEXT NOT NULL,
    reason          TEXT,
    comment         TEXT,
    received_on     TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'toegekend', 'afgewezen')),
    decided_by      INTEGER REFERENCES user(id),
    decided_at      TEXT,
    refusal_code    TEXT,
    answer          TEXT
) STRICT;
CREATE INDEX provider_request_open ON provider_request(status, received_on);

-- The products of a request: a new product (315, or new in a 317), a toewijzing to change,
-- or one that stays as it is.
CREATE TABLE provider_request_line (
    id              INTEGER PRIMARY KEY,
    request_id      INTEGER NOT NULL REFERENCES provider_request(id),
    action          TEXT NOT NULL CHECK (action IN ('nieuw', 'wijzig', 'ongewijzigd')),
    provision_id    INTEGER REFERENCES provision(id),
    category        TEXT,
    product_code    TEXT,
    start_on        TEXT,
    end_on          TEXT,
    volume          INTEGER,
    unit            TEXT,
    frequency       TEXT,
    referrer_type   TEXT,
    referrer_name   TEXT,
    referrer_agb    TEXT
) STRICT;
CREATE INDEX provider_request_line_request ON provider_request_line(request_id);

-- Antwoordberichten (319) sent; `number` shares the counter of outgoing_message.id, so every
-- message keukentafel sends has its own identification.
CREATE TABLE outgoing_answer (
    number          INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('WMO319', 'JW319')),
    provider_id     INTEGER NOT NULL REFERENCES provider(id),
    identification  TEXT NOT NULL UNIQUE,
    dagtekening     TEXT NOT NULL,
    request_id      INTEGER NOT NULL REFERENCES provider_request(id),
    created_by      INTEGER NOT NULL REFERENCES user(id),
    created_at      TEXT NOT NULL
) STRICT;
