//! Lenient re-read of quoted scalars whose continuation lines are not indented past their
//! block, and of comments that follow a token with no space before their `#`, so that lanes
//! accepts what go-yaml accepts.
//!
//! YAML 1.2 (s-flow-line-prefix) requires every continuation line of a multi-line quoted
//! scalar in block context to be indented more than the block holding it, and granit-parser
//! enforces it (`InvalidQuotedScalarIndent`, or `TabInIndentation` for a tab there), even
//! when not strict. libyaml, and go-yaml which was ported from it (kubectl, kustomize,
//! Argo CD), ignore the indentation of quoted continuation lines, and generated CRDs rely on
//! it:
//!
//! ```yaml
//! data:
//!   description: 'APIVersion defines the versioned schema
//!   of this representation'
//! ```
//!
//! When the parser stops there, the scalar is found in the text (from the end of the last
//! event read, which lies before its opening quote, to its closing quote), a copy of the text
//! is made with spaces inserted at the start of its continuation lines, and the copy is
//! parsed. Leading white space of continuation lines folds away, so the values are the ones
//! go-yaml reads. Every offset of the result is translated back to the original text through
//! the insertions, so spans stay exact and edits still splice the original bytes. This
//! repeats (each round parses every document again and pads one more scalar per broken
//! document) until the parse stops on something else, within a budget.
//!
//! A comment glued to a token (`enabled: "true"# note`) is refused by granit
//! (`CommentNotSeparated`); libyaml and go-yaml start a comment at any `#` met between
//! tokens. The copy gets one space before that `#`.

use std::ops::Range;
use std::sync::Arc;

use crate::doc::{
    parse_events, Document, Failure, Lenient, NodeKind, Run, ScalarStyle, YamlErrorKind, YamlNote,
    YamlNoteKind, VALUE_OWNED, VALUE_SLICE,
};

/// Most bytes all re-reads of one file may parse together (a hostile file with many such
/// scalars in one document would otherwise cost one parse per scalar without bound).
const BUDGET_BYTES: usize = 256 << 20;

/// Spaces inserted into the original text: `(offset in the original, count)`, sorted.
#[derive(Default)]
struct Padding {
    at: Vec<(usize, usize)>,
}

impl Padding {
    fn insert(&mut self, offset: usize, spaces: usize) {
        match self.at.binary_search_by_key(&offset, |(o, _)| *o) {
            Ok(i) => self.at[i].1 = self.at[i].1.max(spaces),
            Err(i) => self.at.insert(i, (offset, spaces)),
        }
    }

    fn apply(&self, text: &str) -> String {
        let extra: usize = self.at.iter().map(|(_, n)| n).sum();
        let mut out = String::with_capacity(text.len() + extra);
        let mut pos = 0;
        for (o, n) in &self.at {
            out.push_str(&text[pos..*o]);
            out.extend(std::iter::repeat_n(' ', *n));
            pos = *o;
        }
        out.push_str(&text[pos..]);
        out
    }

    /// The translation of padded offsets back to the original.
    fn map(&self) -> OffsetMap {
        let mut starts = Vec::with_capacity(self.at.len());
        let mut before = 0;
        for (o, n) in &self.at {
            // (padded start of the run, original offset, spaces inserted before it)
            starts.push((o + before, *o, before));
            before += n;
        }
        OffsetMap {
            runs: starts,
            sizes: self.at.iter().map(|(_, n)| *n).collect(),
        }
    }
}

/// Padded offset → original offset. An offset inside an inserted run maps to the place the
/// run was inserted at (the start of the original line).
struct OffsetMap {
    runs: Vec<(usize, usize, usize)>,
    sizes: Vec<usize>,
}

impl OffsetMap {
    fn orig(&self, q: usize) -> usize {
        let i = self.runs.partition_point(|(p, _, _)| *p <= q);
        if i == 0 {
            return q;
        }
        let (p, o, before) = self.runs[i - 1];
        let n = self.sizes[i - 1];
        if q < p + n {
            o
        } else {
            q - before - n
        }
    }

    fn range(&self, r: &Range<usize>) -> Range<usize> {
        self.orig(r.start)..self.orig(r.end)
    }
}

