//! Byte-splice edits: every change is a replacement of an exact byte range of the original
//! text, so comments, key order, quoting, blank lines and line endings outside the edited
//! ranges survive byte for byte.

use std::ops::Range;

use crate::doc::{Document, NodeKind, NodeRef, ScalarStyle};
use crate::scalar::{double_quote, plain_safe, single_quote};
use crate::source::SourceFile;

/// Replace `range` of the original text with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Byte range of the original text.
    pub range: Range<usize>,
    /// Replacement.
    pub text: String,
}

impl Edit {
    /// Insert `text` at `at`.
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            range: at..at,
            text: text.into(),
        }
    }
}

/// Why an edit was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

fn refuse<T>(msg: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(msg.into()))
}

/// Apply non-overlapping edits to a text. Edits are sorted by position; overlapping edits are
/// refused. Two insertions at the same point are applied in the order given.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|i| (edits[*i].range.start, edits[*i].range.end, *i));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for i in order {
        let e = &edits[i];
        if e.range.start < pos || e.range.end > text.len() || e.range.start > e.range.end {
            return refuse(format!(
                "overlapping or out-of-range edit at bytes {:?}",
                e.range
            ));
        }
        if !text.is_char_boundary(e.range.start) || !text.is_char_boundary(e.range.end) {
            return refuse("edit does not fall on a character boundary");
        }
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.text);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

/// A new scalar value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewScalar {
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
}

/// Replace a scalar's value, keeping its style (plain stays plain when safe, quotes stay).
pub fn set_scalar(
    src: &SourceFile,
    node: NodeRef<'_>,
    value: &NewScalar,
) -> Result<Edit, EditError> {
    check_text(src)?;
    let NodeKind::Scalar { style, .. } = node.kind() else {
        return refuse("the node to change is not a scalar");
    };
    if node.node().anchored() || node.node().tagged() {
        return refuse("refusing to edit a scalar that carries an anchor or a tag");
    }
    let range = node.range();
    if range.is_empty() {
        return refuse("refusing to edit an empty (implicit null) value");
    }
    let text = match (value, style) {
        (_, ScalarStyle::Literal | ScalarStyle::Folded) => {
            return refuse("refusing to edit a block scalar")
        }
        (NewScalar::Int(i), ScalarStyle::Plain) => i.to_string(),
        (NewScalar::Int(i), ScalarStyle::SingleQuoted) => format!("'{i}'"),
        (NewScalar::Int(i), ScalarStyle::DoubleQuoted) => format!("\"{i}\""),
        (NewScalar::Str(s), ScalarStyle::Plain) => {
            if plain_safe(s) {
                s.clone()
            } else {
                double_quote(s)
            }
        }
        (NewScalar::Str(s), ScalarStyle::SingleQuoted) => {
            single_quote(s).unwrap_or_else(|| double_quote(s))
        }
        (NewScalar::Str(s), ScalarStyle::DoubleQuoted) => double_quote(s),
    };
    Ok(Edit { range, text })
}

/// Render a string as a scalar for new text (plain when safe, double-quoted otherwise).
pub fn render_str(s: &str) -> String {
    if plain_safe(s) {
        s.to_string()
    } else {
        double_quote(s)
    }
}

fn check_text(src: &SourceFile) -> Result<(), EditError> {
    if src.has_bare_cr() {
        return refuse("refusing to edit a file that uses bare CR line breaks");
    }
    Ok(())
}

