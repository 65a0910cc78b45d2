//! The current definitions that migrations and the application both need, in one place.
//!
//! A migration is frozen history: a later change to, say, the rollups must not change what an
//! old migration did. The migrations that were built from these definitions call them rather
//! than keeping a copy, and each pins what it executed in a unit test (the generated SQL, or a
//! hash of the seeded rows, or sample fingerprints). We chose pinning over frozen copies because
//! the definitions are large (the rollup triggers, the taxonomy), a copy would double them while
//! nothing changes, and the pin still turns a silent change of history into a failing test.
//! When a pin fails, the definition here changed: copy the old version into the migration whose
//! pin failed (it becomes frozen there), and apply the change in a new migration.
//!
//! - [`reference`]: obstacle taxonomy, suggestion cues and provinces (migration 2).
//! - [`search`]: the SQLite search-index insert trigger (migration 6).
//! - [`rollups`]: rollup tables, recount and triggers (migrations 8 and 13 at `Version::M8`,
//!   15 at `Version::M15`).
//! - [`fingerprint`]: narrative fingerprints and their backfill (migration 10).
//! - [`legal`]: the legal references a standard-terms clause can be challenged under (read at
//!   run time only; clauses store the codes).
pub mod fingerprint;
pub mod legal;
pub mod reference;
pub mod rollups;
pub mod search;
