-- GridGov 0006: grain state written by PostgresGrainStorage (group commit). One row per (service, state name,
-- grain id); version is the ETag and only grows: a write names the version it read (none for a first write) and
-- changes the row only if that is still the stored version. Clearing keeps the row with no payload and the next
-- version, so a stale writer can never match a re-created row. Pub/sub state stays in OrleansStorage.
CREATE TABLE IF NOT EXISTS gridgov_grain_state
(
    service_id text        NOT NULL,
    state_name text        NOT NULL,
    grain_id   text        NOT NULL,
    version    bigint      NOT NULL,
    payload    bytea       NULL,       -- NULL: cleared
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, grain_id)
);
