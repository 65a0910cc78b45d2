//! The member list of a case group as CSV for a collective action: UTF-8 with a BOM so Excel
//! opens it correctly, and cells that a spreadsheet would run as formulas neutralised.
use super::{Contact, Member};
use crate::domain::Money;

/// Header of the member export (stable codes, like the complaint export).
pub const CSV_HEADER: [&str; 15] = [
    "complaint_id",
    "tracking_code",
    "received_at",
    "status",
    "sector",
    "company_name",
    "service_name",
    "requested_action",
    "amount_claimed",
    "province",
    "consent_contact_company",
    "contact_name",
    "contact_email",
    "contact_phone",
    "added_at",
];

/// A cell that a spreadsheet would run as a formula gets a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The member list as CSV: UTF-8 with a BOM (Excel), formula-like cells neutralised.
pub fn members_csv(members: &[Member]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(CSV_HEADER)?;
    for m in members {
        let contact = m.contact.clone().unwrap_or(Contact {
            name: None,
            email: None,
            phone: None,
        });
        let row = [
            m.complaint_id.to_string(),
            m.tracking_code.clone(),
            m.received_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            m.status.clone(),
            m.sector.clone(),
            m.company_name.clone(),
            m.service_name.clone().unwrap_or_default(),
            m.requested_action.clone(),
            m.amount_claimed_fen
                .map(|f| Money(f).decimal())
                .unwrap_or_default(),
            m.province.clone().unwrap_or_default(),
            m.consent_contact_company.to_string(),
            contact.name.unwrap_or_default(),
            contact.email.unwrap_or_default(),
            contact.phone.unwrap_or_default(),
            m.added_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ];
        w.write_record(row.iter().map(|c| neutralise(c)))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for c in ["+1", "-1", "@a", "\tx", "\rx"] {
            assert!(neutralise(c).starts_with('\''), "{c:?}");
        }
        assert_eq!(neutralise("张三"), "张三");
    }
}
