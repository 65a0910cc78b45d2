//! Evidence files: sniffed by content, size-capped, stored outside the web root under random
//! names, never served to the public.
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Largest accepted file.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Most files per complaint.
pub const MAX_FILES: usize = 10;

/// A file that passed the checks and is on disk, not yet linked to a complaint.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub stored_name: String,
    pub original_name: String,
    pub content_type: &'static str,
    pub size_bytes: i64,
    pub sha256: String,
}

/// Why a file was refused (maps to a message key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    Type,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::Empty => "errors.file_empty",
            Refusal::TooLarge => "errors.file_too_large",
            Refusal::Type => "errors.file_type",
        }
    }
}

/// Content type by magic bytes: PNG, JPEG, WebP or PDF, or `None`.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    match kind.mime_type() {
        "image/png" => Some("image/png"),
        "image/jpeg" => Some("image/jpeg"),
        "image/webp" => Some("image/webp"),
        "application/pdf" => Some("application/pdf"),
        _ => None,
    }
}

/// Checks a received file's bytes.
pub fn check(bytes: &[u8]) -> Result<&'static str, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge);
    }
    sniff(bytes).ok_or(Refusal::Type)
}

/// Keeps only a harmless display name: no path, no control characters, at most 120 chars.
pub fn clean_name(raw: Option<&str>) -> String {
    let base = raw.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "evidence".into()
    } else {
        cleaned
    }
}

/// The name a stored file is shown and downloaded under: the client's base name (see
/// [`clean_name`]) with its extension replaced by the one of the sniffed type, so a PNG sent as
/// `page.html` is saved by a reviewer's browser as `page.png`, never as something it would open
/// as HTML.
pub fn display_name(raw: Option<&str>, content_type: &str) -> String {
    let ext = match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        _ => "pdf",
    };
    let base = clean_name(raw);
    let stem = match base.rsplit_once('.') {
        Some((stem, old)) if !stem.is_empty() => {
            // Keep `.jpeg` for JPEGs named so; any other extension gives way.
            if old.eq_ignore_ascii_case(ext) || (ext == "jpg" && old.eq_ignore_ascii_case("jpeg")) {
                return base;
            }
            stem
        }
        _ => base.as_str(),
    };
    let stem: String = stem.chars().take(120 - ext.len() - 1).collect();
    format!("{stem}.{ext}")
}

/// Zero-width and bidirectional control characters.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Writes a checked file under a random name in `dir`.
pub async fn store(
    dir: &Path,
    original: Option<&str>,
    bytes: &[u8],
    content_type: &'static str,
) -> std::io::Result<StoredFile> {
    tokio::fs::create_dir_all(dir).await?;
    let token: [u8; 16] = rand::random();
    let stored_name = hex::encode(token);
    let path = dir.join(&stored_name);
    tokio::fs::write(&path, bytes).await?;
    Ok(StoredFile {
        stored_name,
        original_name: display_name(original, content_type),
        content_type,
        size_bytes: bytes.len() as i64,
        sha256: hex::encode(Sha256::digest(bytes)),
    })
}

/// Removes files that did not end up linked to a complaint.
pub async fn discard(dir: &Path, files: &[StoredFile]) {
    for f in files {
        let _ = tokio::fs::remove_file(path_of(dir, &f.stored_name)).await;
    }
}

/// Where a stored file lives; the name is our own hex, never user input.
pub fn path_of(dir: &Path, stored_name: &str) -> PathBuf {
    dir.join(stored_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
    ];

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(check(PNG), Ok("image/png"));
        assert_eq!(check(b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(
            check(b"<html><script>alert(1)</script></html>"),
            Err(Refusal::Type)
        );
        assert_eq!(check(b""), Err(Refusal::Empty));
        assert_eq!(
            check(&vec![0u8; MAX_FILE_BYTES + 1]),
            Err(Refusal::TooLarge)
        );
    }

    #[test]
    fn names_lose_paths_and_invisible_characters() {
        assert_eq!(clean_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(clean_name(Some("C:\\x\\bill.pdf")), "bill.pdf");
        assert_eq!(clean_name(Some("a\u{202E}gnp.exe")), "agnp.exe");
        assert_eq!(clean_name(Some("..")), "evidence");
        assert_eq!(clean_name(None), "evidence");
    }

    #[test]
    fn shown_names_carry_the_extension_of_the_content() {
        assert_eq!(
            display_name(Some("../../page.html"), "image/png"),
            "page.png"
        );
        assert_eq!(
            display_name(Some("scan.PDF"), "application/pdf"),
            "scan.PDF"
        );
        assert_eq!(display_name(Some("photo.jpeg"), "image/jpeg"), "photo.jpeg");
        assert_eq!(display_name(Some("bill"), "image/png"), "bill.png");
        assert_eq!(display_name(Some(".."), "image/webp"), "evidence.webp");
        assert_eq!(display_name(Some(".htaccess"), "image/png"), "htaccess.png");
        let long = format!("{}.png", "长".repeat(400));
        assert_eq!(display_name(Some(&long), "image/png").chars().count(), 120);
    }
}
