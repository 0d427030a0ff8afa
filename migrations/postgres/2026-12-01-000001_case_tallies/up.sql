-- How many cases each unit has in each status, kept by a trigger in the transaction that changes
-- a case: a list filtered only by unit and status answers its exact `total` from these few rows
-- instead of counting tens of thousands of index entries on every page.
CREATE TABLE case_tallies (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, status)
);

INSERT INTO case_tallies (unit_id, status, n)
    SELECT unit_id, status, COUNT(*) FROM cases GROUP BY unit_id, status;

CREATE FUNCTION case_tallies_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE case_tallies SET n = n - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO case_tallies (unit_id, status, n) VALUES (NEW.unit_id, NEW.status, 1)
            ON CONFLICT (unit_id, status) DO UPDATE SET n = case_tallies.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER case_tallies_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION case_tallies_count();

CREATE TRIGGER case_tallies_update AFTER UPDATE OF unit_id, status ON cases
    FOR EACH ROW
    WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION case_tallies_count();
