//! The answer form as every door receives it (portal, signed link, API multipart): reading the
//! multipart body, and turning a refused answer into localised field errors.
use axum::extract::Multipart;

use crate::domain::response::MAX_RESPONSE_FILES;
use crate::domain::Language;
use crate::error::{AppError, FieldErrors};
use crate::services::intake::evidence::{self, MAX_FILE_BYTES};
use crate::services::responses::{AnswerError, Upload};
use crate::state::AppState;
use crate::web::public::form::multipart_error;

/// The whole answer form: the most files allowed plus the text fields.
pub const ANSWER_BODY_LIMIT: usize = (MAX_RESPONSE_FILES + 1) * MAX_FILE_BYTES + 1024 * 1024;
/// All text fields together (the answer is at most 5 000 characters).
const TEXT_LIMIT: usize = 256 * 1024;

/// What was typed into the answer form (kept to show it again when something is wrong).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AnswerTyped {
    pub category: String,
    pub text: String,
    #[serde(skip)]
    pub csrf_token: String,
    #[serde(skip)]
    pub uploads: Vec<Upload>,
}

/// Reads the multipart answer form: `category`, `text`, `csrf_token` and repeated `file` parts
/// (empty file inputs are skipped).
pub async fn read_answer(mut mp: Multipart) -> Result<AnswerTyped, AppError> {
    let mut typed = AnswerTyped::default();
    let mut text_bytes = 0usize;
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(multipart_error)?;
            if bytes.is_empty() && file_name.as_deref().unwrap_or("").is_empty() {
                continue;
            }
            // One past the limit is enough for the service to refuse the set.
            if typed.uploads.len() <= MAX_RESPONSE_FILES {
                typed.uploads.push(Upload {
                    name: file_name,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let bytes = field.bytes().await.map_err(multipart_error)?;
        text_bytes += bytes.len();
        if text_bytes > TEXT_LIMIT {
            return Err(AppError::PayloadTooLarge);
        }
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| AppError::BadRequest("errors.invalid_utf8"))?;
        let slot = match name.as_str() {
            "category" => &mut typed.category,
            "text" => &mut typed.text,
            "csrf_token" => &mut typed.csrf_token,
            _ => continue,
        };
        if slot.is_empty() {
            *slot = text;
        }
    }
    Ok(typed)
}

/// The language an answer is written in: Chinese if it has any Han characters, else English.
pub fn language_of(text: &str) -> Language {
    if text
        .chars()
        .any(|c| matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}'))
    {
        Language::ZhCn
    } else {
        Language::En
    }
}

/// How a refused answer reaches the reader.
pub enum Refused {
    /// Not one of the company's forwarded cases.
    NotFound,
    /// The case is not waiting for an answer: message on the form.
    NotAwaiting(FieldErrors),
    /// Bad input: messages per field.
    Invalid(FieldErrors),
    Failed(AppError),
}

/// Turns the service's refusal into localised messages (`uploads` names the bad file).
pub fn refused(state: &AppState, lang: Language, e: AnswerError, uploads: &[Upload]) -> Refused {
    let one = |field: &str, msg: String| {
        let mut m = FieldErrors::new();
        m.insert(field.to_string(), vec![msg]);
        m
    };
    match e {
        AnswerError::NotFound => Refused::NotFound,
        AnswerError::NotAwaiting => Refused::NotAwaiting(one(
            "form",
            state.i18n.msg(lang, "company.errors.not_awaiting"),
        )),
        AnswerError::File(i, r) => {
            let shown = evidence::clean_name(uploads.get(i).and_then(|u| u.name.as_deref()));
            Refused::Invalid(one(
                "file",
                state.i18n.fmt(lang, r.message_key(), &[("name", &shown)]),
            ))
        }
        AnswerError::TooManyFiles => Refused::Invalid(one(
            "file",
            state.i18n.msg(lang, "company.errors.too_many_files"),
        )),
        AnswerError::Invalid { field, key } => {
            Refused::Invalid(one(field, state.i18n.msg(lang, &key)))
        }
        AnswerError::Service(e) => Refused::Failed(e.into()),
    }
}

/// The error summary of a form: (field, message) in the form's order.
pub fn summary(errors: &FieldErrors, order: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in order {
        if let Some(msgs) = errors.get(*f) {
            for m in msgs {
                out.push((f.to_string(), m.clone()));
            }
        }
    }
    for (f, msgs) in errors {
        if !order.contains(&f.as_str()) {
            for m in msgs {
                out.push((f.clone(), m.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_with_han_characters_is_chinese() {
        assert_eq!(language_of("已为用户办理降级。"), Language::ZhCn);
        assert_eq!(language_of("We refunded the fee."), Language::En);
    }
}
