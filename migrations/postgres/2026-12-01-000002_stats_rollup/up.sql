-- The statistics' roll-up: cases and consultations counted per line of a report and per local
-- month, kept by triggers in the transaction that writes them, so that a report of whole months
-- folds some thousands of groups instead of every case (docs/architecture.md, "Statistics").
-- Months are local, in the zone of `rollup_zone`, which the server sets from its configuration at
-- start-up (`rollup_rebuild` counts everything again when it changes); until then the triggers
-- keep nothing and reports read the records.
--
-- A month is an integer, year * 12 + month - 1 in local time; `closed_month` is 0 while a case is
-- open. Keys are NOT NULL so that they make a primary key on every supported PostgreSQL.

CREATE TABLE rollup_zone (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    zone TEXT NOT NULL
);

-- One row per line of a report a group of records counts on (`kind`: the unit itself, which also
-- makes the totals and the months, or its category, channel, enterprise or mediator, `line` being
-- the code or the id), per status, local month of receipt and of closing and deadline, with the
-- count and the sums. A report's breakdowns are each by one dimension, never crossed, so a group
-- is one line's cases alike in their months: a few hundred per line a year however many cases.
CREATE TABLE case_rollup (
    kind TEXT NOT NULL,
    unit_id BIGINT NOT NULL,
    line TEXT NOT NULL,
    status TEXT NOT NULL,
    received_month INTEGER NOT NULL,
    closed_month INTEGER NOT NULL,
    -- An open case's deadline; a closed case's is only ever judged at the end of a past month,
    -- so it is kept as the first day of the first month at whose last day it is past (the
    -- month of the day after it): a few groups instead of one per day.
    deadline DATE NOT NULL,
    n BIGINT NOT NULL,
    workers BIGINT NOT NULL,
    amount_claimed BIGINT NOT NULL,
    amount_agreed BIGINT NOT NULL,
    amount_paid BIGINT NOT NULL,
    -- Local days from receipt to closing, summed over the group's closed cases.
    days_to_close BIGINT NOT NULL,
    PRIMARY KEY (kind, unit_id, line, status, received_month, closed_month, deadline)
);
CREATE INDEX case_rollup_received ON case_rollup (received_month);

CREATE TABLE consultation_rollup (
    kind TEXT NOT NULL,
    unit_id BIGINT NOT NULL,
    line TEXT NOT NULL,
    received_month INTEGER NOT NULL,
    n BIGINT NOT NULL,
    workers BIGINT NOT NULL,
    PRIMARY KEY (kind, unit_id, line, received_month)
);

-- Single expressions, so that PostgreSQL inlines them into the statements that call them;
-- date_part's double, not EXTRACT's numeric, which is several times slower.
CREATE FUNCTION rollup_month(at TIMESTAMP, zone TEXT) RETURNS INTEGER LANGUAGE sql STABLE AS $$
    SELECT CAST(date_part('year', (at AT TIME ZONE 'UTC') AT TIME ZONE zone) * 12
                + date_part('month', (at AT TIME ZONE 'UTC') AT TIME ZONE zone) - 1 AS INTEGER)
$$;

CREATE FUNCTION rollup_local_date(at TIMESTAMP, zone TEXT) RETURNS DATE LANGUAGE sql STABLE AS $$
    SELECT CAST((at AT TIME ZONE 'UTC') AT TIME ZONE zone AS DATE)
$$;

-- A closed case's deadline as the first day of the month of the day after it.
CREATE FUNCTION rollup_deadline(deadline DATE, closed_at TIMESTAMP) RETURNS DATE
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN closed_at IS NULL THEN deadline
                ELSE deadline + 2 - CAST(date_part('day', deadline + 1) AS INTEGER) END
$$;

