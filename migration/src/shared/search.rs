//! The current definition of the SQLite search-index triggers that runtime code re-creates.
//! Migration `m20261125_000006_search` created them; its test pins the SQL it ran.

/// SQLite: the trigger that indexes a new complaint (`seed-demo` suspends it while it loads rows
/// in bulk and indexes them in one statement afterwards).
pub const FTS_INSERT_TRIGGER: &str =
    "CREATE TRIGGER complaints_fts_ai AFTER INSERT ON complaints BEGIN \
        INSERT INTO complaints_fts(rowid, narrative, company_name, service_name) \
        VALUES (new.id, new.narrative, new.company_name, new.service_name); END";
