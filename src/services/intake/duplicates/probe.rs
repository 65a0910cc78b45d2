//! What the duplicate search is asked about: the complaint, or a filing not stored yet.
use chrono::{DateTime, Utc};

use crate::entities::complaint;

/// How the directory company of the complaint whose duplicates are sought is known.
#[derive(Debug, Clone, Copy)]
pub enum Company<'a> {
    /// Linked to this directory company, or to none.
    Id(Option<i64>),
    /// Not stored yet (intake): the directory company whose name or alias normalises to this
    /// text, looked up by the proposal's own query.
    Named(&'a str),
}

/// What the search needs to know about the complaint whose duplicates are sought.
#[derive(Debug, Clone)]
pub struct Probe<'a> {
    /// The complaint itself, left out of the results (none yet at intake).
    pub id: Option<i64>,
    pub company: Company<'a>,
    pub company_name: &'a str,
    pub contact_email: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub narrative: &'a str,
    pub received_at: DateTime<Utc>,
}

impl<'a> From<&'a complaint::Model> for Probe<'a> {
    fn from(c: &'a complaint::Model) -> Probe<'a> {
        Probe {
            id: Some(c.id),
            company: Company::Id(c.company_id),
            company_name: &c.company_name,
            contact_email: c.contact_email.as_deref(),
            contact_phone: c.contact_phone.as_deref(),
            narrative: &c.narrative,
            received_at: c.received_at,
        }
    }
}
