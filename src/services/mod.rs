//! Use cases, one folder per capability. Each takes what it needs (a connection, the reference
//! data, a mail composer) and returns domain values; no HTTP here.
pub mod accounts;
pub mod audit;
pub mod campaigns;
pub mod cases;
pub mod clauses;
pub mod companies;
pub mod deadlines;
pub mod error;
pub mod exports;
pub mod groups;
pub mod holidays;
pub mod intake;
pub mod mail;
pub mod privacy;
pub mod reference;
pub mod referrals;
pub mod reports_pdf;
pub mod responses;
pub mod rights;
pub mod self_service;
pub mod stats;
