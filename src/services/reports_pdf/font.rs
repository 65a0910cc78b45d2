//! The CJK font the PDF reports are set in: where it is found (`DW_PDF_FONT`, then the usual
//! system font folders), which face of a collection is taken (the Simplified Chinese one), and
//! turning text into positioned glyphs with it.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

/// Font files worth trying, best first (file names, compared without case): faces with
/// Simplified Chinese glyphs and Latin letters, as Debian, Fedora, macOS and Windows ship them.
const KNOWN: &[&str] = &[
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "NotoSansSC-Regular.ttf",
    "SourceHanSansSC-Regular.otf",
    "SourceHanSans-Regular.ttc",
    "NotoSerifCJK-Regular.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
    "msyh.ttc",
    "simhei.ttf",
    "PingFang.ttc",
    "Hiragino Sans GB.ttc",
];

/// Characters a usable face must have: some of the report's Chinese, digits and Latin.
const PROBE: &str = "降级难投诉报告第季度年月A1,";

/// Folders searched when `DW_PDF_FONT` is not set.
fn system_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
        "C:\\Windows\\Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
    }
    dirs
}

/// Why no font could be used.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FontError {
    #[error("no CJK font found in {searched}; install one (Debian: fonts-noto-cjk) or set DW_PDF_FONT to a font file")]
    NotFound { searched: String },
    #[error("DW_PDF_FONT={path}: {reason}")]
    Unusable { path: String, reason: String },
}

/// Finds the font file to use: `configured` when given, else the best known file in the system
/// font folders. Only looks at file names; [`PdfFont::load`] reads it.
pub fn locate(configured: Option<&Path>) -> Result<PathBuf, FontError> {
    if let Some(p) = configured {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(FontError::Unusable {
                path: p.display().to_string(),
                reason: "no such file".into(),
            })
        };
    }
    let dirs = system_dirs();
    let mut found: Vec<(usize, PathBuf)> = Vec::new();
    for d in &dirs {
        walk(d, 0, &mut found);
    }
    found.sort();
    found
        .into_iter()
        .next()
        .map(|(_, p)| p)
        .ok_or_else(|| FontError::NotFound {
            searched: dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Collects known font files under `dir` (a few levels deep) with their rank in [`KNOWN`].
fn walk(dir: &Path, depth: usize, found: &mut Vec<(usize, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            if depth < 4 {
                walk(&path, depth + 1, found);
            }
        } else if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            if let Some(rank) = KNOWN.iter().position(|k| k.eq_ignore_ascii_case(name)) {
                found.push((rank, path));
            }
        }
    }
}

/// A loaded font face: its bytes, which face of the file, and the same face for krilla.
#[derive(Clone)]
pub struct PdfFont {
    data: Arc<Vec<u8>>,
    index: u32,
    font: Font,
    /// The file it was read from (for the log).
    pub path: PathBuf,
}

impl std::fmt::Debug for PdfFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PdfFont({}#{})", self.path.display(), self.index)
    }
}

impl PdfFont {
    /// Reads `path` and picks its face: one that has every [`PROBE`] character, preferring a
    /// Simplified Chinese one (name with "SC", "CN", "GB" or "Hans") in a collection.
    pub fn load(path: &Path) -> Result<PdfFont, FontError> {
        let unusable = |reason: String| FontError::Unusable {
            path: path.display().to_string(),
            reason,
        };
        let data = std::fs::read(path).map_err(|e| unusable(e.to_string()))?;
        let file = FileRef::new(&data).map_err(|e| unusable(format!("not a font file ({e})")))?;
        let mut best: Option<(u32, bool)> = None;
        for (i, face) in file.fonts().enumerate() {
            let Ok(face) = face else { continue };
            let cmap = face.charmap();
            if !PROBE.chars().all(|c| cmap.map(c).is_some()) {
                continue;
            }
            let simplified = face
                .localized_strings(StringId::POSTSCRIPT_NAME)
                .chain(face.localized_strings(StringId::FAMILY_NAME))
                .any(|s| {
                    let s = s.to_string();
                    ["SC", "CN", "GB", "Hans"].iter().any(|m| s.contains(m))
                });
            if best.is_none_or(|(_, b)| simplified && !b) {
                best = Some((i as u32, simplified));
            }
        }
        let (index, _) =
            best.ok_or_else(|| unusable("has no face with Chinese and Latin glyphs".into()))?;
        let data = Arc::new(data);
        let font = Font::new(data.clone().into(), index)
            .ok_or_else(|| unusable("cannot be embedded in a PDF".into()))?;
        Ok(PdfFont {
            data,
            index,
            font,
            path: path.to_path_buf(),
        })
    }

    fn face(&self) -> Option<FontRef<'_>> {
        FontRef::from_index(&self.data, self.index).ok()
    }

    /// The face for krilla.
    pub fn krilla(&self) -> Font {
        self.font.clone()
    }

    /// `text` as glyphs one per character (the report needs no ligatures or kerning), with
    /// advances in em; characters the face lacks become its .notdef glyph.
    pub fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let Some(face) = self.face() else {
            return Vec::new();
        };
        let cmap = face.charmap();
        let metrics = face.glyph_metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(
            face.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        )
        .max(1.0);
        text.char_indices()
            .map(|(i, c)| {
                let gid = cmap.map(c).unwrap_or_default();
                let advance = metrics.advance_width(gid).unwrap_or(0.0) / upem;
                KrillaGlyph::new(
                    GlyphId::new(gid.to_u32()),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text).iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

/// `text` broken into lines no wider than `width` at `size`: at spaces where a Latin word
/// would be cut, anywhere between CJK characters, and at every newline.
pub fn wrap(font: &PdfFont, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for c in para.chars() {
            let mut next = line.clone();
            next.push(c);
            if font.width(&next, size) <= width || line.is_empty() {
                line = next;
                continue;
            }
            // Break at the last space when the overflowing character is part of a word.
            let cut = if !c.is_whitespace() && c.is_ascii() {
                line.rfind(' ').filter(|i| *i > 0)
            } else {
                None
            };
            match cut {
                Some(i) => {
                    let rest = line[i + 1..].to_string();
                    line.truncate(i);
                    lines.push(std::mem::take(&mut line));
                    line = rest;
                    line.push(c);
                }
                None => {
                    lines.push(std::mem::take(&mut line));
                    if !c.is_whitespace() {
                        line.push(c);
                    }
                }
            }
        }
        lines.push(line);
    }
    lines
}
