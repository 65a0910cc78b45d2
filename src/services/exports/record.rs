//! One exported complaint ([`Record`]) and its cells in column order.
use super::*;

/// One complaint as exported, before the tier is applied to its free text.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub complaint_id: String,
    /// RFC 3339 in UTC, whole seconds (`2026-10-31T08:15:00Z`).
    pub received_at: String,
    pub sector: String,
    pub company_name: String,
    pub company_credit_code: Option<String>,
    pub service_name: Option<String>,
    pub requested_action: String,
    pub plan_from: Option<String>,
    /// Fen.
    pub price_from: Option<i64>,
    pub plan_to: Option<String>,
    pub price_to: Option<i64>,
    pub billing_cycle: Option<String>,
    pub channels_tried: Vec<String>,
    pub contact_attempts: Option<i64>,
    pub first_attempt_on: Option<String>,
    pub days_to_close: Option<i64>,
    pub obstacle_codes: Vec<String>,
    pub primary_obstacle: Option<String>,
    pub rights_implicated: Vec<String>,
    pub taxonomy_version: String,
    pub outcome: Option<String>,
    pub status: String,
    pub company_response: Option<String>,
    pub response_timely: Option<bool>,
    pub province: Option<String>,
    pub submitted_via: String,
    pub consent_share_narrative: bool,
    pub narrative: Option<String>,
    pub evidence_count: i64,
    pub case_group: Vec<String>,
    pub duplicate_of: Option<String>,
    pub tags: Vec<String>,
    /// RFC 3339 in UTC, whole seconds, like `received_at`.
    pub forwarded_at: Option<String>,
    /// `YYYY-MM-DD`.
    pub response_due_on: Option<String>,
    /// RFC 3339 in UTC, whole seconds.
    pub responded_at: Option<String>,
    /// `ResponseCategory` code.
    pub response_category: Option<String>,
    /// `ConsumerFeedback` code; no verdict (yet) is exported as `none`.
    pub consumer_feedback: Option<String>,
    pub consumer_disputed: bool,
    /// In the priority lane (绿色通道) when exported.
    pub priority_lane: bool,
    /// The authority of the latest referral.
    pub referred_to: Option<String>,
    /// RFC 3339 in UTC, whole seconds.
    pub referred_at: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

/// One cell, typed so each format can write it its own way.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    /// Fen, written as a decimal yuan string (`59.00`), or a number in XLSX.
    Money(i64),
    Bool(bool),
    /// Multi-valued: `;`-joined in CSV and XLSX, an array in NDJSON.
    List(&'a [String]),
    /// A UTC instant as `2026-10-31T16:02:54Z`: text in CSV and NDJSON, an Asia/Shanghai
    /// date-time in XLSX.
    Time(&'a str),
    /// A calendar day as `2026-11-01`: text in CSV and NDJSON, a date in XLSX.
    Date(&'a str),
}

fn text(v: &Option<String>) -> Cell<'_> {
    v.as_deref().map_or(Cell::Null, Cell::Text)
}

fn time(v: &Option<String>) -> Cell<'_> {
    v.as_deref().map_or(Cell::Null, Cell::Time)
}

fn date(v: &Option<String>) -> Cell<'_> {
    v.as_deref().map_or(Cell::Null, Cell::Date)
}

impl Record {
    /// Applies the privacy tier to the free text: regulators get the narrative only where the
    /// consumer consented, scrubbed of personal data (the contact name counts as a known name),
    /// and the company's response scrubbed too (companies quote names and numbers back);
    /// contact fields are dropped. Staff get everything.
    pub fn apply_tier(&mut self, tier: Tier) {
        if tier == Tier::Staff {
            return;
        }
        let name = self.contact_name.take();
        let names: Vec<&str> = name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .into_iter()
            .collect();
        self.narrative = match (self.consent_share_narrative, self.narrative.take()) {
            (true, Some(n)) => Some(scrub(&n, &names)),
            _ => None,
        };
        if let Some(r) = self.company_response.take() {
            self.company_response = Some(scrub(&r, &names));
        }
        self.contact_email = None;
        self.contact_phone = None;
    }

    /// The cells of this record in column order (`tier` decides the contact columns).
    pub fn cells<'a>(&'a self, tier: Tier, out: &mut Vec<Cell<'a>>) {
        out.clear();
        out.extend([
            Cell::Text(&self.complaint_id),
            Cell::Time(&self.received_at),
            Cell::Text(&self.sector),
            Cell::Text(&self.company_name),
            text(&self.company_credit_code),
            text(&self.service_name),
            Cell::Text(&self.requested_action),
            text(&self.plan_from),
            self.price_from.map_or(Cell::Null, Cell::Money),
            text(&self.plan_to),
            self.price_to.map_or(Cell::Null, Cell::Money),
            text(&self.billing_cycle),
            Cell::List(&self.channels_tried),
            self.contact_attempts.map_or(Cell::Null, Cell::Int),
            date(&self.first_attempt_on),
            self.days_to_close.map_or(Cell::Null, Cell::Int),
            Cell::List(&self.obstacle_codes),
            text(&self.primary_obstacle),
            Cell::List(&self.rights_implicated),
            Cell::Text(&self.taxonomy_version),
            text(&self.outcome),
            Cell::Text(&self.status),
            text(&self.company_response),
            self.response_timely.map_or(Cell::Null, Cell::Bool),
            text(&self.province),
            Cell::Text(&self.submitted_via),
            Cell::Bool(self.consent_share_narrative),
            text(&self.narrative),
            Cell::Int(self.evidence_count),
            Cell::List(&self.case_group),
            text(&self.duplicate_of),
            Cell::List(&self.tags),
            time(&self.forwarded_at),
            date(&self.response_due_on),
            time(&self.responded_at),
            text(&self.response_category),
            Cell::Text(self.consumer_feedback.as_deref().unwrap_or("none")),
            Cell::Bool(self.consumer_disputed),
            Cell::Bool(self.priority_lane),
            text(&self.referred_to),
            time(&self.referred_at),
        ]);
        if tier == Tier::Staff {
            out.extend([
                text(&self.contact_name),
                text(&self.contact_email),
                text(&self.contact_phone),
            ]);
        }
    }
}
