-- Evidence (证据材料): files attached to a case or to a warning (an officer's photos), kept in
-- the database itself so that every instance serves them and a database backup holds them.
-- A row is 'staging' while its upload streams in (chunks written one short transaction each),
-- and 'kept' once one short transaction has checked it and made it visible with its case event.
-- A removed item stays (removed_at, removed_by, removal_reason); its file is never deleted.
CREATE TABLE evidence (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT REFERENCES cases(id),
    warning_id BIGINT REFERENCES warnings(id),
    status TEXT NOT NULL CHECK (status IN ('staging', 'kept')),
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    provided_by TEXT NOT NULL,
    received_on DATE,
    internal BOOLEAN NOT NULL DEFAULT FALSE,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP,
    removed_by BIGINT REFERENCES users(id),
    removal_reason TEXT,
    CHECK (case_id IS NOT NULL OR warning_id IS NOT NULL)
);
CREATE INDEX evidence_case ON evidence (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX evidence_warning ON evidence (warning_id) WHERE warning_id IS NOT NULL;
CREATE INDEX evidence_staging ON evidence (uploaded_at) WHERE status = 'staging';
-- A file's bytes in order, 256 KiB a row: an upload is written and a download read one chunk
-- at a time, so neither holds a whole file in memory.
CREATE TABLE evidence_chunks (
    evidence_id BIGINT NOT NULL REFERENCES evidence(id),
    seq BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (evidence_id, seq)
);
-- Photos, PDFs and Office files are compressed already: keep the chunks out of line without
-- compressing them again.
ALTER TABLE evidence_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