fn line_start_of(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end_of(text: &str, at: usize) -> usize {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

fn column_of(text: &str, at: usize) -> usize {
    at - line_start_of(text, at)
}

/// Indentation (spaces) and content of a line starting at `start`.
fn line_at(text: &str, start: usize) -> (usize, &str) {
    let end = line_end_of(text, start);
    let line = &text[start..end];
    let indent = line.len() - line.trim_start_matches(' ').len();
    (indent, line[indent..].trim_end())
}

/// After `pos` (an end of line), absorb following comment lines indented deeper than `col`.
/// Returns the end-of-line offset of the last absorbed line.
fn absorb_comments(text: &str, mut pos: usize, col: usize) -> usize {
    loop {
        let next = match text[pos..].find('\n') {
            Some(i) => pos + i + 1,
            None => return pos,
        };
        if next >= text.len() {
            return pos;
        }
        let (indent, rest) = line_at(text, next);
        if rest.starts_with('#') && indent > col {
            pos = line_end_of(text, next);
        } else {
            return pos;
        }
    }
}

fn last_scalar_is_block(node: NodeRef<'_>) -> bool {
    let mut cur = node.resolve();
    loop {
        match cur.kind() {
            NodeKind::Scalar { style, .. } => {
                return matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
            }
            NodeKind::Seq { items, .. } => match items.last() {
                Some(id) => cur = cur.doc.at(*id),
                None => return false,
            },
            NodeKind::Map { entries, .. } => match entries.last() {
                Some((_, v)) => cur = cur.doc.at(*v),
                None => return false,
            },
            NodeKind::Alias { .. } => return false,
        }
    }
}

fn with_eol(src: &SourceFile, s: &str) -> String {
    let eol = src.eol().as_str();
    if eol == "\n" {
        s.to_string()
    } else {
        s.replace('\n', eol)
    }
}

/// Indent every line after the first by `n` spaces (empty lines stay empty).
fn indent_rest(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::with_capacity(s.len() + 16);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
            }
        }
        out.push_str(line);
    }
    out
}

