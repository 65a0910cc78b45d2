//! The consumers' rights pages (`/rights`, `/rights/{code}`): per obstacle code, five plain-text
//! sections in zh-CN and en, stored in `rights_pages` (seeded by migration 18) and edited by
//! admins. Every edit is audited with the sections it changed.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set, TransactionTrait};
use serde_json::json;

use crate::domain::Language;
use crate::entities::{obstacle, rights_page};
use crate::services::audit::{self, Actor};
use crate::services::error::{FieldErrors, ServiceError};

/// The sections in display order (also the form's field prefixes).
pub const SECTIONS: [&str; 5] = ["entitled", "basis", "evidence", "ask", "association"];
/// Longest text of one section in one language.
pub const MAX_SECTION_CHARS: usize = 8000;

/// A rights page with the obstacle it belongs to.
pub struct RightsPage {
    pub obstacle: obstacle::Model,
    pub page: rights_page::Model,
}

impl RightsPage {
    /// The text of `section` in `lang`.
    pub fn text(&self, section: &str, lang: Language) -> &str {
        section_text(&self.page, section, lang == Language::En)
    }

    /// The obstacle's name in `lang`.
    pub fn name(&self, lang: Language) -> &str {
        match lang {
            Language::ZhCn => &self.obstacle.name_zh,
            Language::En => &self.obstacle.name_en,
        }
    }
}

fn section_text<'a>(p: &'a rights_page::Model, section: &str, en: bool) -> &'a str {
    match (section, en) {
        ("entitled", false) => &p.entitled_zh,
        ("entitled", true) => &p.entitled_en,
        ("basis", false) => &p.basis_zh,
        ("basis", true) => &p.basis_en,
        ("evidence", false) => &p.evidence_zh,
        ("evidence", true) => &p.evidence_en,
        ("ask", false) => &p.ask_zh,
        ("ask", true) => &p.ask_en,
        ("association", false) => &p.association_zh,
        _ => &p.association_en,
    }
}

/// Every page of an active obstacle, in the taxonomy's order.
pub async fn all(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<RightsPage>, ServiceError> {
    let obstacles = obstacle::Entity::find()
        .order_by_asc(obstacle::Column::SortOrder)
        .all(db)
        .await?;
    let mut pages = rights_page::Entity::find().all(db).await?;
    let mut out = Vec::new();
    for o in obstacles.into_iter().filter(|o| o.active) {
        if let Some(i) = pages.iter().position(|p| p.obstacle_code == o.code) {
            out.push(RightsPage {
                page: pages.swap_remove(i),
                obstacle: o,
            });
        }
    }
    Ok(out)
}

/// The page of one obstacle code (exact, upper-case code), `None` if there is none.
pub async fn find(
    db: &impl sea_orm::ConnectionTrait,
    code: &str,
) -> Result<Option<RightsPage>, ServiceError> {
    let Some(o) = obstacle::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !o.active {
        return Ok(None);
    }
    let page = rights_page::Entity::find_by_id(code.to_string())
        .one(db)
        .await?;
    Ok(page.map(|page| RightsPage { obstacle: o, page }))
}

/// The ten texts of an edit, keyed `<section>_<zh|en>`.
pub type Texts = std::collections::BTreeMap<String, String>;

/// Why an edit was refused: message keys per field (`<section>_<lang>`).
pub type EditErrors = Vec<(String, &'static str, Vec<(&'static str, String)>)>;

/// Checks the typed texts: each required, at most [`MAX_SECTION_CHARS`], control characters
/// other than line breaks and tabs removed, line ends normalised.
pub fn check(texts: &Texts) -> Result<Texts, EditErrors> {
    let mut out = Texts::new();
    let mut errs: EditErrors = Vec::new();
    for s in SECTIONS {
        for l in ["zh", "en"] {
            let field = format!("{s}_{l}");
            let raw = texts.get(&field).map(String::as_str).unwrap_or("");
            let clean: String = raw
                .replace("\r\n", "\n")
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
                .collect();
            let clean = clean.trim().to_string();
            if clean.is_empty() {
                errs.push((field, "errors.required", vec![]));
            } else if clean.chars().count() > MAX_SECTION_CHARS {
                errs.push((
                    field,
                    "errors.too_long",
                    vec![
                        ("max", MAX_SECTION_CHARS.to_string()),
                        ("len", clean.chars().count().to_string()),
                    ],
                ));
            } else {
                out.insert(field, clean);
            }
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// Localises refused fields for the form.
pub fn localise(errs: &EditErrors, i18n: &crate::i18n::I18n, lang: Language) -> FieldErrors {
    let mut m = FieldErrors::new();
    for (field, key, args) in errs {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        m.entry(field.clone())
            .or_default()
            .push(i18n.fmt(lang, key, &args));
    }
    m
}

/// Saves checked texts for `code`; audits which sections changed. `Ok(false)`: unknown code.
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    code: &str,
    texts: &Texts,
) -> Result<bool, ServiceError> {
    let txn = db.begin().await?;
    let Some(old) = rights_page::Entity::find_by_id(code.to_string())
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let get = |k: &str| texts.get(k).cloned().unwrap_or_default();
    let changed: Vec<String> = SECTIONS
        .iter()
        .flat_map(|s| {
            let (old, get) = (&old, &get);
            [("zh", false), ("en", true)]
                .into_iter()
                .filter(move |(l, en)| section_text(old, s, *en) != get(&format!("{s}_{l}")))
                .map(move |(l, _)| format!("{s}_{l}"))
        })
        .collect();
    if !changed.is_empty() {
        let mut m: rights_page::ActiveModel = old.into();
        m.entitled_zh = Set(get("entitled_zh"));
        m.entitled_en = Set(get("entitled_en"));
        m.basis_zh = Set(get("basis_zh"));
        m.basis_en = Set(get("basis_en"));
        m.evidence_zh = Set(get("evidence_zh"));
        m.evidence_en = Set(get("evidence_en"));
        m.ask_zh = Set(get("ask_zh"));
        m.ask_en = Set(get("ask_en"));
        m.association_zh = Set(get("association_zh"));
        m.association_en = Set(get("association_en"));
        m.updated_at = Set(Utc::now());
        m.updated_by = Set(Some(actor.label.clone()));
        m.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "rights_page_updated",
            Some(("rights_page", code.to_string())),
            Some(json!({ "changed": changed })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> Texts {
        SECTIONS
            .iter()
            .flat_map(|s| ["zh", "en"].map(|l| (format!("{s}_{l}"), format!(" {s} {l}\r\ntext "))))
            .collect()
    }

    #[test]
    fn every_text_is_required_trimmed_and_bounded() {
        let ok = check(&full()).expect("valid");
        assert_eq!(ok["basis_en"], "basis en\ntext");
        let mut t = full();
        t.insert("ask_zh".into(), "   ".into());
        t.insert("basis_en".into(), "x".repeat(MAX_SECTION_CHARS + 1));
        let errs = check(&t).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(fields, vec!["basis_en", "ask_zh"]);
    }
}
