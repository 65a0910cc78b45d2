//! The narrative part of an erasure: the story, the quotes suggestions took from it, the
//! consumer's replies on the tracking page and additions on `/my`.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::Counts;
use crate::entities::complaint;
use crate::services::privacy::NARRATIVE_MARKER;
use crate::store::sql::stmt;

pub(super) async fn erase_narrative(
    conn: &impl ConnectionTrait,
    c: &complaint::Model,
    now: DateTime<Utc>,
    n: &mut Counts,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    if c.narrative != NARRATIVE_MARKER || c.narrative_erased_at.is_none() {
        let (marker_fp, marker_trigrams) = migration::shared::fingerprint::of(NARRATIVE_MARKER);
        // An UPDATE of `narrative` also refreshes the full-text index (trigger on SQLite,
        // expression index on PostgreSQL): the case is no longer found by its story.
        conn.execute(stmt(
            backend,
            "UPDATE complaints SET narrative = $1, narrative_erased_at = COALESCE(narrative_erased_at, $2), \
             narrative_fp = $3, narrative_trigrams = $4 WHERE id = $5",
            vec![
                NARRATIVE_MARKER.into(),
                now.into(),
                marker_fp.into(),
                marker_trigrams.into(),
                c.id.into(),
            ],
        ))
        .await?;
        n.narrative += 1;
    }
    n.story_parts += conn
        .execute(stmt(
            backend,
            "UPDATE complaint_obstacles SET evidence = '[]' WHERE complaint_id = $1 \
             AND evidence IS NOT NULL AND evidence <> '[]'",
            vec![c.id.into()],
        ))
        .await?
        .rows_affected();
    n.story_parts += conn
        .execute(stmt(
            backend,
            "UPDATE consumer_replies SET message = NULL WHERE complaint_id = $1 AND message IS NOT NULL",
            vec![c.id.into()],
        ))
        .await?
        .rows_affected();
    // What the consumer added to the story on /my is part of the story.
    n.story_parts += conn
        .execute(stmt(
            backend,
            "DELETE FROM complaint_updates WHERE complaint_id = $1",
            vec![c.id.into()],
        ))
        .await?
        .rows_affected();
    Ok(())
}
