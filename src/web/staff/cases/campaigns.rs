//! Tagging a case with a campaign, or removing the tag, by hand from the case page.
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::services::campaigns::tagging::{self, CaseCampaign};
use crate::web::shared::authz::{Access, Routes};
use crate::web::shared::page::{csrf_protected, StaffForm};
use crate::web::staff::forms::parse_id;

pub fn routes() -> Routes {
    Routes::new().add(
        "/staff/cases/{id}/campaigns",
        &["POST"],
        Access::Staff,
        post(set_tag),
    )
}

#[derive(Deserialize, Default)]
struct TagForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    campaign: String,
    /// `1` to tag, `0` to remove the tag.
    #[serde(default)]
    tagged: String,
}

csrf_protected!(TagForm);

async fn set_tag(
    Path(id): Path<String>,
    StaffForm(page, f): StaffForm<TagForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let campaign = parse_id(&f.campaign).map_err(|_| AppError::BadRequest("errors.bad_request"))?;
    let tagged = match f.tagged.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest("errors.bad_request")),
    };
    tagging::set_by_hand(
        &page.state.db.write,
        id,
        campaign,
        tagged,
        &page.user.actor(),
    )
    .await?;
    let done = if tagged {
        "campaign_tagged"
    } else {
        "campaign_untagged"
    };
    Ok(Redirect::to(&format!("/staff/cases/{id}?done={done}#campaigns-title")).into_response())
}

/// A campaign as the case page's tag form shows it.
#[derive(Serialize)]
pub struct CampaignTagView {
    id: i64,
    name: String,
    tag: String,
    /// `auto`, `manual`, `removed` or `none`.
    state: String,
    tagged: bool,
}

impl CampaignTagView {
    pub fn of(c: CaseCampaign) -> CampaignTagView {
        let state = c.state.unwrap_or_else(|| "none".into());
        CampaignTagView {
            tagged: state == tagging::AUTO || state == tagging::MANUAL,
            id: c.campaign.id,
            name: c.campaign.name,
            tag: c.campaign.tag,
            state,
        }
    }
}
