//! Page rendering with the shared layout context.
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::domain::Language;
use crate::error::AppError;
use crate::state::AppState;

/// A template context pre-filled with what every page needs.
pub fn context(state: &AppState, lang: Language, path: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("t", state.i18n.tree(lang));
    ctx.insert("lang", lang.code());
    ctx.insert(
        "other_lang",
        match lang {
            Language::ZhCn => "en",
            Language::En => "zh-CN",
        },
    );
    ctx.insert("path", path);
    ctx
}

/// Renders a page with a status code.
pub fn page(
    state: &AppState,
    template: &str,
    ctx: &tera::Context,
    status: StatusCode,
) -> Result<Response, AppError> {
    let html = state.tera.render(template, ctx)?;
    Ok((status, Html(html)).into_response())
}