/// Re-read `shared` leniently after `first` stopped at a quoted-scalar indentation error.
/// `None` when no scalar could be padded (the first parse stands).
pub(crate) fn reparse(shared: &Arc<str>, first: &Run) -> Option<Run> {
    let text: &str = shared;
    let mut padding = Padding::default();
    let mut scalars: Vec<(usize, usize)> = Vec::new();
    let mut comments: Vec<usize> = Vec::new();
    let mut failures: Vec<Failure> = first.failures.clone();
    let mut spent = 0usize;
    let mut last: Option<Run> = None;
    loop {
        let mut progress = false;
        for f in &failures {
            if f.lenient == Some(Lenient::CommentNotSeparated) {
                // One space before the `#` makes it the comment go-yaml reads.
                let b = text.as_bytes();
                if b.get(f.at) == Some(&b'#')
                    && f.at > 0
                    && !is_blank_or_break(b.get(f.at - 1))
                    && !comments.contains(&f.at)
                {
                    padding.insert(f.at, 1);
                    comments.push(f.at);
                    progress = true;
                }
                continue;
            }
            if f.lenient != Some(Lenient::QuotedIndent) {
                continue;
            }
            let Some((open, close)) = find_quoted(text, f.after, f.at) else {
                continue;
            };
            if scalars.contains(&(open, close)) {
                continue;
            }
            let lines = pad_lines(text, open, close);
            if lines.is_empty() {
                continue;
            }
            for (at, n) in lines {
                padding.insert(at, n);
            }
            scalars.push((open, close));
            progress = true;
        }
        if !progress {
            break;
        }
        spent += text.len() + padding.at.iter().map(|(_, n)| n).sum::<usize>();
        if spent > BUDGET_BYTES {
            break;
        }
        let padded: Arc<str> = Arc::from(padding.apply(text));
        let run = parse_events(&padded);
        let mapped = map_back(run, &padding.map(), shared, &padded);
        failures = mapped.failures.clone();
        last = Some(mapped);
    }
    let mut run = last?;
    run.notes = notes(text, &run.docs, &scalars);
    for at in comments {
        // Only where the re-read got past it (a later error may have dropped the document).
        if run.failures.iter().any(|f| f.at == at) {
            continue;
        }
        let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
        run.notes.push(YamlNote {
            kind: YamlNoteKind::CommentNotSeparated,
            range: at..end,
            message: "this comment follows the value with no space before its `#`; go-yaml \
                      (kubectl, kustomize, Argo CD) reads it as a comment, strict YAML 1.2 \
                      parsers reject the line"
                .into(),
        });
    }
    run.notes.sort_by_key(|n| n.range.start);
    Some(run)
}

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

fn is_blank_or_break(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// The quoted scalar the parser stopped in: scan from `after` (the end of the last event
/// read) over what may precede a scalar's opening quote (white space, comments, `-`/`?`/`:`
/// indicators, anchors, tags, complete quoted tokens that end before `at`), to a quote whose
/// scalar spans `at`. `(opening quote, closing quote)`; `None` when anything else is met.
fn find_quoted(text: &str, after: usize, at: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = after;
    while i < at {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'#' if i == 0 || is_blank_or_break(b.get(i - 1)) => {
                while i < b.len() && !is_break(b[i]) {
                    i += 1;
                }
            }
            b'-' | b'?' | b':' if is_blank_or_break(b.get(i + 1)) => i += 1,
            b'&' | b'!' => {
                while i < b.len() && !is_blank_or_break(b.get(i)) {
                    i += 1;
                }
            }
            q @ (b'\'' | b'"') => {
                let close = closing(b, i, q)?;
                if close < at {
                    i = close + 1;
                    continue;
                }
                // The scalar must continue on a later line than it opens.
                return b[i..at].iter().any(|c| is_break(*c)).then_some((i, close));
            }
            _ => return None,
        }
    }
    None
}

/// The closing quote of a quoted scalar opening at `open`, as libyaml finds it (`''` is an
/// escaped quote in single quotes, `\` escapes the next character in double quotes). `None`
/// at the end of the text or at a document marker (`---`/`...` at a line start), where
/// libyaml stops with an error too.
fn closing(b: &[u8], open: usize, quote: u8) -> Option<usize> {
    let mut i = open + 1;
    while i < b.len() {
        let c = b[i];
        if c == quote {
            if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        if c == b'\\' && quote == b'"' {
            i += 2;
            continue;
        }
        if is_break(c) {
            let next = if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i + 2
            } else {
                i + 1
            };
            if is_document_marker(b, next) {
                return None;
            }
            i = next;
            continue;
        }
        i += 1;
    }
    None
}

