//! The demo company directory: listed companies, their aliases and credit codes.
use super::*;

/// A demo company as the generator sees it.
#[derive(Clone, Copy)]
pub(super) struct Listed {
    pub(super) id: i64,
    pub(super) spec: &'static DemoCompany,
}

pub(super) async fn max_id(conn: &DatabaseConnection, table: &str) -> anyhow::Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}");
    let row = conn
        .query_one(Statement::from_string(conn.get_database_backend(), sql))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "m"))
        .transpose()?
        .unwrap_or(0))
}

/// Inserts the demo companies that are missing; returns the whole demo directory with ids and
/// the number inserted.
pub(super) async fn ensure_companies(
    conn: &DatabaseConnection,
) -> anyhow::Result<(Vec<Listed>, usize)> {
    let norms: Vec<String> = text::COMPANIES
        .iter()
        .map(|c| normalize_name(c.name))
        .collect();
    let mut existing: HashMap<String, i64> = company::Entity::find()
        .filter(company::Column::NameNorm.is_in(norms.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.name_norm, c.id))
        .collect();
    let taken_aliases: HashSet<String> = company_alias::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.alias_norm)
        .collect();
    let taken_codes: HashSet<String> = company::Entity::find()
        .filter(company::Column::CreditCode.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|c| c.credit_code)
        .collect();
    let now = Utc::now();
    let mut inserted = 0;
    let txn = conn.begin().await?;
    for (spec, norm) in text::COMPANIES.iter().zip(&norms) {
        if existing.contains_key(norm) {
            continue;
        }
        let credit_code = spec
            .has_credit_code
            .then(|| demo_credit_code(spec))
            .flatten()
            .filter(|c| !taken_codes.contains(c));
        let row = company::ActiveModel {
            name: Set(spec.name.to_string()),
            name_norm: Set(norm.clone()),
            sector: Set(Some(spec.sector.code().to_string())),
            credit_code: Set(credit_code),
            contact_email: Set(Some(format!("complaints@{}.example.cn", spec.slug))),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for alias in spec.aliases {
            let alias_norm = normalize_name(alias);
            if taken_aliases.contains(&alias_norm) || existing.contains_key(&alias_norm) {
                continue;
            }
            company_alias::ActiveModel {
                company_id: Set(row.id),
                alias: Set(alias.to_string()),
                alias_norm: Set(alias_norm),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        existing.insert(norm.clone(), row.id);
        inserted += 1;
    }
    txn.commit().await?;
    let listed = text::COMPANIES
        .iter()
        .zip(&norms)
        .filter_map(|(spec, norm)| existing.get(norm).map(|&id| Listed { id, spec }))
        .collect();
    Ok((listed, inserted))
}

/// A stable, well-formed credit code for a demo company: 91 (enterprise) + its division +
/// an `MA…` organisation code with a GB 11714 check digit + the GB 32100 check character.
fn demo_credit_code(spec: &DemoCompany) -> Option<String> {
    // FNV-1a of the slug: the same company gets the same code on every run.
    let seed = spec.slug.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = SmallRng::seed_from_u64(seed);
    const ORG: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut org: Vec<u8> = b"MA".to_vec();
    org.extend((0..6).map(|_| ORG[rng.random_range(0..ORG.len())]));
    let weights = [3u32, 7, 9, 10, 5, 8, 4, 2];
    let value = |c: u8| {
        if c.is_ascii_digit() {
            (c - b'0') as u32
        } else {
            (c - b'A') as u32 + 10
        }
    };
    let sum: u32 = org.iter().zip(weights).map(|(&c, w)| value(c) * w).sum();
    org.push(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + d as u8,
    });
    make_credit_code(&format!(
        "91{}{}",
        spec.division,
        String::from_utf8_lossy(&org)
    ))
}
