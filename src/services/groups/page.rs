//! What the staff group page and its member export read, with the audit records that viewing
//! or exporting members' contact data requires.
use sea_orm::DbErr;
use serde_json::json;

use super::{find, members, members_csv, Member};
use crate::entities::{case_group, company};
use crate::services::audit::{self, Actor};
use crate::store::db::Db;

/// A group with its company and members.
pub struct GroupPage {
    pub group: case_group::Model,
    pub company: Option<company::Model>,
    pub members: Vec<Member>,
    /// Members whose contact data the page shows.
    pub with_contact: usize,
}

/// The group page's data; showing contact data records the view (never the data itself).
pub async fn view(db: &Db, id: i64, actor: &Actor) -> Result<Option<GroupPage>, DbErr> {
    let Some((group, company)) = find(&db.read, id).await? else {
        return Ok(None);
    };
    let members = members(&db.read, id).await?;
    let with_contact = members.iter().filter(|m| m.has_contact()).count();
    if with_contact > 0 {
        audit::record(
            &db.write,
            actor,
            "view_contact",
            Some(("case_group", id.to_string())),
            Some(json!({ "group_id": id, "members": members.len(), "with_contact": with_contact })),
        )
        .await?;
    }
    Ok(Some(GroupPage {
        group,
        company,
        members,
        with_contact,
    }))
}

/// Why a member export produced no file.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no such group")]
    NotFound,
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The member list for a collective action as CSV; the export is audited.
pub async fn export_members(db: &Db, id: i64, actor: &Actor) -> Result<Vec<u8>, ExportError> {
    find(&db.read, id).await?.ok_or(ExportError::NotFound)?;
    let members = members(&db.read, id).await?;
    let body = members_csv(&members)?;
    audit::record(
        &db.write,
        actor,
        "export",
        Some(("case_group", id.to_string())),
        Some(json!({ "what": "group_members", "format": "csv", "group_id": id, "rows": members.len(), "with_contact": members.iter().filter(|m| m.has_contact()).count() })),
    )
    .await?;
    Ok(body)
}
