//! The consumer's web form as a browser sends it: the page's token first, then the fields in order.
use reqwest::multipart::{Form, Part};

use super::tiny_png;

/// A multipart intake form: `form_token` first, then each of `fields` as text, in order.
pub fn intake_form(token: &str, fields: &[(&str, &str)]) -> Form {
    fields.iter().fold(
        Form::new().text("form_token", token.to_string()),
        |form, (name, value)| form.text(name.to_string(), value.to_string()),
    )
}

/// A file part holding a 1x1 PNG, named `name` and sent as `image/png`.
pub fn png_part(name: &str) -> Part {
    Part::bytes(tiny_png())
        .file_name(name.to_string())
        .mime_str("image/png")
        .expect("mime")
}

/// An evidence upload for the API: one `file` part holding a 1x1 PNG named `name`.
pub fn png_upload(name: &str) -> Form {
    Form::new().part("file", png_part(name))
}
