//! Example narratives for period reports: consented, published, scrubbed of personal data.
use sea_orm::{ConnectionTrait, DbErr};
use serde::Serialize;

use crate::domain::period::Month;
use crate::services::stats::{query, PUBLISHED};

/// An anonymised example for a report: where it came from and the scrubbed narrative.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub sector: String,
    pub company_name: String,
    pub primary_obstacle: Option<String>,
    pub text: String,
}

/// Up to `limit` example narratives received in the period: only complaints whose consumer
/// consented to sharing the narrative, in published statuses, not erased; every text passed
/// through the PII scrubber (with the consumer's own name as a known name). Picks different
/// primary obstacles first, newest first.
pub async fn examples(
    db: &impl ConnectionTrait,
    from: Month,
    to: Month,
    limit: usize,
) -> Result<Vec<Example>, DbErr> {
    let start = crate::domain::period::shanghai_start(from);
    let end = crate::domain::period::shanghai_start(to.plus(1));
    let list: Vec<String> = PUBLISHED.iter().map(|s| format!("'{s}'")).collect();
    let sql = format!(
        "SELECT sector, company_name, primary_obstacle, narrative, contact_name FROM complaints \
         WHERE received_at >= $1 AND received_at < $2 AND consent_share_narrative = $3 \
         AND narrative_erased_at IS NULL AND status IN ({}) ORDER BY received_at DESC, id DESC LIMIT 200",
        list.join(", ")
    );
    let rows = query(db, sql, vec![start.into(), end.into(), true.into()]).await?;
    let mut candidates = Vec::new();
    for r in &rows {
        let narrative: String = r.try_get_by_index(3)?;
        let contact: Option<String> = r.try_get_by_index(4)?;
        let names: Vec<&str> = contact
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .into_iter()
            .collect();
        candidates.push(Example {
            sector: r.try_get_by_index(0)?,
            company_name: r.try_get_by_index(1)?,
            primary_obstacle: r.try_get_by_index(2)?,
            text: crate::domain::scrub::scrub(&narrative, &names),
        });
    }
    let mut picked: Vec<Example> = Vec::new();
    let mut rest = Vec::new();
    for c in candidates {
        let fresh = !picked
            .iter()
            .any(|p| p.primary_obstacle == c.primary_obstacle && p.company_name == c.company_name)
            && !picked
                .iter()
                .any(|p| p.primary_obstacle.is_some() && p.primary_obstacle == c.primary_obstacle);
        if fresh && picked.len() < limit {
            picked.push(c);
        } else {
            rest.push(c);
        }
    }
    picked.extend(rest.into_iter().take(limit.saturating_sub(picked.len())));
    Ok(picked)
}
