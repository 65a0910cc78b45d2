//! Message catalogues (zh-CN, en) from `locales/<lang>/*.toml`, embedded in the binary. Each
//! area (public, staff, regulator, ...) has its own file; top-level tables must not repeat
//! across files of one language.
//!
//! Templates receive the whole catalogue of the request's language as `t` (so a missing key is a
//! render error caught by tests); Rust code looks messages up with [`I18n::msg`].
use std::collections::BTreeMap;

use crate::domain::Language;

/// Parsed catalogues for every supported language.
pub struct I18n {
    zh: Catalogue,
    en: Catalogue,
}

struct Catalogue {
    tree: serde_json::Value,
    flat: BTreeMap<String, String>,
}

#[derive(rust_embed::RustEmbed)]
#[folder = "locales/"]
struct Locales;

/// All files of one language, as (name, text).
fn files(lang: &str) -> anyhow::Result<Vec<(String, String)>> {
    let prefix = format!("{lang}/");
    let mut out = Vec::new();
    for name in Locales::iter().filter(|n| n.starts_with(&prefix) && n.ends_with(".toml")) {
        let f = Locales::get(&name).ok_or_else(|| anyhow::anyhow!("locale {name} vanished"))?;
        out.push((name.to_string(), String::from_utf8(f.data.into_owned())?));
    }
    out.sort();
    Ok(out)
}

impl I18n {
    /// Parses the embedded catalogues; fails only if a message file is malformed.
    pub fn load() -> anyhow::Result<I18n> {
        Ok(I18n {
            zh: Catalogue::parse(&files("zh-CN")?)?,
            en: Catalogue::parse(&files("en")?)?,
        })
    }

    fn cat(&self, lang: Language) -> &Catalogue {
        match lang {
            Language::ZhCn => &self.zh,
            Language::En => &self.en,
        }
    }

    /// The catalogue as a nested JSON object, for templates.
    pub fn tree(&self, lang: Language) -> &serde_json::Value {
        &self.cat(lang).tree
    }

    /// One message by dotted key; the key itself if missing (a test guards against that).
    pub fn msg(&self, lang: Language, key: &str) -> String {
        self.cat(lang)
            .flat
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// One message with `{name}` placeholders filled in.
    pub fn fmt(&self, lang: Language, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.msg(lang, key);
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// Keys present in one language and missing in the other (for the completeness test).
    pub fn missing_keys(&self) -> Vec<String> {
        let mut out = Vec::new();
        for k in self.zh.flat.keys() {
            if !self.en.flat.contains_key(k) {
                out.push(format!("en: {k}"));
            }
        }
        for k in self.en.flat.keys() {
            if !self.zh.flat.contains_key(k) {
                out.push(format!("zh-CN: {k}"));
            }
        }
        out
    }
}

impl Catalogue {
    fn parse(files: &[(String, String)]) -> anyhow::Result<Catalogue> {
        let mut tree = serde_json::Map::new();
        for (name, src) in files {
            let value: toml::Value =
                toml::from_str(src).map_err(|e| anyhow::anyhow!("locales/{name}: {e}"))?;
            if let serde_json::Value::Object(map) = serde_json::to_value(&value)? {
                for (k, v) in map {
                    if tree.insert(k.clone(), v).is_some() {
                        anyhow::bail!(
                            "locales/{name}: table [{k}] is already defined in another file"
                        );
                    }
                }
            }
        }
        let tree = serde_json::Value::Object(tree);
        let mut flat = BTreeMap::new();
        flatten("", &tree, &mut flat);
        Ok(Catalogue { tree, flat })
    }
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        serde_json::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_key_exists_in_both_languages() {
        let i = I18n::load().unwrap();
        let missing = i.missing_keys();
        assert!(missing.is_empty(), "missing message keys: {missing:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        let i = I18n::load().unwrap();
        let s = i.fmt(Language::En, "errors.too_long", &[("max", "100")]);
        assert!(s.contains("100"), "{s}");
    }
}
