-- keukentafel schema on PostgreSQL: the steering figures are made on the server, with the
-- small-cell suppression applied there (issue 13), and the teamleider and the beheerder read no
-- household row at all.
--
-- Until now the app counted the figures itself from rows a teamleider's or beheerder's
-- connection could read (ids, dates, kinds, minutes, scores: pseudonymous, but rows of
-- households). Now `kt_steering` is the only way to the figures: a `SECURITY DEFINER` function
-- of the owner that applies the caller's scope (as `auth::policy::report_scope`), snaps the
-- period to whole months, counts, hides and rounds exactly as `model::report::decide` does, and
-- writes the request's audit row. What leaves the server is the report as it may be shown:
-- every hidden cell is null, every count rounded down to five.
--
-- The counting runs in `kt_steering_figures`, a STABLE function, so every section is read in
-- the one snapshot of the call; the audit row is appended after it, in a statement of its own,
-- so the chain's lock is held only for the append.

-- Which cells of one additive group are hidden: `crate::domain::suppression::suppress_group`,
-- statement for statement. `n` holds the households behind each cell, `total` those behind the
-- group's total when a total is shown (NULL: no total line). Returns one flag per cell and, last,
-- whether the total is hidden.
CREATE FUNCTION kt_suppress(n bigint[], total bigint) RETURNS boolean[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    len int := coalesce(cardinality(n), 0);
    hidden boolean[] := '{}';
    hidden_count int;
    hidden_sum bigint;
    best int;
BEGIN
    FOR i IN 1..len LOOP
        hidden := hidden || (n[i] < 5);
    END LOOP;
    IF total IS NULL THEN
        RETURN hidden || false;
    END IF;
    IF total < 5 THEN
        RETURN array_fill(true, ARRAY[len + 1]);
    END IF;
    LOOP
        hidden_count := 0;
        hidden_sum := 0;
        FOR i IN 1..len LOOP
            IF hidden[i] THEN
                hidden_count := hidden_count + 1;
                hidden_sum := hidden_sum + n[i];
            END IF;
        END LOOP;
        IF hidden_count = 0 OR (hidden_count >= 2 AND hidden_sum >= 5) THEN
            RETURN hidden || false;
        END IF;
        -- The smallest cell still shown (the first of equals) is hidden as well.
        best := NULL;
        FOR i IN 1..len LOOP
            IF NOT hidden[i] AND (best IS NULL OR n[i] < n[best]) THEN
                best := i;
            END IF;
        END LOOP;
        IF best IS NULL THEN
            RETURN hidden || true;
        END IF;
        hidden[best] := true;
    END LOOP;
END
$$;

-- A count as it may be shown (`suppression::round_shown`, `round_minutes`): rounded down to a
-- multiple of `step`, or null when hidden.
CREATE FUNCTION kt_shown(hidden boolean, n bigint, step bigint) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN hidden THEN 'null'::jsonb
                ELSE to_jsonb(n - ((n % step) + step) % step) END
$$;

-- A ratio as it may be shown: `scale * num / den` in double precision (as the app computes it),
-- 0 without a denominator, or null when hidden.
CREATE FUNCTION kt_shown_ratio(hidden boolean, num bigint, den bigint, scale float8) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN hidden THEN 'null'::jsonb
                WHEN den > 0 THEN to_jsonb(scale * num::float8 / den::float8)
                ELSE to_jsonb(0::float8) END
$$;

-- One stored ZRM assessment (`key=3;key2=-`) as a level per domain, 0 for not scored; a key given
-- twice keeps its last score (as `model::report::tally::decode_levels`). The text must be well
-- formed (`kt_steering_figures` checks it first).
CREATE FUNCTION kt_zrm_levels(t text) RETURNS TABLE (domain text, level int)
LANGUAGE sql IMMUTABLE AS $$
    SELECT DISTINCT ON (split_part(u.part, '=', 1))
           split_part(u.part, '=', 1),
           CASE split_part(u.part, '=', 2) WHEN '-' THEN 0 ELSE split_part(u.part, '=', 2)::int END
    FROM unnest(string_to_array(nullif(t, ''), ';')) WITH ORDINALITY AS u(part, n)
    ORDER BY split_part(u.part, '=', 1), u.n DESC
$$;

-- The figures of one scope (`p_team`, NULL for every team) over one period of whole months, as
-- they may be shown. `p_kinds`, `p_flags` and `p_domains` are the catalogue's keys in its order:
-- rows follow it, and keys the catalogue no longer has come after, in key order. Executable by
-- the owner only: the scope is `kt_steering`'s to decide.
CREATE FUNCTION kt_steering_figures(
    p_team bigint, p_from date, p_to date, p_today date, p_provisions_only boolean,
    p_kinds text[], p_flags text[], p_domains text[]
) RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    -- The team condition of a query over households `h` and the `FROM … WHERE` of a section
    -- over a table (alias `x`) in scope: for one team the query is driven from the team's
    -- households, for all teams the table is read alone through its date index. Only these
    -- fixed texts are spliced in; values stay bound ($1 team, $2 from, $3 to).
    team_cond text := CASE WHEN p_team IS NULL THEN '$1::bigint IS NULL' ELSE 'h.team_id = $1' END;
    scoped text := CASE WHEN p_team IS NULL THEN 'FROM %1$s x WHERE $1::bigint IS NULL AND'
                        ELSE 'FROM household h JOIN %1$s x ON x.household_id = h.id WHERE h.team_id = $1 AND' END;
    out jsonb;
    r record;
    names text[];
    opened bigint[];
    closed bigint[];
    hide_o boolean[];
    hide_c boolean[];
    k_keys text[] := '{}';
    k_n bigint[] := '{}';
    k_min bigint[] := '{}';
    k_h bigint[] := '{}';
    m_key date[] := '{}';
    m_n bigint[] := '{}';
    m_h bigint[] := '{}';
    all_h bigint := 0;
    hide boolean[];
    section jsonb;
    broken text;
    figures bigint[];
BEGIN
    out := jsonb_build_object(
        'from', to_char(p_from, 'YYYY-MM-DD'),
        'to', to_char(p_to, 'YYYY-MM-DD'),
        'team', (SELECT t.name FROM team t WHERE t.id = p_team),
        'provisions_only', p_provisions_only);
    IF NOT p_provisions_only THEN
        -- Households opened and closed per team, with a total when there is more than one team.
        SELECT coalesce(array_agg(s.name ORDER BY s.name COLLATE "C"), '{}'),
               coalesce(array_agg(s.opened ORDER BY s.name COLLATE "C"), '{}'),
               coalesce(array_agg(s.closed ORDER BY s.name COLLATE "C"), '{}')
        INTO names, opened, closed
        FROM (SELECT t.name,
                     (SELECT count(*) FROM household h
                      WHERE h.team_id = t.id AND h.opened_on BETWEEN p_from AND p_to) AS opened,
                     (SELECT count(*) FROM household h
                      WHERE h.team_id = t.id AND h.closed_on BETWEEN p_from AND p_to) AS closed
              FROM team t WHERE p_team IS NULL OR t.id = p_team) s;
        hide_o := kt_suppress(opened, CASE WHEN cardinality(names) > 1
                                           THEN (SELECT sum(v)::bigint FROM unnest(opened) v) END);
        hide_c := kt_suppress(closed, CASE WHEN cardinality(names) > 1
                                           THEN (SELECT sum(v)::bigint FROM unnest(closed) v) END);
        out := out || jsonb_build_object(
            'teams', (SELECT coalesce(jsonb_agg(jsonb_build_array(names[i],
                          jsonb_build_array(kt_shown(hide_o[i], opened[i], 5),
                                            kt_shown(hide_c[i], closed[i], 5))) ORDER BY i), '[]')
                      FROM generate_subscripts(names, 1) i),
            'teams_total', CASE WHEN cardinality(names) > 1 THEN jsonb_build_array(
                kt_shown(hide_o[cardinality(names) + 1], (SELECT sum(v)::bigint FROM unnest(opened) v), 5),
                kt_shown(hide_c[cardinality(names) + 1], (SELECT sum(v)::bigint FROM unnest(closed) v), 5)) END);

        -- Contacts per kind, per month and the households with any: one pass over the period's
        -- contacts, kinds in catalogue order.
        FOR r IN EXECUTE format(
            'SELECT GROUPING(c.kind) AS no_kind, GROUPING(c.m) AS no_month, c.kind, c.m,
                    count(*) AS n, coalesce(sum(c.minutes), 0)::bigint AS minutes,
                    count(DISTINCT c.household_id) AS households
             FROM (SELECT x.kind, x.minutes, x.household_id,
                          date_trunc(''month'', x.contact_on)::date AS m '
                   || scoped || ' x.contact_on BETWEEN $2 AND $3) c
             GROUP BY GROUPING SETS ((c.kind), (c.m), ())
             ORDER BY coalesce(array_position($4, c.kind), 2147483647), c.kind COLLATE "C", c.m',
            'contact') USING p_team, p_from, p_to, p_kinds
        LOOP
            IF r.no_kind = 0 THEN
                k_keys := k_keys || r.kind;
                k_n := k_n || r.n;
                k_min := k_min || r.minutes;
                k_h := k_h || r.households;
            ELSIF r.no_month = 0 THEN
                m_key := m_key || r.m;
                m_n := m_n || r.n;
                m_h := m_h || r.households;
            ELSE
                all_h := r.households;
            END IF;
        END LOOP;
        hide := kt_suppress(k_h, CASE WHEN cardinality(k_keys) > 0 THEN all_h END);
        out := out || jsonb_build_object(
            'contacts', (SELECT coalesce(jsonb_agg(jsonb_build_array(k_keys[i],
                             jsonb_build_array(kt_shown(hide[i], k_n[i], 5),
                                               kt_shown(hide[i], k_min[i], 60),
                                               kt_shown(hide[i], k_h[i], 5))) ORDER BY i), '[]')
                         FROM generate_subscripts(k_keys, 1) i),
            'contacts_total', CASE WHEN cardinality(k_keys) > 0 THEN jsonb_build_array(
                kt_shown(hide[cardinality(k_keys) + 1], (SELECT sum(v)::bigint FROM unnest(k_n) v), 5),
                kt_shown(hide[cardinality(k_keys) + 1], (SELECT sum(v)::bigint FROM unnest(k_min) v), 60),
                kt_shown(hide[cardinality(k_keys) + 1], all_h, 5)) END);
        -- Every month of the period, one group under the contacts' total.
        SELECT array_agg(to_char(g.m, 'YYYY-MM') ORDER BY g.m),
               array_agg(coalesce(u.n, 0) ORDER BY g.m),
               array_agg(coalesce(u.h, 0) ORDER BY g.m)
        INTO names, opened, closed
        FROM (SELECT s::date AS m FROM generate_series(p_from, p_to, interval '1 month') s) g
        LEFT JOIN unnest(m_key, m_n, m_h) AS u(m, n, h) ON u.m = g.m;
        hide := kt_suppress(closed, all_h);
        out := out || jsonb_build_object(
            'months', (SELECT coalesce(jsonb_agg(jsonb_build_array(names[i],
                           jsonb_build_array(kt_shown(hide[i], opened[i], 5),
                                             kt_shown(hide[i], closed[i], 5))) ORDER BY i), '[]')
                       FROM generate_subscripts(names, 1) i));

        -- Agreements made, done and overdue in the period: three ranges of the date indexes.
        figures := ARRAY[0, 0, 0, 0, 0, 0];
        FOR r IN EXECUTE format(
            'SELECT w.section, count(*) AS n, count(DISTINCT w.household_id) AS households FROM (
                 SELECT 0 AS section, x.household_id %1$s
                     x.created_at >= $2::date::timestamp AT TIME ZONE ''UTC''
                     AND x.created_at < ($3::date + 1)::timestamp AT TIME ZONE ''UTC''
                 UNION ALL
                 SELECT 1, x.household_id %1$s
                     x.status = ''done'' AND x.status_on BETWEEN $2::date AND $3::date
                 UNION ALL
                 SELECT 2, x.household_id %1$s
                     x.status = ''open'' AND x.due_on BETWEEN $2::date AND $3::date
                     AND x.due_on < $4::date
             ) w GROUP BY w.section', format(scoped, 'agreement'))
            USING p_team, p_from, p_to, p_today
        LOOP
            figures[2 * r.section + 1] := r.n;
            figures[2 * r.section + 2] := r.households;
        END LOOP;
        out := out || jsonb_build_object('agreements', (
            SELECT jsonb_agg(jsonb_build_array(kt_shown(figures[2 * s + 2] < 5, figures[2 * s + 1], 5),
                                               kt_shown(figures[2 * s + 2] < 5, figures[2 * s + 2], 5))
                             ORDER BY s)
            FROM generate_series(0, 2) s));

        -- ZRM: per person assessed at least twice in the period, the change per domain between
        -- the first and the last assessment (the household of the first), for every domain
        -- levelled both times. A text that does not decode is an error when it is a person's
        -- first or last.
        EXECUTE format(
            'WITH a AS (SELECT x.person_id, x.household_id, x.scores, x.assessed_on, x.id %s
                            x.assessed_on BETWEEN $2 AND $3)
             SELECT v.t FROM (
                 SELECT a.person_id,
                        (array_agg(a.scores ORDER BY a.assessed_on, a.id))[1] AS first,
                        (array_agg(a.scores ORDER BY a.assessed_on DESC, a.id DESC))[1] AS last
                 FROM a GROUP BY a.person_id HAVING count(*) >= 2) e,
                 LATERAL (VALUES (1, e.first), (2, e.last)) AS v(o, t)
             WHERE v.t !~ ''^([^=;]+=[-1-5](;[^=;]+=[-1-5])*)?$''
             ORDER BY e.person_id, v.o LIMIT 1', format(scoped, 'zrm_assessment'))
            INTO broken USING p_team, p_from, p_to;
        IF broken IS NOT NULL THEN
            RAISE EXCEPTION 'keukentafel: zrm_assessment.scores onleesbaar: %', broken
                USING ERRCODE = 'XX001', DETAIL = 'zrm_assessment scores';
        END IF;
        section := '[]';
        FOR r IN EXECUTE format(
            'WITH a AS (SELECT x.person_id, x.household_id, x.scores, x.assessed_on, x.id %s
                            x.assessed_on BETWEEN $2 AND $3),
             e AS (SELECT (array_agg(a.household_id ORDER BY a.assessed_on, a.id))[1] AS household,
                          (array_agg(a.scores ORDER BY a.assessed_on, a.id))[1] AS first,
                          (array_agg(a.scores ORDER BY a.assessed_on DESC, a.id DESC))[1] AS last
                   FROM a GROUP BY a.person_id HAVING count(*) >= 2),
             c AS (SELECT e.household, f.domain, l.level - f.level AS change
                   FROM e CROSS JOIN LATERAL kt_zrm_levels(e.first) f
                   JOIN LATERAL kt_zrm_levels(e.last) l ON l.domain = f.domain
                   WHERE f.level > 0 AND l.level > 0)
             SELECT c.domain, count(*) AS persons, count(DISTINCT c.household) AS households,
                    sum(c.change)::bigint AS change_sum,
                    count(*) FILTER (WHERE c.change > 0) AS up,
                    count(DISTINCT c.household) FILTER (WHERE c.change > 0) AS up_h,
                    count(*) FILTER (WHERE c.change = 0) AS same,
                    count(DISTINCT c.household) FILTER (WHERE c.change = 0) AS same_h,
                    count(*) FILTER (WHERE c.change < 0) AS down,
                    count(DISTINCT c.household) FILTER (WHERE c.change < 0) AS down_h
             FROM c GROUP BY c.domain
             ORDER BY coalesce(array_position($4, c.domain), 2147483647), c.domain COLLATE "C"',
            format(scoped, 'zrm_assessment')) USING p_team, p_from, p_to, p_domains
        LOOP
            IF r.households < 5 THEN
                hide := ARRAY[true, true, true, true];
            ELSE
                hide := kt_suppress(ARRAY[r.up_h, r.same_h, r.down_h], r.households);
            END IF;
            section := section || jsonb_build_array(jsonb_build_array(r.domain, jsonb_build_array(
                kt_shown(r.households < 5, r.households, 5),
                kt_shown(r.households < 5, r.persons, 5),
                kt_shown_ratio(r.households < 5, r.change_sum, r.persons, 1),
                kt_shown_ratio(hide[1], r.up, r.persons, 100),
                kt_shown_ratio(hide[2], r.same, r.persons, 100),
                kt_shown_ratio(hide[3], r.down, r.persons, 100))));
        END LOOP;
        out := out || jsonb_build_object('zrm', section);

        -- Households with a flag of each type active at some time in the period.
        section := '[]';
        FOR r IN EXECUTE
            'SELECT f.kind, count(DISTINCT f.household_id) AS households FROM flag f
             JOIN household h ON h.id = f.household_id
             WHERE f.since <= $3 AND (f.ended_on IS NULL OR f.ended_on >= $2) AND ' || team_cond || '
             GROUP BY f.kind
             ORDER BY coalesce(array_position($4, f.kind), 2147483647), f.kind COLLATE "C"'
            USING p_team, p_from, p_to, p_flags
        LOOP
            section := section || jsonb_build_array(jsonb_build_array(r.kind,
                jsonb_build_array(kt_shown(r.households < 5, r.households, 5))));
        END LOOP;
        out := out || jsonb_build_object('flags', section);

        -- Households closed in the period and their mean days of support.
        EXECUTE 'SELECT count(*) AS n, coalesce(sum(h.closed_on - h.opened_on), 0)::bigint AS days
                 FROM household h WHERE h.closed_on BETWEEN $2 AND $3 AND ' || team_cond
            INTO r USING p_team, p_from, p_to;
        out := out || jsonb_build_object('duration', jsonb_build_array(
            kt_shown(r.n < 5, r.n, 5), kt_shown_ratio(r.n < 5, r.days, r.n, 1)));
    END IF;

    -- Provisions in force in the period (granted, assigned, started or ended), by law,
    -- category and financing.
    section := '[]';
    FOR r IN EXECUTE
        'SELECT v.law, v.category, v.financing, count(*) AS n,
                count(DISTINCT v.household_id) AS households
         FROM provision v JOIN household h ON h.id = v.household_id
         WHERE v.status IN (''toegekend'', ''toegewezen'', ''gestart'', ''beeindigd'')
           AND v.start_on <= $3 AND (v.end_on IS NULL OR v.end_on >= $2)
           AND (v.ended_on IS NULL OR v.ended_on >= $2) AND ' || team_cond || '
         GROUP BY v.law, v.category, v.financing
         ORDER BY v.law COLLATE "C", v.category COLLATE "C", v.financing COLLATE "C"'
        USING p_team, p_from, p_to
    LOOP
        section := section || jsonb_build_array(jsonb_build_array(
            jsonb_build_array(r.law, r.category, r.financing),
            jsonb_build_array(kt_shown(r.households < 5, r.n, 5),
                              kt_shown(r.households < 5, r.households, 5))));
    END LOOP;
    out := out || jsonb_build_object('provisions', section);

    -- Provisions whose actual care started, or ended (per reason), in the period.
    section := '[]';
    FOR r IN EXECUTE
        'SELECT law, reason, n, households FROM (
             SELECT v.law AS law, NULL::text AS reason, count(*) AS n,
                    count(DISTINCT v.household_id) AS households
             FROM provision v JOIN household h ON h.id = v.household_id
             WHERE v.care_started_on BETWEEN $2 AND $3 AND ' || team_cond || '
             GROUP BY v.law
             UNION ALL
             SELECT v.law, v.care_end_reason, count(*), count(DISTINCT v.household_id)
             FROM provision v JOIN household h ON h.id = v.household_id
             WHERE v.care_ended_on BETWEEN $2 AND $3 AND ' || team_cond || '
             GROUP BY v.law, v.care_end_reason
         ) c
         ORDER BY law COLLATE "C", reason COLLATE "C" NULLS FIRST'
        USING p_team, p_from, p_to
    LOOP
        section := section || jsonb_build_array(jsonb_build_array(
            jsonb_build_array(r.law, r.reason),
            jsonb_build_array(kt_shown(r.households < 5, r.n, 5),
                              kt_shown(r.households < 5, r.households, 5))));
    END LOOP;
    RETURN out || jsonb_build_object('care', section);
