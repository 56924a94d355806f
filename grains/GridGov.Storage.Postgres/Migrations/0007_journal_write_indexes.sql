-- GridGov 0007: the journal keeps only the indexes GridGov reads by. Every check-in appends a line, and each index
-- is one more B-tree insert per line (the largest share of PostgreSQL's CPU per check-in). GridGov reads the journal
-- by subject (ix_gridgov_journal_subject) and dedupes by id (primary key); nothing reads by cell or by kind, so those
-- two go. An operator who audits by cell or kind at scale can add an index for that query.
DROP INDEX IF EXISTS ix_gridgov_journal_cell;
DROP INDEX IF EXISTS ix_gridgov_journal_kind_at;
