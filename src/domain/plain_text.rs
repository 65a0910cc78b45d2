//! Plain text as admins type it (rights pages), turned into blocks a template renders with
//! escaping: paragraphs are separated by an empty line, lines starting with "- " are list
//! items. No markup from the database ever reaches a page unescaped.
use serde::Serialize;

/// One block of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "lines", rename_all = "snake_case")]
pub enum Block {
    /// Lines of one paragraph (shown with line breaks).
    Paragraph(Vec<String>),
    /// The items of a bulleted list.
    List(Vec<String>),
}

/// Splits `text` into paragraphs and lists.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    fn flush(out: &mut Vec<Block>, para: &mut Vec<String>, list: &mut Vec<String>) {
        if !para.is_empty() {
            out.push(Block::Paragraph(std::mem::take(para)));
        }
        if !list.is_empty() {
            out.push(Block::List(std::mem::take(list)));
        }
    }
    for line in text.replace("\r\n", "\n").lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut out, &mut para, &mut list);
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("• ")) {
            if !para.is_empty() {
                out.push(Block::Paragraph(std::mem::take(&mut para)));
            }
            list.push(item.trim().to_string());
        } else {
            if !list.is_empty() {
                out.push(Block::List(std::mem::take(&mut list)));
            }
            para.push(t.to_string());
        }
    }
    flush(&mut out, &mut para, &mut list);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lines_split_paragraphs_and_dashes_make_lists() {
        let b = blocks("First line\nsecond\n\nIntro:\n- one\n- <b>two</b>\nAfter\r\n\n\n");
        assert_eq!(
            b,
            vec![
                Block::Paragraph(vec!["First line".into(), "second".into()]),
                Block::Paragraph(vec!["Intro:".into()]),
                Block::List(vec!["one".into(), "<b>two</b>".into()]),
                Block::Paragraph(vec!["After".into()]),
            ]
        );
        assert!(blocks("  \n\n").is_empty());
    }
}