END
$$;

-- The steering figures a keukentafel role may see, and the request's audit row. The scope is the
-- policy's (`auth::policy::report_scope`): a professional's and a teamleider's own team only;
-- the backoffice the provisions part, of any team or all; a beheerder any team or all. The
-- period is snapped to whole months here too, so that no client can ask for two periods a day
-- apart and subtract them.
CREATE FUNCTION kt_steering(
    p_team bigint, p_from date, p_to date, p_today date,
    p_kinds text[], p_flags text[], p_domains text[],
    p_at text, p_workstation text, p_on_behalf_of text
) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    me text := kt_me_role();
    own bigint := kt_me_team();
    scope bigint;
    only_provisions boolean := false;
    first_day date;
    last_day date;
    figures jsonb;
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR p_to < p_from THEN
        RAISE EXCEPTION 'keukentafel: de einddatum ligt vóór de begindatum' USING ERRCODE = '22023';
    END IF;
    CASE me
        WHEN 'professional', 'teamleider' THEN
            IF own IS NULL OR (p_team IS NOT NULL AND p_team <> own) THEN
                RAISE EXCEPTION 'keukentafel: alleen de stuurcijfers van het eigen team'
                    USING ERRCODE = '42501';
            END IF;
            scope := own;
        WHEN 'backoffice' THEN
            scope := p_team;
            only_provisions := true;
        WHEN 'beheerder' THEN
            scope := p_team;
        ELSE
            RAISE EXCEPTION 'keukentafel: de rol % is geen actieve gebruiker van deze database',
                session_user USING ERRCODE = '42501';
    END CASE;
    IF scope IS NOT NULL AND NOT EXISTS (SELECT 1 FROM team WHERE id = scope) THEN
        RAISE EXCEPTION 'keukentafel: team % bestaat niet', scope USING ERRCODE = '22023';
    END IF;
    first_day := date_trunc('month', p_from)::date;
    last_day := (date_trunc('month', p_to) + interval '1 month' - interval '1 day')::date;
    figures := kt_steering_figures(scope, first_day, last_day, p_today, only_provisions,
                                   p_kinds, p_flags, p_domains);
    PERFORM kt_audit_append(p_at, 'read', 'report', NULL, NULL, NULL, p_workstation,
        p_on_behalf_of,
        'stuurcijfers ' || to_char(first_day, 'YYYY-MM-DD') || '..' || to_char(last_day, 'YYYY-MM-DD')
        || CASE WHEN figures->>'team' IS NULL THEN ' alle teams' ELSE ' team=' || (figures->>'team') END
        || CASE WHEN only_provisions THEN ' (alleen voorzieningen)' ELSE '' END);
    RETURN figures;
