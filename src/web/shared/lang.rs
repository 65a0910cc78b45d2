//! Language negotiation: `?lang=` (remembered in a cookie), then the cookie, then
//! Accept-Language, then zh-CN.
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::domain::Language;

/// The language chosen for this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(pub Language);

fn from_query(query: Option<&str>) -> Option<Language> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Language::from_tag(v))
}

fn from_cookie(parts: &axum::http::HeaderMap) -> Option<Language> {
    parts
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Language::from_tag(v))
}

/// Picks the best language from an Accept-Language header, honouring q-values.
pub fn from_accept_language(header: &str) -> Option<Language> {
    let mut best: Option<(f32, Language)> = None;
    for part in header.split(',') {
        let mut it = part.split(';');
        let tag = it.next().unwrap_or("").trim();
        let q = it
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        if let Some(lang) = Language::from_tag(tag) {
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
    }
    best.map(|(_, l)| l)
}

/// Middleware: decides the language and, on `?lang=`, remembers it for a year.
pub async fn negotiate(
    State(state): State<crate::state::AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let explicit = from_query(req.uri().query());
    let lang = explicit
        .or_else(|| from_cookie(req.headers()))
        .or_else(|| {
            req.headers()
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(from_accept_language)
        })
        .unwrap_or(Language::ZhCn);
    req.extensions_mut().insert(Lang(lang));
    let mut resp = next.run(req).await;
    if let Some(l) = explicit {
        let secure = if state.config.secure_cookies() {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
            l.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            resp.headers_mut().append(SET_COOKIE, v);
        }
    }
    resp
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Lang>()
            .copied()
            .unwrap_or(Lang(Language::ZhCn)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_respects_quality() {
        assert_eq!(
            from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"),
            Some(Language::En)
        );
        assert_eq!(
            from_accept_language("fr;q=1, zh;q=0.5, en;q=0.4"),
            Some(Language::ZhCn)
        );
        assert_eq!(from_accept_language("fr, de"), None);
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn query_parameter_wins() {
        assert_eq!(from_query(Some("a=1&lang=en")), Some(Language::En));
        assert_eq!(from_query(Some("lang=xx")), None);
    }
}
