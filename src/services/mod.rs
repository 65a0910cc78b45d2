//! Use cases. Each takes a database handle and returns domain values; no HTTP here.
pub mod demo;
pub mod demo_text;
pub mod accounts;
pub mod audit;
pub mod evidence;
pub mod intake;
pub mod mail;
pub mod outbox;
pub mod ratelimit;
pub mod reference;
pub mod scrub;
pub mod sessions;
pub mod settings;
pub mod spam;
pub mod sql;
pub mod tracking;
pub mod triage;