END
$$;

-- A teamleider (or a professional) makes a colleague the regisseur of one of their team's
-- households; a teamleider does so without reading the household (the app checks the colleague
-- first). Answers the regisseur before, or NULL when the household is not the caller's team's.
CREATE FUNCTION kt_set_regisseur(p_household bigint, p_user bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    before bigint;
BEGIN
    IF kt_me_role() NOT IN ('professional', 'teamleider') THEN
        RAISE EXCEPTION 'keukentafel: alleen een professional of teamleider wijst een regisseur toe'
            USING ERRCODE = '42501';
    END IF;
    SELECT regisseur_id INTO before FROM household
    WHERE id = p_household AND team_id = kt_me_team() FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE household SET regisseur_id = p_user WHERE id = p_household;
    RETURN before;
END
$$;

-- What the retention of one household turns on, for the beheerder erasing it: when it was
-- closed (NULL: still open) and whether youth care asks for the longer term.
CREATE FUNCTION kt_retention_facts(p_household bigint, p_youth_flags text[])
RETURNS TABLE (closed_on date, youth_care boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF kt_me_role() IS DISTINCT FROM 'beheerder' AND NOT kt_is_owner() THEN
        RAISE EXCEPTION 'keukentafel: alleen een beheerder beheert de bewaartermijnen'
            USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT h.closed_on,
           EXISTS (SELECT 1 FROM flag f
                   WHERE f.household_id = h.id AND f.kind = ANY (p_youth_flags))
           OR EXISTS (SELECT 1 FROM provision v
                      WHERE v.household_id = h.id AND v.law = 'jeugdwet')
    FROM household h WHERE h.id = p_household;
END
$$;

-- The beheerder's retention list: closed, not yet erased households closed on or before
-- `p_cutoff`, with their team, the closing date and whether youth care (a flag of
-- `p_youth_flags`, or a Jeugdwet provision) asks for the longer term. Ids, teams and dates only.
CREATE FUNCTION kt_retention_candidates(p_cutoff date, p_youth_flags text[])
RETURNS TABLE (id bigint, team text, closed_on date, youth_care boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF kt_me_role() IS DISTINCT FROM 'beheerder' AND NOT kt_is_owner() THEN
        RAISE EXCEPTION 'keukentafel: alleen een beheerder beheert de bewaartermijnen'
            USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT h.id, t.name, h.closed_on,
           EXISTS (SELECT 1 FROM flag f
                   WHERE f.household_id = h.id AND f.kind = ANY (p_youth_flags))
           OR EXISTS (SELECT 1 FROM provision v
                      WHERE v.household_id = h.id AND v.law = 'jeugdwet')
    FROM household h JOIN team t ON t.id = h.team_id
    WHERE h.closed_on IS NOT NULL AND h.erased_on IS NULL AND h.closed_on <= p_cutoff
    ORDER BY h.closed_on, h.id;
END
$$;

-- Every read of one household's content leaves its audit row, also outside keukentafel. A
-- professional's connection sees the content of a household (its contacts, agreements, ZRM,
-- plan, flags, consents, provisions and requests) only in a transaction that opened that
-- household with `kt_open`, which keukentafel does in every access to a household. At commit a
-- deferred trigger looks whether the transaction appended an audit row about the household; if
-- it did not (a database client reading directly), the trigger appends one: "rechtstreeks
-- gelezen", naming the connected role. Without `kt_open` the content is not there.
CREATE UNLOGGED TABLE household_opened (
    pid int NOT NULL,
    xact xid8 NOT NULL,
    household_id bigint NOT NULL,
    logged boolean NOT NULL DEFAULT false,
    PRIMARY KEY (pid, xact, household_id)
);

-- Opens `p_household` for this transaction when the caller's content policy covers it (a
-- professional, their own team's household, not erased), and answers where the household is,
-- as `kt_household_place` does (no row: there is no such household).
CREATE FUNCTION kt_open(p_household bigint)
RETURNS TABLE (team_id bigint, erased_on date) LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    place record;
BEGIN
    SELECT h.team_id, h.erased_on INTO place FROM household h WHERE h.id = p_household;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF place.erased_on IS NULL AND kt_me_role() = 'professional'
       AND place.team_id = kt_me_team() THEN
        INSERT INTO household_opened (pid, xact, household_id)
        VALUES (pg_backend_pid(), pg_current_xact_id(), p_household)
        ON CONFLICT DO NOTHING;
    END IF;
    team_id := place.team_id;
    erased_on := place.erased_on;
    RETURN NEXT;
END
$$;

-- The households this transaction opened (the content policies' condition).
CREATE FUNCTION kt_opened() RETURNS bigint[] LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT coalesce(array_agg(o.household_id), '{}') FROM household_opened o
            WHERE o.pid = pg_backend_pid() AND o.xact = pg_current_xact_id_if_assigned());
END
$$;

-- At commit: the opening's own audit row when the transaction wrote none about the household.
CREATE FUNCTION kt_opened_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    was_logged boolean;
BEGIN
    DELETE FROM household_opened
    WHERE pid = NEW.pid AND xact = NEW.xact AND household_id = NEW.household_id
    RETURNING logged INTO was_logged;
    IF was_logged IS DISTINCT FROM true THEN
        PERFORM kt_audit_append(
            to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'read', 'household', NEW.household_id, NEW.household_id, NULL,
            coalesce(nullif(current_setting('application_name', true), ''), 'onbekend'), NULL,
            'rechtstreeks gelezen, buiten keukentafel om');
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER household_opened_audited AFTER INSERT ON household_opened
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kt_opened_check();

-- The append of migration 5, which now also notes that the transaction's opening of the
-- household is audited.
CREATE OR REPLACE FUNCTION kt_audit_append(
    p_at text, p_action text, p_object text, p_object_id bigint, p_household_id bigint,
    p_person_id bigint, p_workstation text, p_on_behalf_of text, p_detail text
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    u record;
    appended bigint;
BEGIN
    SELECT id, username, role INTO u FROM app_user WHERE lower(username) = kt_session_username();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'keukentafel: de rol % is geen gebruiker van deze database', session_user
            USING ERRCODE = '42501';
    END IF;
    appended := kt_audit_write(p_at, u.id, u.username, u.role, p_action, p_object, p_object_id,
        p_household_id, p_person_id, coalesce(host(inet_client_addr()), p_workstation),
        p_on_behalf_of, p_detail);
    IF p_household_id IS NOT NULL THEN
        UPDATE household_opened SET logged = true
        WHERE pid = pg_backend_pid() AND xact = pg_current_xact_id_if_assigned()
          AND household_id = p_household_id AND NOT logged;
    END IF;
    RETURN appended;
END
$$;

-- Home and the contact habits read content of many households at once (the caseload's
-- agreements; the kinds and minutes of one's own contacts): as the owner, for the caller only.
CREATE FUNCTION kt_me_id() RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT id FROM app_user WHERE lower(username) = kt_session_username() AND NOT disabled);
END
$$;

CREATE FUNCTION kt_home_households(p_limit bigint)
RETURNS TABLE (id bigint, label text, address text, open bigint, next_due date)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT h.id, h.label::text, (h.street || ' ' || h.house_number)::text, count(a.id), min(a.due_on)
    FROM household h
    LEFT JOIN agreement a ON a.household_id = h.id AND a.status = 'open'
    WHERE h.regisseur_id = kt_me_id() AND h.closed_on IS NULL AND kt_me_role() = 'professional'
    GROUP BY h.id
    ORDER BY min(a.due_on) IS NULL, min(a.due_on), h.label COLLATE "C"
    LIMIT p_limit;
END
$$;

CREATE FUNCTION kt_home_agreement_totals(p_today date, p_horizon date)
RETURNS TABLE (week bigint, overdue bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT count(*) FILTER (WHERE a.due_on >= p_today), count(*) FILTER (WHERE a.due_on < p_today)
    FROM agreement a JOIN household h ON h.id = a.household_id
    WHERE h.regisseur_id = kt_me_id() AND h.closed_on IS NULL AND a.status = 'open'
      AND a.due_on IS NOT NULL AND a.due_on < p_horizon AND kt_me_role() = 'professional';
END
$$;

CREATE FUNCTION kt_home_agreements(p_today date, p_horizon date, p_limit bigint)
RETURNS TABLE (id bigint, household_id bigint, label text, what text, who text, due_on date)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    me bigint := kt_me_id();
BEGIN
    IF kt_me_role() IS DISTINCT FROM 'professional' THEN
        RETURN;
    END IF;
    RETURN QUERY
    (SELECT a.id, h.id, h.label::text, a.what::text, a.who::text, a.due_on
     FROM agreement a JOIN household h ON h.id = a.household_id
     WHERE h.regisseur_id = me AND h.closed_on IS NULL AND a.status = 'open'
       AND a.due_on >= p_today AND a.due_on < p_horizon
     ORDER BY a.due_on, a.id LIMIT p_limit)
    UNION ALL
    (SELECT a.id, h.id, h.label::text, a.what::text, a.who::text, a.due_on
     FROM agreement a JOIN household h ON h.id = a.household_id
     WHERE h.regisseur_id = me AND h.closed_on IS NULL AND a.status = 'open'
       AND a.due_on IS NOT NULL AND a.due_on < p_today
     ORDER BY a.due_on, a.id LIMIT p_limit);
END
$$;

-- One's own last contact and contact habits: kinds and minutes only, of the caller's account.
CREATE FUNCTION kt_last_contact(p_user bigint) RETURNS TABLE (kind text, minutes bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT c.kind::text, c.minutes::bigint FROM contact c
    WHERE c.recorded_by = p_user AND p_user = kt_me_id() ORDER BY c.id DESC LIMIT 1;
END
$$;

CREATE FUNCTION kt_contact_habits(p_user bigint, p_window bigint)
RETURNS TABLE (kind text, minutes bigint, n bigint, latest bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT recent.kind::text, recent.minutes::bigint, count(*), max(recent.id)
    FROM (SELECT c.id, c.kind, c.minutes FROM contact c
          WHERE c.recorded_by = p_user AND p_user = kt_me_id()
          ORDER BY c.id DESC LIMIT p_window) AS recent
    GROUP BY recent.kind, recent.minutes
    ORDER BY count(*) DESC, max(recent.id) DESC;
END
$$;

DO $grants$
DECLARE
    db text := current_database();
    owner text := db || '__owner';
    f text;
    g text;
    t text;
BEGIN
    FOREACH f IN ARRAY ARRAY['kt_suppress(bigint[], bigint)', 'kt_shown(boolean, bigint, bigint)',
            'kt_shown_ratio(boolean, bigint, bigint, float8)', 'kt_zrm_levels(text)',
            'kt_steering_figures(bigint, date, date, date, boolean, text[], text[], text[])',
            'kt_steering(bigint, date, date, date, text[], text[], text[], text, text, text)',
            'kt_set_regisseur(bigint, bigint)', 'kt_retention_candidates(date, text[])',
            'kt_retention_facts(bigint, text[])', 'kt_open(bigint)', 'kt_opened()',
            'kt_opened_check()', 'kt_me_id()', 'kt_home_households(bigint)',
            'kt_home_agreement_totals(date, date)', 'kt_home_agreements(date, date, bigint)',
            'kt_last_contact(bigint)', 'kt_contact_habits(bigint, bigint)'] LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f, owner);
    END LOOP;
    FOREACH g IN ARRAY ARRAY['professional', 'backoffice', 'teamleider', 'beheerder'] LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION kt_steering(bigint, date, date, date, text[], text[], text[], text, text, text) TO %I', db || '__' || g);
    END LOOP;
    EXECUTE format('GRANT EXECUTE ON FUNCTION kt_set_regisseur(bigint, bigint) TO %I, %I', db || '__professional', db || '__teamleider');
    EXECUTE format('GRANT EXECUTE ON FUNCTION kt_retention_candidates(date, text[]), kt_retention_facts(bigint, text[]) TO %I', db || '__beheerder');
    -- The teamleider and the beheerder read no household row any more: the columns migration 5
    -- granted them for the figures and retention are taken back.
    FOREACH g IN ARRAY ARRAY[db || '__teamleider', db || '__beheerder'] LOOP
        EXECUTE format('REVOKE SELECT ON household, contact, agreement, zrm_assessment, flag, provision FROM %I', g);
    END LOOP;
    EXECUTE format('REVOKE UPDATE ON household FROM %I', db || '__teamleider');
    -- The opened households: the owner's; the audit role notes an audited opening.
    EXECUTE format('ALTER TABLE household_opened OWNER TO %I', owner);
    EXECUTE format('GRANT SELECT, UPDATE ON household_opened TO %I', db || '__audit');
    FOREACH g IN ARRAY ARRAY['professional', 'backoffice', 'teamleider', 'beheerder'] LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION kt_open(bigint), kt_opened(), kt_me_id(), kt_home_households(bigint), kt_home_agreement_totals(date, date), kt_home_agreements(date, date, bigint), kt_last_contact(bigint), kt_contact_habits(bigint, bigint) TO %I', db || '__' || g);
    END LOOP;
    -- A professional's content policy: the households this transaction opened.
    FOREACH t IN ARRAY ARRAY['zrm_assessment', 'agreement', 'flag', 'contact', 'plan_goal',
                             'consent', 'provision', 'provider_request'] LOOP
        EXECUTE format('DROP POLICY own_team ON %I', t);
        EXECUTE format('CREATE POLICY opened ON %I TO %I USING (household_id = ANY ((SELECT kt_opened())::bigint[])) WITH CHECK (household_id = ANY ((SELECT kt_opened())::bigint[]))', t, db || '__professional');
    END LOOP;
END
$grants$;
