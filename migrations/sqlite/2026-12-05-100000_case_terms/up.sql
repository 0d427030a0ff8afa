-- The terms of an agreement (issue 14): payment instalments (amount in fen, due date) and other
-- obligations in words (出具离职证明, 补缴社会保险 ...), each with its due date where it has one, in
-- the order the agreement lists them. A payment is recorded against an instalment (term_id), or
-- against none and then allocated by the rule of src/domain/fulfilment.rs. An obligation is
-- performed once (performed_at, by whom, a note); an instalment is performed when paid in full.
-- The cases table is at diesel's column limit, hence a table of its own.
CREATE TABLE case_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'obligation')),
    amount BIGINT,
    text TEXT,
    due DATE,
    performed_at TIMESTAMP,
    performed_by BIGINT REFERENCES users(id),
    performed_note TEXT,
    created_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'payment' AND amount IS NOT NULL AND amount > 0 AND text IS NULL)
        OR (kind = 'obligation' AND text IS NOT NULL AND amount IS NULL)),
    UNIQUE (case_id, position)
);
-- The reminder scan looks for instalments past their date.
CREATE INDEX case_terms_due ON case_terms (due) WHERE kind = 'payment' AND due IS NOT NULL;
ALTER TABLE payments ADD COLUMN term_id BIGINT REFERENCES case_terms(id);
-- Agreements recorded before terms existed had one amount and one due date: one instalment,
-- and every payment made under them was made against it.
INSERT INTO case_terms (case_id, position, kind, amount, due, created_at)
    SELECT id, 0, 'payment', amount_agreed, payment_due, COALESCE(closed_at, updated_at)
    FROM cases WHERE outcome = 'agreement' AND amount_agreed > 0;
UPDATE payments SET term_id = (SELECT t.id FROM case_terms t WHERE t.case_id = payments.case_id);
