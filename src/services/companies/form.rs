//! Form problems and errors shared by the directory services (companies, groups, holidays).
use sea_orm::DbErr;

use crate::domain::Language;
use crate::i18n::I18n;
use crate::services::error::FieldErrors;

/// One input problem: the field, a catalogue key and its `{name}` arguments.
#[derive(Debug, Clone)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

/// Input problems of one form, localised by the web layer.
#[derive(Debug, Clone, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn add(
        &mut self,
        field: &'static str,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) {
        self.0.push(Problem { field, key, args });
    }

    pub fn one(
        field: &'static str,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) -> Problems {
        let mut p = Problems::default();
        p.add(field, key, args);
        p
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Field → localised messages, in the shape of a 422 body.
    pub fn localise(&self, i18n: &I18n, lang: Language) -> FieldErrors {
        let mut out = FieldErrors::new();
        for p in &self.0 {
            let args: Vec<(&str, &str)> = p.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            out.entry(p.field.to_string())
                .or_default()
                .push(i18n.fmt(lang, p.key, &args));
        }
        out
    }
}

/// Why a directory operation did not happen.
#[derive(Debug)]
pub enum DirError {
    Invalid(Problems),
    NotFound,
    /// The record changed since the form was loaded.
    Stale,
    Db(DbErr),
}

impl From<DbErr> for DirError {
    fn from(e: DbErr) -> Self {
        DirError::Db(e)
    }
}

impl From<Problems> for DirError {
    fn from(p: Problems) -> Self {
        DirError::Invalid(p)
    }
}

/// Checks a length-limited single-line text; returns it trimmed.
pub fn check_text(
    p: &mut Problems,
    field: &'static str,
    raw: &str,
    required: bool,
    max: usize,
) -> Option<String> {
    let v = raw.trim();
    let len = v.chars().count();
    if v.is_empty() {
        if required {
            p.add(field, "errors.required", vec![]);
        }
        return None;
    }
    if len > max {
        p.add(
            field,
            "errors.too_long",
            vec![("max", max.to_string()), ("len", len.to_string())],
        );
        return None;
    }
    if v.chars().any(|c| c.is_control() && c != '\t') {
        p.add(field, "errors.control_chars", vec![]);
        return None;
    }
    Some(v.to_string())
}
