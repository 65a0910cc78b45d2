//! Localised names for the codes that statistics are grouped by.
use std::sync::Arc;

use crate::domain::period::Month;
use crate::domain::Language;
use crate::error::AppError;
use crate::services::reference::Reference;
use crate::services::stats::{self, Summary};
use crate::state::AppState;

/// Localised names for the codes that statistics are grouped by.
pub struct Labels<'a> {
    pub state: &'a AppState,
    pub lang: Language,
    pub reference: Arc<Reference>,
    /// Family code → (zh, en) name, in display order.
    pub families: Vec<(String, String, String)>,
}

impl<'a> Labels<'a> {
    pub async fn load(state: &'a AppState, lang: Language) -> Result<Labels<'a>, AppError> {
        let families = stats::families(&state.db.read).await?;
        Ok(Labels {
            state,
            lang,
            reference: state.reference(),
            families,
        })
    }

    pub fn msg(&self, key: &str) -> String {
        self.state.i18n.msg(self.lang, key)
    }

    /// The figures for `f`, with unmatched complaints under this language's "not in directory".
    pub async fn summary(&self, f: &stats::Filter) -> Result<Summary, AppError> {
        let unmatched = self.msg("stats.not_in_directory");
        Ok(stats::summary(&self.state.db.read, f, &unmatched).await?)
    }

    pub fn sector(&self, code: &str) -> String {
        self.msg(&format!("sector.{code}"))
    }

    pub fn status(&self, code: &str) -> String {
        self.msg(&format!("status.{code}"))
    }

    pub fn province(&self, code: &str) -> String {
        if code.is_empty() {
            return self.msg("stats.not_given");
        }
        self.reference
            .province_name(code, self.lang)
            .unwrap_or(code)
            .to_string()
    }

    pub fn obstacle(&self, code: &str) -> String {
        self.reference
            .obstacle_name(code, self.lang)
            .unwrap_or(code)
            .to_string()
    }

    pub fn family_of(&self, code: &str) -> String {
        self.reference
            .obstacles
            .iter()
            .find(|o| o.code == code)
            .map(|o| o.family.clone())
            .unwrap_or_default()
    }

    pub fn family(&self, code: &str) -> String {
        self.families
            .iter()
            .find(|f| f.0 == code)
            .map(|f| {
                if self.lang == Language::ZhCn {
                    f.1.clone()
                } else {
                    f.2.clone()
                }
            })
            .unwrap_or_else(|| code.to_string())
    }

    pub fn month(&self, m: Month) -> String {
        match self.lang {
            Language::ZhCn => format!("{}年{}月", m.year, m.month),
            Language::En => m.first_day().format("%b %Y").to_string(),
        }
    }

    /// Obstacle codes in taxonomy order, with their family.
    pub fn codes(&self) -> Vec<(String, String)> {
        self.reference
            .obstacles
            .iter()
            .filter(|o| o.active)
            .map(|o| (o.code.clone(), o.family.clone()))
            .collect()
    }

    /// Names for the public data set (`kind` as in [`crate::services::stats::public::Labeller`]).
    pub fn public(&self, kind: &str, code: &str) -> String {
        match kind {
            "sector" => self.sector(code),
            "province" => self.province(code),
            "obstacle" => self.obstacle(code),
            "family" => self.family(code),
            "other_companies" => self.msg("stats.other_companies"),
            "marker" => self.msg(&format!("stats.marker_{code}")),
            _ => code.to_string(),
        }
    }
}
