//! Page rendering with the shared layout context.
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::domain::Language;
use crate::error::{AppError, FieldErrors};
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

/// One localised error on one field: the message `key` with `args` filled in.
pub fn field_error(
    state: &AppState,
    lang: Language,
    field: &str,
    key: &str,
    args: &[(&str, &str)],
) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.insert(field.to_string(), vec![state.i18n.fmt(lang, key, args)]);
    e
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

/// Adds a typed view's fields to a layout context: each field becomes a template variable, so
/// a misspelt name fails to compile instead of rendering empty.
pub fn with_view<V: Serialize>(
    mut ctx: tera::Context,
    view: &V,
) -> Result<tera::Context, AppError> {
    ctx.extend(tera::Context::from_serialize(view)?);
    Ok(ctx)
}

/// Renders a public page: the layout context for `path` plus the fields of `view`.
pub fn view_page<V: Serialize>(
    state: &AppState,
    lang: Language,
    path: &str,
    template: &str,
    view: &V,
    status: StatusCode,
) -> Result<Response, AppError> {
    let ctx = with_view(context(state, lang, path), view)?;
    page(state, template, &ctx, status)
}

/// A CSV document (UTF-8 with a BOM, CRLF line ends) from a header and rows, every cell
/// neutralised against formula injection.
pub fn csv_document<R, C>(header: &[&str], rows: R) -> Result<Vec<u8>, AppError>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    use crate::services::exports::format::{neutralise, BOM};
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    let write = |w: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        w.write_record(header)?;
        for r in rows {
            w.write_record(r.into_iter().map(|c| neutralise(&c).into_owned()))?;
        }
        w.flush()?;
        Ok(())
    };
    write(&mut w).map_err(|e| AppError::Internal(e.into()))?;
    w.into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
}
