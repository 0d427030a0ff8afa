-- How many cases each unit has in each status, kept by triggers in the transaction that changes
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

CREATE TRIGGER case_tallies_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_tallies (unit_id, status, n) VALUES (NEW.unit_id, NEW.status, 1)
        ON CONFLICT (unit_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_tallies_update AFTER UPDATE OF unit_id, status ON cases
    WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE case_tallies SET n = n - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status;
    INSERT INTO case_tallies (unit_id, status, n) VALUES (NEW.unit_id, NEW.status, 1)
        ON CONFLICT (unit_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_tallies_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_tallies SET n = n - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status;
END;
