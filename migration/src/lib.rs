//! Database migrations for downgrade-watch. One file per migration; [`shared`] holds the current
//! definitions that both the migrations and the application use (reference data, narrative
//! fingerprints, rollups, search triggers). The application imports only [`Migrator`] and
//! [`shared`], never a migration's internals.
pub use sea_orm_migration::prelude::*;

mod m20261125_000001_schema;
mod m20261125_000002_seed_reference;
mod m20261125_000003_holidays;
mod m20261125_000004_accounts;
mod m20261125_000005_casework;
mod m20261125_000006_search;
mod m20261125_000008_rollups;
mod m20261125_000009_privacy;
mod m20261126_000010_narrative_fingerprint;
mod m20261126_000011_bulk_indexes;
mod m20261126_000012_duplicate_indexes;
mod m20261126_000013_writer_rollups;
mod m20261207_000014_company_loop;
mod m20261207_000015_response_rollups;
mod m20261207_000016_self_service;
mod m20261207_000017_erasure;
mod m20261207_000018_priority_lane;
mod m20261207_000019_clauses;
mod m20261207_000020_campaigns_referrals;
pub mod shared;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_schema::Migration),
            Box::new(m20261125_000002_seed_reference::Migration),
            Box::new(m20261125_000003_holidays::Migration),
            Box::new(m20261125_000004_accounts::Migration),
            Box::new(m20261125_000005_casework::Migration),
            Box::new(m20261125_000006_search::Migration),
            Box::new(m20261125_000008_rollups::Migration),
            Box::new(m20261125_000009_privacy::Migration),
            Box::new(m20261126_000010_narrative_fingerprint::Migration),
            Box::new(m20261126_000011_bulk_indexes::Migration),
            Box::new(m20261126_000012_duplicate_indexes::Migration),
            Box::new(m20261126_000013_writer_rollups::Migration),
            Box::new(m20261207_000014_company_loop::Migration),
            Box::new(m20261207_000015_response_rollups::Migration),
            Box::new(m20261207_000016_self_service::Migration),
            Box::new(m20261207_000017_erasure::Migration),
            Box::new(m20261207_000018_priority_lane::Migration),
            Box::new(m20261207_000019_clauses::Migration),
            Box::new(m20261207_000020_campaigns_referrals::Migration),
        ]
    }
}
