-- GridGov 0005: ticket search. One row per ticket with what lists filter on, kept current by the
-- tickets themselves; lists and filters read it without activating any ticket.
CREATE TABLE IF NOT EXISTS gridgov_tickets
(
    id               text        NOT NULL PRIMARY KEY,
    cell_code        text        NOT NULL,
    category         text        NOT NULL,
    severity         text        NOT NULL,
    source           text        NOT NULL,
    stage            text        NOT NULL,
    is_open          boolean     NOT NULL,
    unit_id          text        NOT NULL,
    reported_at      timestamptz NOT NULL,
    last_changed_at  timestamptz NOT NULL,
    stage_deadline   timestamptz,
    overdue          boolean     NOT NULL,
    rework_count     integer     NOT NULL,
    escalation_level integer     NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_gridgov_tickets_cell ON gridgov_tickets (cell_code text_pattern_ops, reported_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_gridgov_tickets_unit ON gridgov_tickets (unit_id, reported_at DESC);
CREATE INDEX IF NOT EXISTS ix_gridgov_tickets_open ON gridgov_tickets (stage, reported_at DESC) WHERE is_open;
