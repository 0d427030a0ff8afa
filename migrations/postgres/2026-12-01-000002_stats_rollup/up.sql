-- The statistics' roll-up: the cases and consultations counted by everything a report line and
-- a whole month's figures depend on, kept by triggers in the transaction that writes them, so
-- that a report of whole months reads some tens of thousands of groups instead of a million cases
-- (docs/architecture.md, "Statistics"). Months are local, in the zone of `rollup_zone`, which the
-- server sets from its configuration at start-up and rebuilds the roll-up for
-- (`rollup_rebuild`); until then the triggers keep nothing and reports read the cases.
--
-- A month is an integer, year * 12 + month - 1 in local time. Keys are NOT NULL so that they can
-- be a primary key on every supported PostgreSQL: 0 stands for no mediator, no enterprise, and
-- a case not closed.

CREATE TABLE rollup_zone (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    zone TEXT NOT NULL
);

CREATE TABLE case_rollup (
    unit_id BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    mediator_id BIGINT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
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
    PRIMARY KEY (unit_id, enterprise_id, mediator_id, channel, category, status,
                 received_month, closed_month, deadline)
);
CREATE INDEX case_rollup_received ON case_rollup (received_month);

CREATE TABLE consultation_rollup (
    unit_id BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    answered_by BIGINT NOT NULL,
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    received_month INTEGER NOT NULL,
    n BIGINT NOT NULL,
    workers BIGINT NOT NULL,
    PRIMARY KEY (unit_id, enterprise_id, answered_by, channel, topic, received_month)
);
CREATE INDEX consultation_rollup_received ON consultation_rollup (received_month);

CREATE FUNCTION rollup_month(at TIMESTAMP, zone TEXT) RETURNS INTEGER LANGUAGE sql STABLE AS $$
    SELECT CAST(EXTRACT(YEAR FROM l) * 12 + EXTRACT(MONTH FROM l) - 1 AS INTEGER)
    FROM (SELECT (at AT TIME ZONE 'UTC') AT TIME ZONE zone AS l) AS local
$$;

CREATE FUNCTION rollup_local_date(at TIMESTAMP, zone TEXT) RETURNS DATE LANGUAGE sql STABLE AS $$
    SELECT CAST((at AT TIME ZONE 'UTC') AT TIME ZONE zone AS DATE)
$$;

CREATE FUNCTION rollup_deadline(deadline DATE, closed_at TIMESTAMP) RETURNS DATE
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN closed_at IS NULL THEN deadline
                ELSE CAST(date_trunc('month', deadline + 1) AS DATE) END
$$;

-- Adds one case (sign 1) or takes it away (sign -1).
CREATE FUNCTION case_rollup_add(c cases, zone TEXT, sign BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_rollup AS r VALUES (
        c.unit_id, c.enterprise_id, COALESCE(c.mediator_id, 0), c.channel, c.category, c.status,
        rollup_month(c.received_at, zone),
        COALESCE(rollup_month(c.closed_at, zone), 0),
        rollup_deadline(c.deadline, c.closed_at),
        sign, sign * c.workers_involved, sign * c.amount_claimed,
        sign * COALESCE(c.amount_agreed, 0), sign * c.amount_paid,
        sign * COALESCE(rollup_local_date(c.closed_at, zone) - rollup_local_date(c.received_at, zone), 0))
    ON CONFLICT (unit_id, enterprise_id, mediator_id, channel, category, status,
                 received_month, closed_month, deadline)
    DO UPDATE SET n = r.n + EXCLUDED.n, workers = r.workers + EXCLUDED.workers,
        amount_claimed = r.amount_claimed + EXCLUDED.amount_claimed,
        amount_agreed = r.amount_agreed + EXCLUDED.amount_agreed,
        amount_paid = r.amount_paid + EXCLUDED.amount_paid,
        days_to_close = r.days_to_close + EXCLUDED.days_to_close
$$;

CREATE FUNCTION consultation_rollup_add(c consultations, zone TEXT, sign BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO consultation_rollup AS r VALUES (
        c.unit_id, COALESCE(c.enterprise_id, 0), c.answered_by, c.channel, c.topic,
        rollup_month(c.received_at, zone), sign, sign * c.workers)
    ON CONFLICT (unit_id, enterprise_id, answered_by, channel, topic, received_month)
    DO UPDATE SET n = r.n + EXCLUDED.n, workers = r.workers + EXCLUDED.workers
$$;

-- A changed case leaves its old group and joins its new one; the group that sorts first is
-- written first, so that two transactions moving cases between the same two groups take their
-- row locks in the same order and cannot deadlock.
CREATE FUNCTION case_rollup_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    zone TEXT := (SELECT z.zone FROM rollup_zone z);
BEGIN
    IF zone IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM case_rollup_add(NEW, zone, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM case_rollup_add(OLD, zone, -1);
    ELSIF (OLD.unit_id, OLD.enterprise_id, COALESCE(OLD.mediator_id, 0), OLD.channel,
           OLD.category, OLD.status, rollup_month(OLD.received_at, zone),
           COALESCE(rollup_month(OLD.closed_at, zone), 0), rollup_deadline(OLD.deadline, OLD.closed_at))
          <= (NEW.unit_id, NEW.enterprise_id, COALESCE(NEW.mediator_id, 0), NEW.channel,
           NEW.category, NEW.status, rollup_month(NEW.received_at, zone),
           COALESCE(rollup_month(NEW.closed_at, zone), 0), rollup_deadline(NEW.deadline, NEW.closed_at)) THEN
        PERFORM case_rollup_add(OLD, zone, -1);
        PERFORM case_rollup_add(NEW, zone, 1);
    ELSE
        PERFORM case_rollup_add(NEW, zone, 1);
        PERFORM case_rollup_add(OLD, zone, -1);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION consultation_rollup_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    zone TEXT := (SELECT z.zone FROM rollup_zone z);
BEGIN
    IF zone IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM consultation_rollup_add(OLD, zone, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM consultation_rollup_add(NEW, zone, 1);
    END IF;
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
    DELETE FROM case_rollup;
    DELETE FROM consultation_rollup;
    INSERT INTO case_rollup
        SELECT unit_id, enterprise_id, COALESCE(mediator_id, 0), channel, category, status,
               rollup_month(received_at, new_zone), COALESCE(rollup_month(closed_at, new_zone), 0),
               rollup_deadline(deadline, closed_at),
               COUNT(*), SUM(workers_involved), SUM(amount_claimed),
               SUM(COALESCE(amount_agreed, 0)), SUM(amount_paid),
               SUM(COALESCE(rollup_local_date(closed_at, new_zone)
                            - rollup_local_date(received_at, new_zone), 0))
        FROM cases
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    INSERT INTO consultation_rollup
        SELECT unit_id, COALESCE(enterprise_id, 0), answered_by, channel, topic,
               rollup_month(received_at, new_zone), COUNT(*), SUM(workers)
        FROM consultations
        GROUP BY 1, 2, 3, 4, 5, 6;
    RETURN TRUE;
END $$;