fn is_document_marker(b: &[u8], at: usize) -> bool {
    let m = b.get(at..at + 3);
    (m == Some(b"---") || m == Some(b"...")) && is_blank_or_break(b.get(at + 3))
}

/// Starts of the continuation lines of the scalar `open..=close`.
fn continuation_lines(b: &[u8], open: usize, close: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = open;
    while i < close {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            out.push(i + 1);
        }
        i += 1;
    }
    out
}

/// 0-based column (in characters) of a byte offset.
fn column(text: &str, at: usize) -> usize {
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    text[start..at].chars().count()
}

/// Insertions that put every continuation line of the scalar at least at the column of its
/// opening quote, which is deeper than the block holding the scalar (the key or `-` that
/// precedes the quote sits at or right of that block's indentation). Lines of white space
/// only need nothing unless they hold a tab.
fn pad_lines(text: &str, open: usize, close: usize) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let target = column(text, open);
    let mut out = Vec::new();
    for s in continuation_lines(b, open, close) {
        let mut j = s;
        let mut tab = false;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            tab |= b[j] == b'\t';
            j += 1;
        }
        let blank = j >= b.len() || is_break(b[j]);
        if tab || (!blank && j - s < target) {
            out.push((s, target));
        }
    }
    out
}

/// Translate a run over the padded text back to the original text.
fn map_back(mut run: Run, map: &OffsetMap, shared: &Arc<str>, padded: &str) -> Run {
    let text: &str = shared;
    for doc in &mut run.docs {
        doc.marker = doc.marker.map(|m| map.orig(m));
        for node in &mut doc.nodes {
            node.set_range(map.range(&node.range()));
            if node.value_code() == VALUE_SLICE {
                let (s, l) = (node.a as usize, node.b as usize);
                let o = map.orig(s);
                if text.get(o..o + l) == padded.get(s..s + l) {
                    node.set_value(VALUE_SLICE, o as u32, l as u32);
                } else {
                    node.set_value(VALUE_OWNED, doc.owned.len() as u32, 0);
                    doc.owned.push(padded[s..s + l].into());
                }
            }
        }
        doc.text = Arc::clone(shared);
    }
    for e in &mut run.errors {
        e.range = map.range(&e.range);
        if let YamlErrorKind::DuplicateKey { first } = &mut e.kind {
            *first = map.range(first);
        }
    }
    for f in &mut run.failures {
        f.at = map.orig(f.at);
        f.after = map.orig(f.after);
    }
    run
}

/// One note per padded scalar that made it into a document.
fn notes(text: &str, docs: &[Document], scalars: &[(usize, usize)]) -> Vec<YamlNote> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for doc in docs {
        for node in &doc.nodes {
            let NodeKind::Scalar { style } = doc.kind_of(node) else {
                continue;
            };
            if !matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
                || !scalars.contains(&(node.range().start, node.range().end.wrapping_sub(1)))
            {
                continue;
            }
            // The indentation of the block that holds the scalar.
            let block = node.parent().and_then(|p| {
                let parent = doc.node(p);
                match doc.kind_of(parent) {
                    NodeKind::Map { flow: false, .. } | NodeKind::Seq { flow: false, .. } => {
                        Some(column(text, parent.range().start))
                    }
                    _ => None,
                }
            });
            let Some(block) = block else { continue };
            let mut lines = Vec::new();
            for s in continuation_lines(b, node.range().start, node.range().end - 1) {
                let mut j = s;
                let mut spaces = 0;
                let mut tab = false;
                while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                    tab |= b[j] == b'\t';
                    if !tab {
                        spaces += 1;
                    }
                    j += 1;
                }
                let blank = j >= b.len() || is_break(b[j]);
                if spaces <= block && (!blank || tab) {
                    lines.push(s..j);
                }
            }
            if lines.is_empty() {
                continue;
            }
            let quoted = if style == ScalarStyle::SingleQuoted {
                "single-quoted"
            } else {
                "double-quoted"
            };
            let n = lines.len();
            out.push(YamlNote {
                kind: YamlNoteKind::QuotedScalarIndent {
                    lines,
                    indent: block + 2,
                },
                range: node.range(),
                message: format!(
                    "{n} continuation line{} of this {quoted} scalar {} not indented past column {}, \
                     the indentation of the block holding it; go-yaml (kubectl, kustomize, Argo CD) \
                     reads it, strict YAML 1.2 parsers reject it",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                    block + 1
                ),
            });
        }
    }
    out.sort_by_key(|n| n.range.start);
    out
}
