//! Tera templates and static assets, embedded in the binary so it runs from any folder.
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct Templates;

#[derive(RustEmbed)]
#[folder = "static/"]
pub struct Static;

/// Loads every template. Names ending in `.html` are autoescaped (Tera's default), including
/// mail HTML; `.txt` mail bodies are plain text and never rendered as HTML.
pub fn load() -> anyhow::Result<tera::Tera> {
    let mut tera = tera::Tera::default();
    let mut files = Vec::new();
    for name in Templates::iter() {
        let file =
            Templates::get(&name).ok_or_else(|| anyhow::anyhow!("template {name} vanished"))?;
        let text = String::from_utf8(file.data.into_owned())
            .map_err(|_| anyhow::anyhow!("template {name} is not UTF-8"))?;
        files.push((name.to_string(), text));
    }
    tera.add_raw_templates(files)
        .map_err(|e| anyhow::anyhow!("templates: {e:?}"))?;
    Ok(tera)
}
