//! `GET /api/v1/companies`: the company directory for API clients (regulators and staff).
//! The forwarding contact is association working data: only staff roles see it.
use axum::extract::State;
use axum::routing::get;
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::services::companies::{self, ListFilter};
use crate::state::AppState;
use crate::web::api::{ApiQuery, ListPage};
use crate::web::shared::auth::CurrentUser;
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::lang::Lang;

const DEFAULT_LIMIT: u64 = 50;
const MAX_LIMIT: u64 = 200;
const CURSOR_PREFIX: &str = "company:";

pub fn routes() -> Routes {
    Routes::new().add("/api/v1/companies", &["GET"], Access::Regulator, get(list))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// A directory entry as API clients see it.
#[derive(Serialize)]
struct CompanyItem {
    id: i64,
    name: String,
    aliases: Vec<String>,
    sector: Option<String>,
    credit_code: Option<String>,
    complaint_count: i64,
    /// The forwarding contact: present (possibly null) for staff roles only.
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_email: Option<Option<String>>,
}

fn encode_cursor(id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{id}"))
}

fn decode_cursor(s: &str) -> Option<i64> {
    let raw = URL_SAFE_NO_PAD.decode(s.trim()).ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix(CURSOR_PREFIX)?
        .parse()
        .ok()
        .filter(|id: &i64| *id > 0)
}

async fn list(
    State(state): State<AppState>,
    Lang(lang): Lang,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<ListPage<CompanyItem>>, AppError> {
    let mut errors = FieldErrors::new();
    let limit = match q.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(l) => match l.parse::<u64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                let msg = state.i18n.fmt(
                    lang,
                    "errors.out_of_range",
                    &[("min", "1"), ("max", &MAX_LIMIT.to_string())],
                );
                errors.insert("limit".into(), vec![msg]);
                DEFAULT_LIMIT
            }
        },
    };
    let after = match q.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => decode_cursor(c).unwrap_or_else(|| {
            errors.insert(
                "cursor".into(),
                vec![state.i18n.msg(lang, "companies.errors.bad_cursor")],
            );
            0
        }),
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let filter = ListFilter {
        q: q.q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        sector: None,
    };
    let (rows, next) = companies::list_by_id(&state.db.read, &filter, after, limit).await?;
    let staff = user.role.is_staff();
    let items = rows
        .into_iter()
        .map(|c| CompanyItem {
            id: c.id,
            name: c.name,
            aliases: c.aliases,
            sector: c.sector,
            credit_code: c.credit_code,
            complaint_count: c.complaint_count,
            contact_email: staff.then_some(c.contact_email),
        })
        .collect();
    Ok(Json(ListPage {
        items,
        next_cursor: next.map(encode_cursor),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("42"), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("company:-1")), None);
    }
}
