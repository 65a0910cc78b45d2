//! The consumers' rights pages: `/rights` (one entry per obstacle) and `/rights/{code}` (what
//! the consumer is entitled to, the legal basis, what to keep, how to ask the company first,
//! what the association does). The text is data admins edit (`services::rights`); it is shown
//! escaped, as paragraphs and lists built from plain text.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use crate::domain::plain_text::{self, Block};
use crate::domain::Language;
use crate::error::AppError;
use crate::services::rights::{self, SECTIONS};
use crate::state::AppState;
use crate::web::shared::lang::Lang;
use crate::web::shared::render::view_page;

/// One obstacle on the index page.
#[derive(Serialize)]
struct Entry {
    code: String,
    name: String,
    family: String,
    /// The first paragraph of "what you are entitled to".
    summary: String,
}

/// `public/rights.html`.
#[derive(Serialize)]
struct IndexView {
    entries: Vec<Entry>,
}

/// One section of a page.
#[derive(Serialize)]
struct Section {
    key: &'static str,
    blocks: Vec<Block>,
}

/// `public/rights_page.html`.
#[derive(Serialize)]
struct PageView {
    code: String,
    name: String,
    description: String,
    sections: Vec<Section>,
}

fn first_paragraph(text: &str) -> String {
    match plain_text::blocks(text).into_iter().next() {
        Some(Block::Paragraph(lines)) => lines.join(" "),
        Some(Block::List(items)) => items.join("; "),
        None => String::new(),
    }
}

pub async fn index(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, AppError> {
    let entries = rights::all(&state.db.read)
        .await?
        .into_iter()
        .map(|p| Entry {
            summary: first_paragraph(p.text("entitled", lang)),
            name: p.name(lang).to_string(),
            family: p.obstacle.family.clone(),
            code: p.obstacle.code,
        })
        .collect();
    view_page(
        &state,
        lang,
        "/rights",
        "public/rights.html",
        &IndexView { entries },
        StatusCode::OK,
    )
}

pub async fn page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    // Codes are upper-case ASCII with dashes; anything else cannot be one.
    let well_formed = code.len() <= 40 && code.chars().all(|c| c.is_ascii_uppercase() || c == '-');
    if !well_formed {
        return Err(AppError::NotFound);
    }
    let p = rights::find(&state.db.read, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let description = match lang {
        Language::ZhCn => p.obstacle.description_zh.clone(),
        Language::En => p.obstacle.description_en.clone(),
    };
    let view = PageView {
        code: p.obstacle.code.clone(),
        name: p.name(lang).to_string(),
        description,
        sections: SECTIONS
            .iter()
            .map(|key| Section {
                key,
                blocks: plain_text::blocks(p.text(key, lang)),
            })
            .collect(),
    };
    view_page(
        &state,
        lang,
        "/rights",
        "public/rights_page.html",
        &view,
        StatusCode::OK,
    )
}