-- The rows one case counts on, each with a count of 1. Its months and days are worked out once
-- (OFFSET 0 keeps the planner from working them out again for each of the five lines: the zone
-- conversions are most of the cost of counting everything again).
CREATE FUNCTION case_rollup_rows(c cases, zone TEXT) RETURNS SETOF case_rollup
LANGUAGE sql STABLE AS $$
    SELECT lines.kind, c.unit_id, lines.line, c.status, k.received_month, k.closed_month,
           k.deadline, CAST(1 AS BIGINT), c.workers_involved, c.amount_claimed,
           COALESCE(c.amount_agreed, 0), c.amount_paid, k.days_to_close
    FROM (SELECT rollup_month(c.received_at, zone) AS received_month,
                 COALESCE(rollup_month(c.closed_at, zone), 0) AS closed_month,
                 rollup_deadline(c.deadline, c.closed_at) AS deadline,
                 CAST(COALESCE(rollup_local_date(c.closed_at, zone)
                               - rollup_local_date(c.received_at, zone), 0) AS BIGINT)
                     AS days_to_close
          OFFSET 0) AS k
    CROSS JOIN (VALUES ('unit', ''), ('category', c.category), ('channel', c.channel),
                       ('enterprise', CAST(c.enterprise_id AS TEXT)),
                       ('mediator', CAST(c.mediator_id AS TEXT))) AS lines (kind, line)
    WHERE lines.line IS NOT NULL
$$;

CREATE FUNCTION consultation_rollup_rows(c consultations, zone TEXT) RETURNS SETOF consultation_rollup
LANGUAGE sql STABLE AS $$
    SELECT lines.kind, c.unit_id, lines.line, k.received_month, CAST(1 AS BIGINT), c.workers
    FROM (SELECT rollup_month(c.received_at, zone) AS received_month OFFSET 0) AS k
    CROSS JOIN (VALUES ('unit', ''), ('category', c.topic), ('channel', c.channel),
                       ('enterprise', CAST(c.enterprise_id AS TEXT)),
                       ('mediator', CAST(c.answered_by AS TEXT))) AS lines (kind, line)
    WHERE lines.line IS NOT NULL
$$;

