-- GridGov 0004: the append-only audit journal. Every domain event (check-in, closed window, ticket
-- transition) and every fact a score counts, with a deterministic id so a retried write keeps one line.
CREATE TABLE IF NOT EXISTS gridgov_journal
(
    seq       bigint GENERATED ALWAYS AS IDENTITY,
    id        text        NOT NULL PRIMARY KEY,
    kind      text        NOT NULL,
    at        timestamptz NOT NULL,
    cell_code text        NOT NULL,
    subject   text        NOT NULL,
    actor_id  text        NOT NULL,
    action    text,
    stage     text,
    detail    text        NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_gridgov_journal_subject ON gridgov_journal (subject, at, seq);
CREATE INDEX IF NOT EXISTS ix_gridgov_journal_cell ON gridgov_journal (cell_code, at);
CREATE INDEX IF NOT EXISTS ix_gridgov_journal_kind_at ON gridgov_journal (kind, at);
