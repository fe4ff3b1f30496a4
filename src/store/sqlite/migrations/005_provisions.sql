-- keukentafel schema: provisions (voorzieningen), providers (aanbieders) and their contracts.

-- A provider of support, known by its AGB code (8 digits).
CREATE TABLE provider (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    agb_code    TEXT NOT NULL UNIQUE CHECK (length(agb_code) = 8 AND agb_code NOT GLOB '*[^0-9]*'),
    contact     TEXT,
    created_at  TEXT NOT NULL
) STRICT;

-- A provider's contract for one product: tariff (in cents) per unit, for a period.
CREATE TABLE contract (
    id            INTEGER PRIMARY KEY,
    provider_id   INTEGER NOT NULL REFERENCES provider(id),
    product_code  TEXT NOT NULL,
    tariff_cents  INTEGER NOT NULL CHECK (tariff_cents >= 0),
    unit          TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    UNIQUE (provider_id, product_code, valid_from)
) STRICT;
CREATE INDEX contract_product ON contract(product_code);

-- A provision for one member of a household, from request to end.
CREATE TABLE provision (
    id                  INTEGER PRIMARY KEY,
    household_id        INTEGER NOT NULL REFERENCES household(id),
    person_id           INTEGER NOT NULL REFERENCES person(id),
    law                 TEXT NOT NULL CHECK (law IN ('wmo', 'jeugdwet')),
    category            TEXT NOT NULL,
    product_code        TEXT NOT NULL,
    provider_id         INTEGER REFERENCES provider(id),
    start_on            TEXT NOT NULL,
    end_on              TEXT,
    volume              INTEGER NOT NULL CHECK (volume > 0),
    unit                TEXT NOT NULL,
    frequency           TEXT NOT NULL,
    financing           TEXT NOT NULL CHECK (financing IN ('zin', 'pgb')),
    eigen_bijdrage      INTEGER NOT NULL CHECK (eigen_bijdrage IN (0, 1)),
    motivation          TEXT,
    status              TEXT NOT NULL CHECK (status IN
                          ('aangevraagd', 'toegekend', 'afgewezen', 'toegewezen', 'gestart', 'beeindigd')),
    beschikking_on      TEXT,
    beschikking_number  TEXT,
    toewijzing_number   TEXT,
    assigned_on         TEXT,
    svb_reported_on     TEXT,
    cak_notified_on     TEXT,
    ended_on            TEXT,
    end_reason          TEXT,
    requested_by        INTEGER NOT NULL REFERENCES user(id),
    requested_at        TEXT NOT NULL
) STRICT;
CREATE INDEX provision_household ON provision(household_id);
CREATE INDEX provision_status ON provision(status, start_on);
