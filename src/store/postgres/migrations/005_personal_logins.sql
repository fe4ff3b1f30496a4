-- Personal logins and the policy in the server (issue 13).
--
-- Every keukentafel user is a PostgreSQL role of their own, `<database>_<username>`, with their
-- own password (SCRAM). The database's own roles have a double underscore, which no user name
-- can follow with (user names start with a letter):
--   <db>__owner        owns every table and function (NOLOGIN; the DBA acts as it);
--   <db>__audit        owns the audit log's append function (NOLOGIN);
--   <db>__gate         the login gate: a well-known password, and nothing but the login
--                      functions (counting failed logins needs a connection before login);
--   <db>__professional, <db>__backoffice, <db>__teamleider, <db>__beheerder: the groups per
--                      keukentafel role, which hold the grants; each user is in one.
-- The matrix of `src/auth/policy.rs` is repeated here as grants and row-level security:
-- the app keeps its own checks (with clear Dutch refusals); these are the backstop that a
-- database client cannot get around. Run by whoever owns the database (`keukentafel init`).

DO $roles$
DECLARE
    db text := current_database();
    r text;
BEGIN
    IF db !~ '^[a-z][a-z0-9_]{0,29}$' THEN
        RAISE EXCEPTION 'keukentafel: de naam van de database (%) moet met een kleine letter beginnen en mag alleen a-z, 0-9 en _ bevatten, hoogstens 30 tekens: de rollen van de gebruikers worden ernaar genoemd', db
            USING ERRCODE = '22023';
    END IF;
    FOREACH r IN ARRAY ARRAY['owner', 'audit', 'gate', 'professional', 'backoffice', 'teamleider', 'beheerder'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = db || '__' || r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', db || '__' || r);
        END IF;
    END LOOP;
    -- The owner creates and alters the users' roles, through the functions below only.
    EXECUTE format('ALTER ROLE %I CREATEROLE', db || '__owner');
    EXECUTE format('GRANT %I TO CURRENT_USER', db || '__owner');
    EXECUTE format('GRANT %I TO %I', db || '__audit', db || '__owner');
    -- A new owner of a table or function must be able to create in its schema (the DBA's role
    -- may be the database's owner with CREATEROLE rather than a superuser).
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA public TO %I, %I', db || '__owner', db || '__audit');
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', db || '__gate', db || '__gate');
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db);
    FOREACH r IN ARRAY ARRAY['gate', 'professional', 'backoffice', 'teamleider', 'beheerder'] LOOP
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', db, db || '__' || r);
    END LOOP;
END
$roles$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Which keukentafel user is connected: `<db>_<name>` is user `<name>`; any other role is none.
-- (Plain SQL without settings, so the planner inlines it. The functions below that run for
-- every query, inside the policies, are PL/pgSQL: their statements are planned once per
-- connection, where a SQL function's body is planned again at every call.)
CREATE FUNCTION kt_session_username() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN left(session_user::text, length(current_database()) + 1) = current_database() || '_'
         AND substr(session_user::text, length(current_database()) + 2, 1) ~ '^[a-z]$'
        THEN substr(session_user::text, length(current_database()) + 2)
    END
$$;

CREATE FUNCTION kt_me_role() RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT role FROM app_user
            WHERE lower(username) = kt_session_username() AND NOT disabled);
END
$$;

CREATE FUNCTION kt_me_team() RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT team_id FROM app_user
            WHERE lower(username) = kt_session_username() AND NOT disabled);
END
$$;

-- Whether the session acts for the database's owner (the DBA, `init`, `demo`, `migrate`).
CREATE FUNCTION kt_is_owner() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(session_user, current_database() || '__owner', 'MEMBER')
$$;

-- One field of an audit row as `crate::store::audit::AuditRow::computed_hash` serialises it:
-- length-prefixed in bytes, `-;` for none.
CREATE FUNCTION kt_audit_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN '-;' ELSE octet_length(v)::text || ':' || v || ';' END
$$;