/// The text of an existing node, re-based so that its first line starts at column 0 and the
/// following lines keep their indentation relative to it. Line breaks become `\n`.
pub fn node_text(src: &SourceFile, node: NodeRef<'_>) -> String {
    let text = src.text();
    let r = node.range();
    let col = column_of(text, r.start);
    let raw = text[r].replace("\r\n", "\n");
    let mut out = String::with_capacity(raw.len());
    for (i, line) in raw.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let trimmed = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&line[trimmed.min(col)..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Append an item to a sequence. `item` is the item's content written as if it started at
/// column 0 (block style for block sequences, one-line flow text for flow sequences).
pub fn append_item(src: &SourceFile, seq: NodeRef<'_>, item: &str) -> Result<Edit, EditError> {
    check_text(src)?;
    let NodeKind::Seq { items, flow } = seq.kind() else {
        return refuse("the node to append to is not a sequence");
    };
    let text = src.text();
    if flow {
        let r = seq.range();
        let close = r.end.saturating_sub(1);
        if text.as_bytes().get(close) != Some(&b']') {
            return refuse("cannot find the end of the flow sequence");
        }
        if item.contains('\n') {
            return refuse("a flow sequence item must fit on one line");
        }
        return Ok(match items.last() {
            None => Edit::insert(r.start + 1, item.to_string()),
            Some(last) => {
                let end = seq.doc.at(*last).range().end;
                let between = &text[end..close];
                if between.trim_start().starts_with(',') {
                    let comma = end + between.find(',').unwrap_or(0) + 1;
                    Edit::insert(comma, format!(" {item},"))
                } else {
                    Edit::insert(end, format!(", {item}"))
                }
            }
        });
    }
    let Some(last) = items.last() else {
        return refuse("cannot append to an empty block sequence");
    };
    let last = seq.doc.at(*last);
    let lr = last.range();
    let dash = dash_of(text, lr.start);
    let Some(dash) = dash else {
        return refuse("cannot find the `-` of the last sequence item");
    };
    let dash_col = column_of(text, dash);
    let content_col = if line_start_of(text, lr.start) == line_start_of(text, dash) {
        column_of(text, lr.start)
    } else {
        dash_col + 2
    };
    let at = absorb_comments(text, line_end_of(text, lr.end), dash_col);
    if at == text.len() && last_scalar_is_block(last) && !src.ends_with_newline() {
        return refuse(
            "refusing to append after a block scalar at the end of a file without a final newline",
        );
    }
    let gap = content_col.saturating_sub(dash_col + 1).max(1);
    let body = indent_rest(item.trim_end_matches('\n'), content_col);
    let new = format!("\n{}-{}{}", " ".repeat(dash_col), " ".repeat(gap), body);
    Ok(Edit::insert(at, with_eol(src, &new)))
}

fn dash_of(text: &str, item_start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = item_start;
    while i > 0 {
        let c = b[i - 1];
        if c == b'-' {
            return Some(i - 1);
        }
        if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
            i -= 1;
            continue;
        }
        // `&anchor`, `!tag` or a comment between the dash and the content.
        let ls = line_start_of(text, i - 1);
        let (_, rest) = line_at(text, ls);
        if rest.starts_with('#') {
            i = ls;
            continue;
        }
        return None;
    }
    None
}

/// Remove the n-th item of a sequence, with the comment lines directly above it at the same
/// indentation. The sequence must keep at least one item.
pub fn remove_item(src: &SourceFile, seq: NodeRef<'_>, n: usize) -> Result<Edit, EditError> {
    check_text(src)?;
    let NodeKind::Seq { items, flow } = seq.kind() else {
        return refuse("the node to remove from is not a sequence");
    };
    if n >= items.len() {
        return refuse("no such sequence item");
    }
    if items.len() == 1 {
        return refuse("refusing to remove the only item of a sequence");
    }
    let text = src.text();
    let item = seq.doc.at(items[n]);
    if flow {
        let r = item.range();
        // Remove `item, ` (or `, item` for the last one).
        if n + 1 < items.len() {
            let next = seq.doc.at(items[n + 1]).range().start;
            return Ok(Edit {
                range: r.start..next,
                text: String::new(),
            });
        }
        let prev_end = seq.doc.at(items[n - 1]).range().end;
        return Ok(Edit {
            range: prev_end..r.end,
            text: String::new(),
        });
    }
    let dash = dash_of(text, item.range().start)
        .ok_or_else(|| EditError("cannot find the `-` of the sequence item".into()))?;
    let dash_col = column_of(text, dash);
    let mut start = line_start_of(text, dash);
    if text[start..dash].trim() != "" {
        return refuse("the sequence item does not start its own line");
    }
    // Comment lines directly above, at the dash's indentation.
    while start > 0 {
        let prev = line_start_of(text, start - 1);
        let (indent, rest) = line_at(text, prev);
        if rest.starts_with('#') && indent == dash_col {
            start = prev;
        } else {
            break;
        }
    }
    let end_line = line_end_of(text, item.range().end);
    let end = absorb_comments(text, end_line, dash_col);
    // Include the line break after the item.
    let end = if text[end..].starts_with("\r\n") {
        end + 2
    } else if text[end..].starts_with('\n') {
        end + 1
    } else {
        // Last line of the file without a final newline: remove the break before instead.
        let before = if start >= 2 && &text[start - 2..start] == "\r\n" {
            2
        } else {
            1
        };
        return Ok(Edit {
            range: start.saturating_sub(before)..end,
            text: String::new(),
        });
    };
    Ok(Edit {
        range: start..end,
        text: String::new(),
    })
}

/// Add `key: value` at the end of a mapping. `value` is scalar or flow text.
pub fn append_entry(
    src: &SourceFile,
    map: NodeRef<'_>,
    key: &str,
    value: &str,
) -> Result<Edit, EditError> {
    check_text(src)?;
    let NodeKind::Map { entries, flow } = map.kind() else {
        return refuse("the node to add to is not a mapping");
    };
    let text = src.text();
    let key_text = render_str(key);
    if flow {
        let r = map.range();
        let close = r.end.saturating_sub(1);
        if text.as_bytes().get(close) != Some(&b'}') {
            return refuse("cannot find the end of the flow mapping");
        }
        return Ok(match entries.last() {
            None => Edit::insert(close, format!("{key_text}: {value}")),
            Some((_, v)) => {
                Edit::insert(map.doc.at(*v).range().end, format!(", {key_text}: {value}"))
            }
        });
    }
    let Some((k, v)) = entries.last() else {
        return refuse("cannot add to an empty block mapping");
    };
    let key_col = column_of(text, map.doc.at(*k).range().start);
    let last = map.doc.at(*v);
    let at = absorb_comments(text, line_end_of(text, last.range().end), key_col);
    if at == text.len() && last_scalar_is_block(last) && !src.ends_with_newline() {
        return refuse(
            "refusing to append after a block scalar at the end of a file without a final newline",
        );
    }
    let new = format!("\n{}{}: {}", " ".repeat(key_col), key_text, value);
    Ok(Edit::insert(at, with_eol(src, &new)))
}

/// Append a document (text without `---`, lines separated by `\n`) at the end of a file.
/// A file without a final newline still has none afterwards.
pub fn append_document(src: &SourceFile, doc: &str) -> Edit {
    let text = src.text();
    let body = doc.trim_end_matches('\n');
    let new = if text.is_empty() {
        format!("{body}\n")
    } else if src.ends_with_newline() {
        format!("---\n{body}\n")
    } else {
        format!("\n---\n{body}")
    };
    Edit::insert(text.len(), with_eol(src, &new))
}

/// Remove one document, from its `---` line to the next document's `---` line.
pub fn remove_document(
    src: &SourceFile,
    docs: &[Document],
    index: usize,
) -> Result<Edit, EditError> {
    let text = src.text();
    let Some(doc) = docs.get(index) else {
        return refuse("no such document");
    };
    let start = match doc.marker {
        Some(m) => line_start_of(text, m),
        None if index == 0 => 0,
        None => return refuse("the document has no `---` marker"),
    };
    match docs.get(index + 1) {
        Some(next) => {
            let Some(m) = next.marker else {
                return refuse("the next document has no `---` marker");
            };
            let mut end = line_start_of(text, m);
            // Removing a first document written without `---`: the next document becomes the
            // first, so its bare `---` line goes too (the file keeps its marker-less start).
            if doc.marker.is_none()
                && index == 0
                && text[line_start_of(text, m)..line_end_of(text, m)].trim_end() == "---"
            {
                let e = line_end_of(text, m);
                end = if text[e..].starts_with("\r\n") {
                    e + 2
                } else {
                    (e + 1).min(text.len())
                };
            }
            Ok(Edit {
                range: start..end,
                text: String::new(),
            })
        }
        None => {
            // The last document: also drop the line break before it when the file has no final
            // newline, so that property is kept.
            let start = if !src.ends_with_newline() && start > 0 {
                if start >= 2 && &text[start - 2..start] == "\r\n" {
                    start - 2
                } else {
                    start - 1
                }
            } else {
                start
            };
            Ok(Edit {
                range: start..text.len(),
                text: String::new(),
            })
        }
    }
}

/// The text of one whole document, from the start of its first content line (or the line after
/// its `---`) to its end, with `\n` line breaks.
pub fn document_text(src: &SourceFile, docs: &[Document], index: usize) -> Option<String> {
    let text = src.text();
    let doc = docs.get(index)?;
    let start = match doc.marker {
        Some(m) => {
            let e = line_end_of(text, m);
            if text[e..].starts_with("\r\n") {
                e + 2
            } else {
                (e + 1).min(text.len())
            }
        }
        None => 0,
    };
    let end = match docs.get(index + 1).and_then(|d| d.marker) {
        Some(m) => line_start_of(text, m),
        None => text.len(),
    };
    let s = text.get(start..end)?.trim_start_matches('\u{feff}');
    Some(s.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::parse;

    fn file(text: &str) -> crate::ParsedFile {
        let f = parse(SourceFile::new("t.yaml", text));
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        f
    }

    fn at<'a>(f: &'a crate::ParsedFile, doc: usize, ptr: &str) -> NodeRef<'a> {
        f.docs[doc]
            .pointer(ptr)
            .unwrap_or_else(|| panic!("no {ptr}"))
    }

    fn one(f: &crate::ParsedFile, e: Edit) -> String {
        let out = apply(f.source.text(), &[e]).unwrap();
        let re = parse(SourceFile::new("t.yaml", out.as_str()));
        assert!(re.errors.is_empty(), "result does not parse: {out:?}");
        out
    }

    #[test]
    fn set_scalar_keeps_style() {
        let f = file("a: 1\nb: '2'\nc: \"x\" # keep\nd: plain\n");
        let e = set_scalar(&f.source, at(&f, 0, "/a"), &NewScalar::Int(7)).unwrap();
        assert_eq!(one(&f, e), "a: 7\nb: '2'\nc: \"x\" # keep\nd: plain\n");
        let e = set_scalar(&f.source, at(&f, 0, "/b"), &NewScalar::Int(3)).unwrap();
        assert_eq!(one(&f, e), "a: 1\nb: '3'\nc: \"x\" # keep\nd: plain\n");
        let e = set_scalar(&f.source, at(&f, 0, "/c"), &NewScalar::Str("y".into())).unwrap();
        assert_eq!(one(&f, e), "a: 1\nb: '2'\nc: \"y\" # keep\nd: plain\n");
        let e = set_scalar(&f.source, at(&f, 0, "/d"), &NewScalar::Str("yes".into())).unwrap();
        assert_eq!(one(&f, e), "a: 1\nb: '2'\nc: \"x\" # keep\nd: \"yes\"\n");
    }

    #[test]
    fn set_scalar_refuses_block_and_empty() {
        let f = file("a: |\n  x\nb:\n");
        assert!(set_scalar(&f.source, at(&f, 0, "/a"), &NewScalar::Int(1)).is_err());
        assert!(set_scalar(&f.source, at(&f, 0, "/b"), &NewScalar::Int(1)).is_err());
    }

    #[test]
    fn append_block_item_with_comments_and_no_final_newline() {
        let text = "route:\n  # first\n  - destination:\n      subset: v1\n    weight: 50\n    # trailing, deeper\nnext: 1";
        let f = file(text);
        let e = append_item(
            &f.source,
            at(&f, 0, "/route"),
            "destination:\n  subset: v2\nweight: 50",
        )
        .unwrap();
        assert_eq!(
            one(&f, e),
            "route:\n  # first\n  - destination:\n      subset: v1\n    weight: 50\n    # trailing, deeper\n  - destination:\n      subset: v2\n    weight: 50\nnext: 1"
        );
        let f = file("l:\n- a\n- b");
        let e = append_item(&f.source, at(&f, 0, "/l"), "c").unwrap();
        assert_eq!(one(&f, e), "l:\n- a\n- b\n- c");
    }

    #[test]
    fn append_item_keeps_crlf() {
        let f = file("l:\r\n  - a: 1\r\n    b: 2\r\n");
        let e = append_item(&f.source, at(&f, 0, "/l"), "a: 3\nb: 4").unwrap();
        assert_eq!(
            one(&f, e),
            "l:\r\n  - a: 1\r\n    b: 2\r\n  - a: 3\r\n    b: 4\r\n"
        );
    }

    #[test]
    fn append_flow_items() {
        let f = file("l: [a, b]\n");
        let e = append_item(&f.source, at(&f, 0, "/l"), "c").unwrap();
        assert_eq!(one(&f, e), "l: [a, b, c]\n");
        let f = file("l: [a, b,]\n");
        let e = append_item(&f.source, at(&f, 0, "/l"), "c").unwrap();
        assert_eq!(one(&f, e), "l: [a, b, c,]\n");
        let f = file("l: []\n");
        let e = append_item(&f.source, at(&f, 0, "/l"), "c").unwrap();
        assert_eq!(one(&f, e), "l: [c]\n");
        let f = file("route:\n- destination: {host: x, subset: v1}\n  weight: 100\n");
        let e = append_item(
            &f.source,
            at(&f, 0, "/route"),
            "destination: {host: x, subset: v2}\nweight: 0",
        )
        .unwrap();
        assert_eq!(
            one(&f, e),
            "route:\n- destination: {host: x, subset: v1}\n  weight: 100\n- destination: {host: x, subset: v2}\n  weight: 0\n"
        );
    }

    #[test]
    fn append_refuses_after_block_scalar_at_eof_without_newline() {
        let f = file("l:\n- |\n  text");
        assert!(append_item(&f.source, at(&f, 0, "/l"), "x").is_err());
    }

    #[test]
    fn remove_items() {
        let f = file("l:\n  # about a\n  - a\n  # about b\n  - b\n  - c\n");
        let e = remove_item(&f.source, at(&f, 0, "/l"), 1).unwrap();
        assert_eq!(one(&f, e), "l:\n  # about a\n  - a\n  - c\n");
        let f = file("l:\n  - a\n  - b");
        let e = remove_item(&f.source, at(&f, 0, "/l"), 1).unwrap();
        assert_eq!(one(&f, e), "l:\n  - a");
        let f = file("l:\r\n  - a\r\n  - b\r\n");
        let e = remove_item(&f.source, at(&f, 0, "/l"), 0).unwrap();
        assert_eq!(one(&f, e), "l:\r\n  - b\r\n");
        let f = file("l: [a, b, c]\n");
        let e = remove_item(&f.source, at(&f, 0, "/l"), 2).unwrap();
        assert_eq!(one(&f, e), "l: [a, b]\n");
        let e = remove_item(&f.source, at(&f, 0, "/l"), 0).unwrap();
        assert_eq!(one(&f, e), "l: [b, c]\n");
        let f = file("l:\n  - a\n");
        assert!(remove_item(&f.source, at(&f, 0, "/l"), 0).is_err());
    }

    #[test]
    fn append_entry_block_and_flow() {
        let f = file("m:\n  a: 1\nn: 2\n");
        let e = append_entry(&f.source, at(&f, 0, "/m"), "b", "2").unwrap();
        assert_eq!(one(&f, e), "m:\n  a: 1\n  b: 2\nn: 2\n");
        let f = file("m: {a: 1}\n");
        let e = append_entry(&f.source, at(&f, 0, "/m"), "b", "2").unwrap();
        assert_eq!(one(&f, e), "m: {a: 1, b: 2}\n");
    }

    #[test]
    fn append_document_keeps_final_newline_policy() {
        let f = file("a: 1");
        assert_eq!(
            one(&f, append_document(&f.source, "b: 2\n")),
            "a: 1\n---\nb: 2"
        );
        let f = file("a: 1\n");
        assert_eq!(
            one(&f, append_document(&f.source, "b: 2")),
            "a: 1\n---\nb: 2\n"
        );
        let f = file("a: 1\r\n");
        assert_eq!(
            one(&f, append_document(&f.source, "b: 2\nc: 3")),
            "a: 1\r\n---\r\nb: 2\r\nc: 3\r\n"
        );
    }

    #[test]
    fn remove_documents() {
        let f = file("a: 1\n---\nb: 2\n---\nc: 3");
        assert_eq!(
            one(&f, remove_document(&f.source, &f.docs, 0).unwrap()),
            "b: 2\n---\nc: 3"
        );
        assert_eq!(
            one(&f, remove_document(&f.source, &f.docs, 1).unwrap()),
            "a: 1\n---\nc: 3"
        );
        assert_eq!(
            one(&f, remove_document(&f.source, &f.docs, 2).unwrap()),
            "a: 1\n---\nb: 2"
        );
        let f = file("# head\n---\n# about a\na: 1\n---\nb: 2\n");
        assert_eq!(
            one(&f, remove_document(&f.source, &f.docs, 0).unwrap()),
            "# head\n---\nb: 2\n"
        );
        assert_eq!(
            one(&f, remove_document(&f.source, &f.docs, 1).unwrap()),
            "# head\n---\n# about a\na: 1\n"
        );
        let f = file("a: 1\r\n---\r\nb: 2\r\n");
        assert_eq!(
            one(&f, remove_document(&f.source, &f.docs, 0).unwrap()),
            "b: 2\r\n"
        );
    }

    #[test]
    fn node_and_document_text_are_rebased() {
        let f = file("x:\n  route:\n    - destination:\n        subset: v1\n      weight: 5\n---\n# c\nb: 2\n");
        let item = at(&f, 0, "/x/route/0");
        assert_eq!(
            node_text(&f.source, item),
            "destination:\n  subset: v1\nweight: 5"
        );
        assert_eq!(document_text(&f.source, &f.docs, 1).unwrap(), "# c\nb: 2\n");
    }
}
