//! Database plumbing shared by every capability: the connection pools, SQL that runs on both
//! backends, PostgreSQL COPY and the SQLite bulk loader, rollup maintenance, backups, the session
//! store, rate-limit counters and persistent settings. No use case lives here.
pub mod backup;
pub mod db;
pub mod pg_copy;
pub mod ratelimit;
pub mod rollup;
pub mod sessions;
pub mod settings;
pub mod sql;
pub mod sqlite_load;