-- Appends one audit row to the chain: under the chain's lock, after the head, with its hash.
-- Owned by `<db>__audit`; executable by the owner's functions only.
CREATE FUNCTION kt_audit_write(
    p_at text, p_user_id bigint, p_username text, p_role text, p_action text, p_object text,
    p_object_id bigint, p_household_id bigint, p_person_id bigint, p_workstation text,
    p_on_behalf_of text, p_detail text
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    last_id bigint;
    prev text;
    new_id bigint;
    digest text;
BEGIN
    PERFORM pg_advisory_xact_lock(1263812949); -- "KTAU", `postgres::audit::CHAIN_LOCK`
    SELECT id, hash INTO last_id, prev FROM audit_log ORDER BY id DESC LIMIT 1;
    new_id := coalesce(last_id, 0) + 1;
    prev := coalesce(prev, repeat('0', 64));
    digest := encode(sha256(convert_to(
        kt_audit_field(prev) || kt_audit_field(new_id::text) || kt_audit_field(p_at)
        || kt_audit_field(p_user_id::text) || kt_audit_field(p_username) || kt_audit_field(p_role)
        || kt_audit_field(p_action) || kt_audit_field(p_object) || kt_audit_field(p_object_id::text)
        || kt_audit_field(p_household_id::text) || kt_audit_field(p_person_id::text)
        || kt_audit_field(p_workstation) || kt_audit_field(p_on_behalf_of) || kt_audit_field(p_detail),
        'UTF8')), 'hex');
    INSERT INTO audit_log (id, at, user_id, username, role, action, object, object_id,
                           household_id, person_id, workstation, on_behalf_of, detail,
                           prev_hash, hash)
    VALUES (new_id, p_at, p_user_id, p_username, p_role, p_action, p_object, p_object_id,
            p_household_id, p_person_id, p_workstation, p_on_behalf_of, p_detail, prev, digest);
    INSERT INTO meta (key, value) VALUES ('audit_head', new_id::text || ':' || digest)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    RETURN new_id;
END
$$;

-- The append an application role makes: the user is the connected role's account (never a
-- name the caller gives) and the workstation the client address the server sees (on a unix
-- socket, the server's own machine, the name the app gives).
CREATE FUNCTION kt_audit_append(
    p_at text, p_action text, p_object text, p_object_id bigint, p_household_id bigint,
    p_person_id bigint, p_workstation text, p_on_behalf_of text, p_detail text
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    u record;
BEGIN
    SELECT id, username, role INTO u FROM app_user WHERE lower(username) = kt_session_username();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'keukentafel: de rol % is geen gebruiker van deze database', session_user
            USING ERRCODE = '42501';
    END IF;
    RETURN kt_audit_write(p_at, u.id, u.username, u.role, p_action, p_object, p_object_id,
        p_household_id, p_person_id, coalesce(host(inet_client_addr()), p_workstation),
        p_on_behalf_of, p_detail);
END
$$;

-- Login, step 1 (through the gate, before the password is tried): in the caller's transaction,
-- takes the name's lock, which that transaction holds while the password is tried and its
-- outcome counted, so parallel guesses for one name are checked one after the other and cannot
-- slip past the count. Answers how long the name must still wait (0: try now) and its count of
-- failures so far. A wait is audited here.
CREATE FUNCTION kt_login_delay(failures bigint) RETURNS interval LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN failures < 5 THEN interval '0'
                ELSE least(30 * power(2, least(failures - 5, 20)), 3600) * interval '1 second' END
$$;

CREATE FUNCTION kt_login_begin(p_name text, p_workstation text, p_now timestamptz)
RETURNS TABLE (wait_seconds bigint, failures bigint) LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    a record;
    f bigint;
    until timestamptz;
BEGIN
    p_name := lower(btrim(p_name));
    PERFORM pg_advisory_xact_lock(hashtext('keukentafel login ' || p_name));
    SELECT id, username, role, failed_logins, login_blocked_until INTO a
    FROM app_user WHERE lower(username) = p_name;
    IF FOUND THEN
        f := a.failed_logins;
        until := a.login_blocked_until;
    ELSE
        SELECT l.failed_logins, l.blocked_until INTO f, until
        FROM login_attempt l WHERE l.username = p_name;
        f := coalesce(f, 0);
    END IF;
    IF until IS NOT NULL AND until > p_now THEN
        PERFORM kt_audit_write(to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            a.id, coalesce(a.username, '(onbekend)'), coalesce(a.role, '-'), 'login', 'user', a.id,
            NULL, NULL, coalesce(host(inet_client_addr()), p_workstation), NULL,
            'geweigerd: wachttijd');
        RETURN QUERY SELECT ceil(extract(epoch FROM until - p_now))::bigint, f;
        RETURN;
    END IF;
    RETURN QUERY SELECT 0::bigint, f;
END
$$;

-- Login, step 2 when the password was refused (or the role may not log in), in the same
-- transaction as step 1: the count with this failure (and the wait it brings), and the audit
-- row. Answers the new count.
CREATE FUNCTION kt_login_failed(p_name text, p_workstation text, p_now timestamptz, p_disabled boolean)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    a record;
    f bigint;
    d interval;
BEGIN
    p_name := lower(btrim(p_name));
    PERFORM pg_advisory_xact_lock(hashtext('keukentafel login ' || p_name));
    SELECT id, username, role, failed_logins INTO a FROM app_user WHERE lower(username) = p_name;
    IF FOUND AND p_disabled THEN
        -- The right password of a blocked account: told so, and not a failure.
        f := a.failed_logins;
    ELSIF FOUND THEN
        f := a.failed_logins + 1;
        d := kt_login_delay(f);
        UPDATE app_user SET failed_logins = f, last_failed_at = p_now,
            login_blocked_until = CASE WHEN d > interval '0' THEN p_now + d ELSE login_blocked_until END
        WHERE id = a.id;
    ELSE
        INSERT INTO login_attempt AS l (username, failed_logins, blocked_until)
        VALUES (p_name, 1, CASE WHEN kt_login_delay(1) > interval '0' THEN p_now + kt_login_delay(1) END)
        ON CONFLICT (username) DO UPDATE SET
            failed_logins = l.failed_logins + 1,
            blocked_until = CASE WHEN kt_login_delay(l.failed_logins + 1) > interval '0'
                                 THEN p_now + kt_login_delay(l.failed_logins + 1)
                                 ELSE l.blocked_until END
        RETURNING l.failed_logins INTO f;
    END IF;
    PERFORM kt_audit_write(to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        a.id, coalesce(a.username, '(onbekend)'), coalesce(a.role, '-'), 'login', 'user', a.id,
        NULL, NULL, coalesce(host(inet_client_addr()), p_workstation), NULL,
        CASE WHEN p_disabled AND a.id IS NOT NULL THEN 'geweigerd: account geblokkeerd'
             WHEN a.id IS NOT NULL THEN 'mislukt: onjuist wachtwoord (' || f || 'e keer)'
             ELSE 'mislukt: onbekende gebruiker (' || f || 'e keer)' END);
    RETURN f;
END
$$;

-- Login, step 3, as the user's own role: the count starts again. Answers the account's id and
-- whether it is disabled in keukentafel (then the login is refused and audited as such).
CREATE FUNCTION kt_login_done(p_workstation text, p_now timestamptz)
RETURNS TABLE (user_id bigint, disabled boolean) LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    a record;
BEGIN
    SELECT u.id, u.username, u.role, u.disabled INTO a
    FROM app_user u WHERE lower(u.username) = kt_session_username() FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE app_user SET failed_logins = 0, login_blocked_until = NULL
    WHERE id = a.id AND (failed_logins <> 0 OR login_blocked_until IS NOT NULL);
    IF a.disabled THEN
        PERFORM kt_audit_write(to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            a.id, a.username, a.role, 'login', 'user', a.id, NULL, NULL,
            coalesce(host(inet_client_addr()), p_workstation), NULL, 'geweigerd: account geblokkeerd');
    END IF;
    RETURN QUERY SELECT a.id, a.disabled;
END
$$;

-- The users' roles, managed by a beheerder (or the owner) through these functions only: the
-- owner's CREATEROLE never reaches an application role. Passwords arrive as SCRAM verifiers
-- made by the client, so no plain password reaches the server or its log.
CREATE FUNCTION kt_role_name(p_username text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_username !~ '^[a-z][a-z0-9._-]{1,31}$' THEN
        RAISE EXCEPTION 'keukentafel: ongeldige gebruikersnaam %', p_username USING ERRCODE = '22023';
    END IF;
    RETURN current_database() || '_' || p_username;
END
$$;

CREATE FUNCTION kt_check_verifier(p_verifier text) RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_verifier IS NULL OR left(p_verifier, 14) <> 'SCRAM-SHA-256$' THEN
        RAISE EXCEPTION 'keukentafel: een wachtwoord komt alleen als SCRAM-verifier binnen'
            USING ERRCODE = '22023';
    END IF;
END
$$;

CREATE FUNCTION kt_may_manage_users() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT kt_is_owner() OR coalesce(kt_me_role() = 'beheerder', false)
$$;

CREATE FUNCTION kt_role_create(p_username text, p_verifier text, p_role text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    r text := kt_role_name(lower(p_username));
    g text;
BEGIN
    IF NOT kt_may_manage_users() THEN
        RAISE EXCEPTION 'keukentafel: alleen een beheerder maakt gebruikers' USING ERRCODE = '42501';
    END IF;
    IF p_role NOT IN ('professional', 'backoffice', 'teamleider', 'beheerder') THEN
        RAISE EXCEPTION 'keukentafel: onbekende rol %', p_role USING ERRCODE = '22023';
    END IF;
    PERFORM kt_check_verifier(p_verifier);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', r, p_verifier);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', r, p_verifier);
    END IF;
    FOREACH g IN ARRAY ARRAY['professional', 'backoffice', 'teamleider', 'beheerder'] LOOP
        IF g <> p_role THEN
            EXECUTE format('REVOKE %I FROM %I', current_database() || '__' || g, r);
        END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', current_database() || '__' || p_role, r);
END
$$;

CREATE FUNCTION kt_role_password(p_username text, p_verifier text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    r text := kt_role_name(lower(p_username));
BEGIN
    IF NOT (kt_may_manage_users() OR lower(p_username) = kt_session_username()) THEN
        RAISE EXCEPTION 'keukentafel: alleen een beheerder zet het wachtwoord van een ander'
            USING ERRCODE = '42501';
    END IF;
    PERFORM kt_check_verifier(p_verifier);
    IF NOT EXISTS (SELECT 1 FROM app_user WHERE lower(username) = lower(p_username)) THEN
        RAISE EXCEPTION 'keukentafel: onbekende gebruiker %', p_username USING ERRCODE = '22023';
    END IF;
    UPDATE app_user SET failed_logins = 0, login_blocked_until = NULL
    WHERE lower(username) = lower(p_username);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', r, p_verifier);
    ELSE
        -- An account made before personal logins (or copied by `migrate`) gets its role now.
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', r, p_verifier);
        EXECUTE format('GRANT %I TO %I', current_database() || '__' || (
            SELECT role FROM app_user WHERE lower(username) = lower(p_username)), r);
    END IF;
END
$$;

CREATE FUNCTION kt_role_login(p_username text, p_enabled boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    r text := kt_role_name(lower(p_username));
BEGIN
    IF NOT kt_may_manage_users() THEN
        RAISE EXCEPTION 'keukentafel: alleen een beheerder blokkeert gebruikers' USING ERRCODE = '42501';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('ALTER ROLE %I %s', r, CASE WHEN p_enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    END IF;
END
$$;

-- The finder (`postgres::search`, whose text this repeats): the four tiers of word matches
-- under one limit, through the word indexes. Row-level security would hide the indexes from
-- the planner (a `tsvector` match is not "leakproof", so the policy's condition must run
-- first, on every row), so the finder runs as the owner and applies the scope itself: a
-- professional their own team's households, both in the index (the team's word) and in the
-- rows; backoffice every team's; the owner the team it asks for; the others none.
CREATE FUNCTION kt_find_words(p_exact text, p_prefix text, p_team bigint, p_limit bigint)
RETURNS TABLE (tier integer, id bigint, label text, street text, house_number text,
               postcode text, city text, open boolean, names text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    v_role text := kt_me_role();
    v_team bigint;
    v_exact tsquery;
    v_prefix tsquery;
BEGIN
    IF kt_is_owner() THEN
        v_team := p_team;
    ELSIF v_role = 'professional' THEN
        v_team := kt_me_team();
        IF v_team IS NULL THEN
            RETURN;
        END IF;
    ELSIF v_role = 'backoffice' THEN
        v_team := NULL;
    ELSE
        RETURN;
    END IF;
    v_exact := p_exact::tsquery;
    v_prefix := p_prefix::tsquery;
    IF v_team IS NOT NULL THEN
        v_exact := v_exact && ('''~t' || v_team::text || '''')::tsquery;
        v_prefix := v_prefix && ('''~t' || v_team::text || '''')::tsquery;
    END IF;
    RETURN QUERY
    SELECT b.tier, h.id, h.label, h.street, h.house_number, h.postcode, h.city,
           (h.closed_on IS NULL OR h.close_reason IS NULL),
           ARRAY(SELECT p.name FROM person p WHERE p.household_id = h.id
                 ORDER BY p.birth_date IS NULL, p.birth_date, p.id)
    FROM (SELECT w.tier, w.household_id FROM (
        (SELECT 0 AS tier, s.household_id FROM household_search s
         WHERE (s.label_words || array_to_tsvector(ARRAY['~t' || s.team_id::text])) @@ v_exact
           AND (v_team IS NULL OR s.team_id = v_team)
         LIMIT p_limit)
        UNION ALL
        (SELECT 1, s.household_id FROM household_search s
         WHERE (s.all_words || array_to_tsvector(ARRAY['~t' || s.team_id::text])) @@ v_exact
           AND NOT (s.label_words || array_to_tsvector(ARRAY['~t' || s.team_id::text])) @@ v_exact
           AND (v_team IS NULL OR s.team_id = v_team)
         LIMIT p_limit)
        UNION ALL
        (SELECT 2, s.household_id FROM household_search s
         WHERE (s.label_words || array_to_tsvector(ARRAY['~t' || s.team_id::text])) @@ v_prefix
           AND NOT (s.all_words || array_to_tsvector(ARRAY['~t' || s.team_id::text])) @@ v_exact
           AND (v_team IS NULL OR s.team_id = v_team)
         LIMIT p_limit)
        UNION ALL
        (SELECT 3, s.household_id FROM household_search s
         WHERE (s.all_words || array_to_tsvector(ARRAY['~t' || s.team_id::text])) @@ v_prefix
           AND NOT (s.label_words || array_to_tsvector(ARRAY['~t' || s.team_id::text])) @@ v_prefix
           AND NOT (s.all_words || array_to_tsvector(ARRAY['~t' || s.team_id::text])) @@ v_exact
           AND (v_team IS NULL OR s.team_id = v_team)
         LIMIT p_limit)) w LIMIT p_limit) b
    JOIN household h ON h.id = b.household_id
    ORDER BY b.tier, h.id;
END
$$;

-- Where a household belongs (its team, whether it was erased, its regisseur) and nothing
-- else, for every user: the app must tell "not yours" from "not there" and audit the refusal,
-- while row-level security hides the household itself.
CREATE FUNCTION kt_household_place(p_id bigint)
RETURNS TABLE (team_id bigint, erased_on date, regisseur_id bigint) LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT h.team_id, h.erased_on, h.regisseur_id FROM household h WHERE h.id = p_id;
END
$$;

-- The household a member or record belongs to, and nothing else, for the same reason.
CREATE FUNCTION kt_record_household(p_table text, p_id bigint)
RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN CASE p_table
        WHEN 'person' THEN (SELECT household_id FROM person WHERE id = p_id)
        WHEN 'agreement' THEN (SELECT household_id FROM agreement WHERE id = p_id)
        WHEN 'flag' THEN (SELECT household_id FROM flag WHERE id = p_id)
        WHEN 'plan_goal' THEN (SELECT household_id FROM plan_goal WHERE id = p_id)
        WHEN 'consent' THEN (SELECT household_id FROM consent WHERE id = p_id)
    END;
END
$$;

-- Erasing a household's personal data after its retention period (AVG): its names, address,
-- birth dates, BSNs, phone numbers and texts, and its finder words. A beheerder's; they are
-- not granted these columns at all, so the erasure runs as the owner, after the app's checks
-- (retention, closed, audited in the same transaction). Answers the members and texts erased.
CREATE FUNCTION kt_erase_household(p_id bigint, p_erased text, p_today date, p_reason text)
RETURNS TABLE (persons bigint, texts bigint) LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    n bigint;
    members bigint;
    changed bigint := 0;
BEGIN
    IF NOT (kt_is_owner() OR coalesce(kt_me_role() = 'beheerder', false)) THEN
        RAISE EXCEPTION 'keukentafel: alleen een beheerder wist huishoudens' USING ERRCODE = '42501';
    END IF;
    UPDATE household SET label = 'Gewist huishouden ' || id, street = '', house_number = '',
           postcode = '', city = '', close_reason = p_erased, erased_on = p_today,
           erase_reason = p_reason
    WHERE id = p_id;
    UPDATE person SET name = 'Persoon ' || id, birth_date = NULL, bsn = NULL, phone = NULL
    WHERE household_id = p_id;
    GET DIAGNOSTICS members = ROW_COUNT;
    UPDATE agreement SET what = p_erased,
           cancel_reason = CASE WHEN cancel_reason IS NULL THEN NULL ELSE p_erased END
    WHERE household_id = p_id;
    GET DIAGNOSTICS n = ROW_COUNT; changed := changed + n;
    UPDATE plan_goal SET goal = p_erased WHERE household_id = p_id;
    GET DIAGNOSTICS n = ROW_COUNT; changed := changed + n;
    UPDATE flag SET end_reason = p_erased WHERE household_id = p_id AND end_reason IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; changed := changed + n;
    UPDATE consent SET purpose = p_erased WHERE household_id = p_id;
    GET DIAGNOSTICS n = ROW_COUNT; changed := changed + n;
    UPDATE provision SET end_reason = p_erased WHERE household_id = p_id AND end_reason IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; changed := changed + n;
    UPDATE contact SET note = NULL WHERE household_id = p_id AND note IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; changed := changed + n;
    UPDATE provision SET motivation = NULL WHERE household_id = p_id AND motivation IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; changed := changed + n;
    UPDATE household_search SET label_words = ''::tsvector, all_words = ''::tsvector
    WHERE household_id = p_id;
    RETURN QUERY SELECT members, changed;
END
$$;

-- The policies name the groups they are for (`TO`), so each role's condition is one simple
-- comparison the planner can use an index for (a condition that asks for the role inside it
-- costs a scan of every household).
DO $policies$
DECLARE
    db text := current_database();
    own text;
    every text;
    t text;
BEGIN
    own := format('%I, %I', db || '__professional', db || '__teamleider');
    every := format('%I, %I', db || '__backoffice', db || '__beheerder');
    FOREACH t IN ARRAY ARRAY['household', 'household_search'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_team ON %I TO %s USING (team_id = (SELECT kt_me_team())) WITH CHECK (team_id = (SELECT kt_me_team()))', t, own);
        EXECUTE format('CREATE POLICY every_team ON %I TO %s USING (true) WITH CHECK (true)', t, every);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['person', 'zrm_assessment', 'agreement', 'flag', 'contact', 'plan_goal',
                             'consent', 'provision', 'provider_request'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        -- The row's household, looked up by its key under the household's own policy: a
        -- probe per row, cheaper for one household's rows than the team's every household.
        EXECUTE format('CREATE POLICY own_team ON %I TO %s USING (EXISTS (SELECT 1 FROM household h WHERE h.id = household_id)) WITH CHECK (EXISTS (SELECT 1 FROM household h WHERE h.id = household_id))', t, own);
        EXECUTE format('CREATE POLICY every_team ON %I TO %s USING (true) WITH CHECK (true)', t, every);
    END LOOP;
    -- Colleagues: a professional sees their own team's accounts (the regisseurs they may
    -- choose, who recorded what) and their own; the other roles every account (their lists
    -- and dashboards name users of all teams); a beheerder manages them. The audit role reads
    -- the account it stamps on a row.
    ALTER TABLE app_user ENABLE ROW LEVEL SECURITY;
    EXECUTE format('CREATE POLICY own_team ON app_user FOR SELECT TO %I USING (team_id = (SELECT kt_me_team()) OR lower(username) = (SELECT kt_session_username()))', db || '__professional');
    EXECUTE format('CREATE POLICY every_team ON app_user FOR SELECT TO %I, %I, %I USING (true)', db || '__backoffice', db || '__teamleider', db || '__audit');
    EXECUTE format('CREATE POLICY managed ON app_user TO %I USING (true) WITH CHECK (true)', db || '__beheerder');
    -- The audit log: a beheerder reads it all (`check`, `audit`); a professional the rows of
    -- their team's households (the access log) and their own; the others their own.
    ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
    EXECUTE format('CREATE POLICY every_row ON audit_log FOR SELECT TO %I USING (true)', db || '__beheerder');
    EXECUTE format('CREATE POLICY own_team ON audit_log FOR SELECT TO %I USING (household_id IN (SELECT h.id FROM household h) OR lower(username) = (SELECT kt_session_username()))', db || '__professional');
    EXECUTE format('CREATE POLICY own_rows ON audit_log FOR SELECT TO %I, %I USING (lower(username) = (SELECT kt_session_username()))', db || '__backoffice', db || '__teamleider');
END
$policies$;

-- Grants per group, and every object to the owner.
DO $grants$
DECLARE
    db text := current_database();
    owner text := db || '__owner';
    t text;
    f text;
    g text;
BEGIN
    REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('ALTER TABLE %I OWNER TO %I', t, owner);
    END LOOP;
    -- The audit role owns the log (so its head is read past the row-level security of the
    -- connected user); the owner is a member of it.
    EXECUTE format('ALTER TABLE audit_log OWNER TO %I', db || '__audit');
    FOR f IN SELECT p.oid::regprocedure::text FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f, owner);
    END LOOP;
    EXECUTE format('ALTER FUNCTION kt_audit_write(text, bigint, text, text, text, text, bigint, bigint, bigint, text, text, text) OWNER TO %I', db || '__audit');
    EXECUTE format('ALTER FUNCTION kt_audit_append(text, text, text, bigint, bigint, bigint, text, text, text) OWNER TO %I', db || '__audit');
    EXECUTE format('GRANT SELECT (id, username, role) ON app_user TO %I', db || '__audit');
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON meta TO %I', db || '__audit');
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', db || '__audit');
    EXECUTE format('GRANT EXECUTE ON FUNCTION kt_audit_field(text), kt_session_username(), kt_me_role(), kt_me_team() TO %I', db || '__audit');
    EXECUTE format('GRANT EXECUTE ON FUNCTION kt_audit_write(text, bigint, text, text, text, text, bigint, bigint, bigint, text, text, text) TO %I', owner);
    -- The gate: the login functions and what opening the database reads.
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', db || '__gate');
    EXECUTE format('GRANT SELECT ON meta, schema_version TO %I', db || '__gate');
    EXECUTE format('GRANT EXECUTE ON FUNCTION kt_login_begin(text, text, timestamptz), kt_login_failed(text, text, timestamptz, boolean) TO %I', db || '__gate');
    FOREACH g IN ARRAY ARRAY['professional', 'backoffice', 'teamleider', 'beheerder'] LOOP
        g := db || '__' || g;
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', g);
        EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', g);
        EXECUTE format('GRANT SELECT ON meta, schema_version, team TO %I', g);
        EXECUTE format('GRANT SELECT (id, username, display_name, role, team_id, phone, disabled, failed_logins, last_failed_at, login_blocked_until, created_at) ON app_user TO %I', g);
        EXECUTE format('GRANT SELECT ON audit_log TO %I', g);
        EXECUTE format('GRANT EXECUTE ON FUNCTION kt_audit_append(text, text, text, bigint, bigint, bigint, text, text, text), kt_login_begin(text, text, timestamptz), kt_login_failed(text, text, timestamptz, boolean), kt_login_done(text, timestamptz), kt_role_password(text, text), kt_me_role(), kt_me_team(), kt_session_username(), kt_household_place(bigint), kt_record_household(text, bigint), kt_find_words(text, text, bigint, bigint) TO %I', g);
    END LOOP;
    -- professional: their team's households, everything of them.
    g := db || '__professional';
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON household, household_search, person, zrm_assessment, agreement, flag, contact, plan_goal, consent, provision, provider_request, provider_request_line TO %I', g);
    EXECUTE format('GRANT SELECT ON provider, contract TO %I', g);
    -- backoffice: every team's administrative data; no content (contacts, agreements, ZRM,
    -- plan, consents) is granted.
    g := db || '__backoffice';
    EXECUTE format('GRANT SELECT, UPDATE ON household TO %I', g);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON person, household_search TO %I', g);
    EXECUTE format('GRANT SELECT ON consent TO %I', g);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON provision, provider, contract, outgoing_message, incoming_message, provider_request, provider_request_line, outgoing_answer, flag TO %I', g);
    -- teamleider and beheerder: of the households (a teamleider's own team's, row-level
    -- security sees to that) only the columns the steering figures count, and what retention
    -- asks (closed, erased, youth care): no name, address, member or text. A teamleider may
    -- change the regisseur; a beheerder erases through `kt_erase_household`.
    FOREACH g IN ARRAY ARRAY[db || '__teamleider', db || '__beheerder'] LOOP
        EXECUTE format('GRANT SELECT (id, team_id, regisseur_id, opened_on, closed_on, erased_on) ON household TO %I', g);
        EXECUTE format('GRANT SELECT (household_id, contact_on, kind, minutes) ON contact TO %I', g);
        EXECUTE format('GRANT SELECT (household_id, created_at, status, status_on, due_on) ON agreement TO %I', g);
        EXECUTE format('GRANT SELECT (id, person_id, household_id, scores, assessed_on) ON zrm_assessment TO %I', g);
        EXECUTE format('GRANT SELECT (household_id, kind, since, ended_on) ON flag TO %I', g);
        EXECUTE format('GRANT SELECT (household_id, law, category, financing, status, start_on, end_on, ended_on, care_started_on, care_ended_on, care_end_reason) ON provision TO %I', g);
    END LOOP;
    EXECUTE format('GRANT UPDATE (regisseur_id) ON household TO %I', db || '__teamleider');
    -- beheerder: users, teams, the audit log.
    g := db || '__beheerder';
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON team TO %I', g);
    EXECUTE format('GRANT INSERT, UPDATE ON app_user, login_attempt TO %I', g);
    EXECUTE format('GRANT SELECT ON login_attempt TO %I', g);
    EXECUTE format('GRANT EXECUTE ON FUNCTION kt_role_create(text, text, text), kt_role_login(text, boolean), kt_erase_household(bigint, text, date, text) TO %I', g);
END
$grants$;
