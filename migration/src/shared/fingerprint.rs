//! Narrative fingerprints for duplicate proposals, shared by the migration that backfills them
//! and the application that writes them with every narrative (migration
//! `m20261126_000010_narrative_fingerprint` pins the values it wrote).
//!
//! A narrative's character trigrams ignore whitespace, punctuation and letter case, so re-typed
//! copies compare as equal. The fingerprint stores two facts about the trigram set: how many
//! distinct trigrams it has (two sets can only be ≥ s similar by Jaccard when the smaller one
//! holds at least s × the larger one's count) and a 64-bit hash of the sorted set (equal hashes:
//! similarity 1). Duplicate proposals then read narratives only for the few complaints whose
//! counts leave room for a match and whose hashes differ.
use sea_orm_migration::sea_orm::{self, ConnectionTrait, DbErr, Statement, TransactionTrait};

/// Rows read and updated per transaction while backfilling.
const BATCH: i64 = 2_000;

/// Sorted, distinct character trigrams of a text, ignoring non-alphanumerics and case.
pub fn trigrams(s: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let mut t: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// `(hash, distinct trigram count)` of a sorted, distinct trigram list.
pub fn of_trigrams(t: &[[char; 3]]) -> (i64, i32) {
    // FNV-1a over the code points: stable across builds and platforms (unlike std's hasher).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for tri in t {
        for c in tri {
            for b in (*c as u32).to_le_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    (h as i64, i32::try_from(t.len()).unwrap_or(i32::MAX))
}

/// `(hash, distinct trigram count)` of a narrative.
pub fn of(narrative: &str) -> (i64, i32) {
    of_trigrams(&trigrams(narrative))
}

/// Fills the fingerprint of every complaint that has none, in id order, a batch per transaction.
pub async fn backfill<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let (select, update) = match b {
        sea_orm::DatabaseBackend::Postgres => (
            "SELECT id, narrative FROM complaints WHERE id > $1 AND narrative_fp IS NULL ORDER BY id LIMIT $2",
            "UPDATE complaints SET narrative_fp = $1, narrative_trigrams = $2 WHERE id = $3",
        ),
        _ => (
            "SELECT id, narrative FROM complaints WHERE id > ? AND narrative_fp IS NULL ORDER BY id LIMIT ?",
            "UPDATE complaints SET narrative_fp = ?, narrative_trigrams = ? WHERE id = ?",
        ),
    };
    let mut after = 0i64;
    loop {
        let txn = db.begin().await?;
        let rows = txn
            .query_all(Statement::from_sql_and_values(
                b,
                select,
                [after.into(), BATCH.into()],
            ))
            .await?;
        let Some(last) = rows.last() else {
            txn.commit().await?;
            return Ok(());
        };
        after = last.try_get_by_index::<i64>(0)?;
        for r in &rows {
            let id: i64 = r.try_get_by_index(0)?;
            let narrative: String = r.try_get_by_index(1)?;
            let (fp, count) = of(&narrative);
            txn.execute(Statement::from_sql_and_values(
                b,
                update,
                [fp.into(), count.into(), id.into()],
            ))
            .await?;
        }
        txn.commit().await?;
    }
}