-- Adds a row's counts to its group (sign 1) or takes them away (sign -1); a group left with no
-- records goes. PL/pgSQL, whose statements' plans are kept for the connection (a SQL function's
-- would be planned again on every call).
CREATE FUNCTION case_rollup_put(r case_rollup, sign BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    left_over BIGINT;
BEGIN
    INSERT INTO case_rollup AS g VALUES (
        r.kind, r.unit_id, r.line, r.status, r.received_month, r.closed_month, r.deadline,
        sign * r.n, sign * r.workers, sign * r.amount_claimed, sign * r.amount_agreed,
        sign * r.amount_paid, sign * r.days_to_close)
    ON CONFLICT (kind, unit_id, line, status, received_month, closed_month, deadline)
    DO UPDATE SET n = g.n + EXCLUDED.n, workers = g.workers + EXCLUDED.workers,
        amount_claimed = g.amount_claimed + EXCLUDED.amount_claimed,
        amount_agreed = g.amount_agreed + EXCLUDED.amount_agreed,
        amount_paid = g.amount_paid + EXCLUDED.amount_paid,
        days_to_close = g.days_to_close + EXCLUDED.days_to_close
    RETURNING g.n INTO left_over;
    IF left_over = 0 THEN
        DELETE FROM case_rollup g
        WHERE (g.kind, g.unit_id, g.line, g.status, g.received_month, g.closed_month, g.deadline)
            = (r.kind, r.unit_id, r.line, r.status, r.received_month, r.closed_month, r.deadline);
    END IF;
END $$;

CREATE FUNCTION consultation_rollup_put(r consultation_rollup, sign BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    left_over BIGINT;
BEGIN
    INSERT INTO consultation_rollup AS g
        VALUES (r.kind, r.unit_id, r.line, r.received_month, sign * r.n, sign * r.workers)
    ON CONFLICT (kind, unit_id, line, received_month)
    DO UPDATE SET n = g.n + EXCLUDED.n, workers = g.workers + EXCLUDED.workers
    RETURNING g.n INTO left_over;
    IF left_over = 0 THEN
        DELETE FROM consultation_rollup g
        WHERE (g.kind, g.unit_id, g.line, g.received_month)
            = (r.kind, r.unit_id, r.line, r.received_month);
    END IF;
END $$;

-- A changed record leaves its old groups and joins its new ones, in the order of the groups'
-- keys, so that two transactions changing records of the same groups take their row locks in
-- the same order and cannot deadlock. Until the server has set the zone, nothing is kept.
CREATE FUNCTION case_rollup_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    zone TEXT := (SELECT z.zone FROM rollup_zone z);
    change RECORD;
BEGIN
    IF zone IS NULL THEN
        RETURN NULL;
    END IF;
    FOR change IN
        SELECT r, CAST(-1 AS BIGINT) AS sign FROM case_rollup_rows(OLD, zone) r WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT r, CAST(1 AS BIGINT) FROM case_rollup_rows(NEW, zone) r WHERE TG_OP <> 'DELETE'
        ORDER BY 1
    LOOP
        PERFORM case_rollup_put(change.r, change.sign);
    END LOOP;
    RETURN NULL;
END $$;

CREATE FUNCTION consultation_rollup_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    zone TEXT := (SELECT z.zone FROM rollup_zone z);
    change RECORD;
BEGIN
    IF zone IS NULL THEN
        RETURN NULL;
    END IF;
    FOR change IN
        SELECT r, CAST(-1 AS BIGINT) AS sign FROM consultation_rollup_rows(OLD, zone) r
            WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT r, CAST(1 AS BIGINT) FROM consultation_rollup_rows(NEW, zone) r
            WHERE TG_OP <> 'DELETE'
        ORDER BY 1
    LOOP
        PERFORM consultation_rollup_put(change.r, change.sign);
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER case_rollup_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION case_rollup_count();

CREATE TRIGGER case_rollup_update AFTER UPDATE ON cases
    FOR EACH ROW
    WHEN ((OLD.unit_id, OLD.enterprise_id, OLD.mediator_id, OLD.channel, OLD.category, OLD.status,
           OLD.workers_involved, OLD.amount_claimed, OLD.amount_agreed, OLD.amount_paid,
           OLD.received_at, OLD.closed_at, OLD.deadline)
          IS DISTINCT FROM
          (NEW.unit_id, NEW.enterprise_id, NEW.mediator_id, NEW.channel, NEW.category, NEW.status,
           NEW.workers_involved, NEW.amount_claimed, NEW.amount_agreed, NEW.amount_paid,
           NEW.received_at, NEW.closed_at, NEW.deadline))
    EXECUTE FUNCTION case_rollup_count();

CREATE TRIGGER consultation_rollup_insert_delete AFTER INSERT OR DELETE ON consultations
    FOR EACH ROW EXECUTE FUNCTION consultation_rollup_count();

CREATE TRIGGER consultation_rollup_update AFTER UPDATE ON consultations
    FOR EACH ROW
    WHEN ((OLD.unit_id, OLD.enterprise_id, OLD.answered_by, OLD.channel, OLD.topic, OLD.workers,
           OLD.received_at)
          IS DISTINCT FROM
          (NEW.unit_id, NEW.enterprise_id, NEW.answered_by, NEW.channel, NEW.topic, NEW.workers,
           NEW.received_at))
    EXECUTE FUNCTION consultation_rollup_count();

-- Makes `zone` the roll-up's and counts every case and consultation again in it, unless it is
-- already the roll-up's zone. Writes to cases and consultations wait meanwhile, so that none is
-- counted twice or not at all; instances starting together rebuild once.
CREATE FUNCTION rollup_rebuild(new_zone TEXT) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE rollup_zone IN EXCLUSIVE MODE;
    IF (SELECT zone FROM rollup_zone) IS NOT DISTINCT FROM new_zone THEN
        RETURN FALSE;
    END IF;
    LOCK TABLE cases, consultations IN SHARE MODE;
    INSERT INTO rollup_zone (zone) VALUES (new_zone)
        ON CONFLICT (only_row) DO UPDATE SET zone = EXCLUDED.zone;
    TRUNCATE case_rollup, consultation_rollup;
    INSERT INTO case_rollup
        SELECT r.kind, r.unit_id, r.line, r.status, r.received_month, r.closed_month, r.deadline,
               SUM(r.n), SUM(r.workers), SUM(r.amount_claimed), SUM(r.amount_agreed),
               SUM(r.amount_paid), SUM(r.days_to_close)
        FROM cases c CROSS JOIN LATERAL case_rollup_rows(c, new_zone) r
        GROUP BY 1, 2, 3, 4, 5, 6, 7;
    INSERT INTO consultation_rollup
        SELECT r.kind, r.unit_id, r.line, r.received_month, SUM(r.n), SUM(r.workers)
        FROM consultations c CROSS JOIN LATERAL consultation_rollup_rows(c, new_zone) r
        GROUP BY 1, 2, 3, 4;
    RETURN TRUE;
END $$;
