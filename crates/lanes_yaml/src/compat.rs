//! What go-yaml rejects although granit-parser reads it, so that lanes accepts exactly what
//! go-yaml accepts (kubectl, kustomize and Argo CD parse with go-yaml).
//!
//! go-yaml was ported from libyaml, whose scanner is stricter than YAML 1.2 in two places that
//! real files reach (found by the differential test against libyaml,
//! `crates/lanes_conformance/tests/yaml_differential.rs`):
//!
//! * **Tabs in block context.** libyaml skips a tab between tokens only where a simple key
//!   cannot start. A tab at the start of a line (after any spaces) outside flow collections and
//!   scalars, or right after a block `-`, `?` or complex-value `:` indicator, is "a character
//!   that cannot start any token", also on a blank or comment line. Inside a multi-line plain
//!   scalar, and on the blank lines after one, a tab is refused only left of the indentation
//!   of the block that holds the scalar plus one.
//! * **Keys.** libyaml's simple keys live on one line in flow context too (`{a\n: b}`,
//!   `{multi\nline: v}`; YAML 1.2 allows them there), and an entry with no key (`: value`)
//!   needs an explicit `?`.
//! * **Anchor names** are ASCII letters, digits, `_` and `-` only (`&a.b` is refused).
//! * **Plain scalars in flow collections** do not start with `:` (`{:a: 1}`) nor hold `:?`.
//! * **After `...`** the next document starts with `---`.
//!
//! Each place becomes a located [`YamlError`] and its document is dropped, as for any other
//! syntax error.

use std::ops::Range;

use crate::doc::{Document, Node, NodeId, NodeKind, ScalarStyle, YamlError, YamlErrorKind};

/// Where a byte lies, for the tab rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Region {
    /// Flow collections, quoted and block scalars: their own rules (granit's and `lenient`).
    Opaque,
    /// A plain scalar; tabs left of `indent` (0-based column) are refused.
    Plain { indent: usize },
}

/// The errors go-yaml would give for `docs` over `text`, each with the index (in `docs`) of
/// the document it breaks, if any.
pub(crate) fn check(text: &str, docs: &[Document]) -> Vec<(Option<usize>, YamlError)> {
    let mut out = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let mut report = |e| out.push((Some(i), e));
        for node in &doc.nodes {
            match doc.kind_of(node) {
                NodeKind::Map { entries, flow } => keys(text, doc, entries, flow, &mut report),
                NodeKind::Scalar {
                    style: ScalarStyle::Plain,
                } => flow_plain(text, doc, node, &mut report),
                _ => {}
            }
            if node.anchored() || matches!(doc.kind_of(node), NodeKind::Alias { .. }) {
                anchors(text, node, &mut report);
            }
        }
        // After a `...` end marker, libyaml starts the next document only at `---` (or a
        // directive), and refuses a `...` before the first document; YAML 1.2 allows both.
        let start = doc
            .marker
            .or_else(|| doc.root.map(|r| doc.node(r).range().start));
        let bad = match start {
            Some(s) if i == 0 => has_end_marker(&text[..s]),
            Some(_) => doc.marker.is_none(),
            None => false,
        };
        if let Some(s) = start.filter(|_| bad) {
            out.push((
                Some(i),
                YamlError {
                    kind: YamlErrorKind::Syntax,
                    range: s..s,
                    message: "invalid YAML: a document after `...` must start with `---`, and \
                              `...` cannot come before the first document (go-yaml rejects it)"
                        .into(),
                },
            ));
        }
    }
    if text.as_bytes().contains(&b'\t') {
        tabs(text, docs, &mut out);
    }
    out
}

fn column(text: &str, at: usize) -> usize {
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    text[start..at].chars().count()
}

fn is_blank(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// Mapping keys: an implicit key of a flow mapping ends on the line it starts on, with its
/// `:`; an entry with no key at all (`: value`) needs the explicit `?` indicator.
fn keys(
    text: &str,
    doc: &Document,
    entries: &[(NodeId, NodeId)],
    flow: bool,
    report: &mut impl FnMut(YamlError),
) {
    let b = text.as_bytes();
    for (k, _) in entries {
        let key = doc.node(*k);
        let r = key.range();
        if !r.is_empty() && !flow {
            continue;
        }
        // An explicit `? key` may be empty and may span lines.
        let before = text[..r.start].trim_end_matches([' ', '\t', '\n', '\r']);
        if before.ends_with('?') && is_blank(b.get(before.len())) {
            continue;
        }
        if r.is_empty() {
            if b.get(r.start) == Some(&b':') && !key.anchored() && !key.tagged() {
                report(YamlError {
                    kind: YamlErrorKind::Syntax,
                    range: r.start..r.start,
                    message: "invalid YAML: a mapping entry with no key (`: value` without \
                              `?`; go-yaml rejects it)"
                        .into(),
                });
            }
            continue;
        }
        if !flow {
            continue;
        }
        let mut j = r.end;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n' | b'\r') {
            j += 1;
        }
        if b.get(j) != Some(&b':') {
            continue;
        }
        if text[r.start..j].contains(['\n', '\r']) {
            report(YamlError {
                kind: YamlErrorKind::Syntax,
                range: r.start..r.start,
                message: "invalid YAML: an implicit key in a flow mapping must be on one line \
                          with its `:` (go-yaml rejects it)"
                    .into(),
            });
        }
    }
}

/// Anchor and alias names: libyaml and go-yaml allow only ASCII letters, digits, `_` and `-`
/// (YAML 1.2 allows any character but white space and flow indicators).
fn anchors(text: &str, node: &Node, report: &mut impl FnMut(YamlError)) {
    // libyaml reads the name's allowed characters, then wants white space or one of these.
    let ok = |name: &str| {
        let len = name
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
            .count();
        len > 0
            && name[len..]
                .bytes()
                .next()
                .is_none_or(|c| b"?:,]}%@`".contains(&c))
    };
    let bad = |at: usize, what: &str| YamlError {
        kind: YamlErrorKind::Syntax,
        range: at..at,
        message: format!(
            "invalid YAML: {what} name with characters other than ASCII letters, digits, `_` \
             and `-` (go-yaml rejects it)"
        ),
    };
    if node.kind_code() == crate::doc::KIND_ALIAS {
        let t = &text[node.range()];
        if let Some(name) = t.strip_prefix('*') {
            if !ok(name) {
                report(bad(node.range().start, "an alias"));
            }
        }
        return;
    }
    // The properties before the node: `&anchor`, `!tag`, in either order.
    let mut end = node.range().start;
    for _ in 0..2 {
        let head = text[..end].trim_end_matches([' ', '\t', '\n', '\r']);
        let start = head
            .rfind([' ', '\t', '\n', '\r', '[', '{', ','])
            .map_or(0, |i| i + 1);
        let token = &head[start..];
        if let Some(name) = token.strip_prefix('&') {
            // What follows the name right after it counts too (`&a{x: 1}` is refused).
            let glued = text[head.len()..]
                .chars()
                .next()
                .filter(|_| head.len() == end);
            let name = match glued {
                Some(c) if !c.is_whitespace() => format!("{name}{c}"),
                _ => name.to_string(),
            };
            if !ok(&name) {
                report(bad(start, "an anchor"));
            }
            break;
        }
        if !token.starts_with('!') {
            break;
        }
        end = start;
    }
}

/// Whether `head` (the comments and blank lines before a first document) holds a `...` line.
fn has_end_marker(head: &str) -> bool {
    head.split(['\n', '\r']).any(|l| {
        l.strip_prefix("...")
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
    })
}

/// Plain scalars in flow collections: libyaml reads a `:` that starts one as a value
/// indicator, and refuses a `:` followed by `?` or a flow indicator inside one.
fn flow_plain(text: &str, doc: &Document, node: &Node, report: &mut impl FnMut(YamlError)) {
    let in_flow = node.parent().is_some_and(|p| {
        matches!(
            doc.kind(p),
            NodeKind::Map { flow: true, .. } | NodeKind::Seq { flow: true, .. }
        )
    });
    if !in_flow || node.range().is_empty() {
        return;
    }
    // The scalar and the character after it: `x:,` and `x:}` are refused too (libyaml's plain
    // scanner meets the `:` before the flow indicator).
    let end = (node.range().end + 2).min(text.len());
    let t = text
        .get(node.range().start..end)
        .unwrap_or(&text[node.range()]);
    // A leading `?` is libyaml's key indicator: harmless for a key or a sequence item (the
    // value differs, the verdict does not), refused where a flow mapping wants a value.
    let is_flow_value = node.parent().is_some_and(|p| match &doc.kind(p) {
        NodeKind::Map { entries, .. } => entries
            .iter()
            .any(|(_, v)| doc.node(*v).range() == node.range()),
        _ => false,
    });
    let bad = t.starts_with(':')
        || (is_flow_value && t.starts_with('?'))
        || t.as_bytes()
            .windows(2)
            .any(|w| w[0] == b':' && b",?[]{}".contains(&w[1]));
    if bad {
        report(YamlError {
            kind: YamlErrorKind::Syntax,
            range: node.range().start..node.range().start,
            message: "invalid YAML: a `:` or `?` that starts a plain scalar in a flow collection, \
                      or a `:` followed by `?` or a flow indicator in one (go-yaml rejects it; \
                      quote the value)"
                .into(),
        });
    }
}

/// The tab rule of libyaml's scanner in block context.
fn tabs(text: &str, docs: &[Document], out: &mut Vec<(Option<usize>, YamlError)>) {
    let b = text.as_bytes();
    // Regions by start, and (end, doc, plain indent) of plain scalars by end.
    let mut regions: Vec<(Range<usize>, Region, usize)> = Vec::new();
    let mut plain_ends: Vec<(usize, usize, usize)> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    for (di, doc) in docs.iter().enumerate() {
        for node in &doc.nodes {
            ends.push(node.range().end);
            let region = match doc.kind_of(node) {
                NodeKind::Map { flow: true, .. } | NodeKind::Seq { flow: true, .. } => {
                    Region::Opaque
                }
                NodeKind::Scalar {
                    style: ScalarStyle::Plain,
                } => {
                    let indent = node
                        .parent()
                        .map(|p| doc.node(p))
                        .and_then(|p| match doc.kind_of(p) {
                            NodeKind::Map { flow: false, .. }
                            | NodeKind::Seq { flow: false, .. } => {
                                Some(column(text, p.range().start) + 1)
                            }
                            _ => None,
                        })
                        .unwrap_or(0);
                    // An empty node (implicit null) is no scanned scalar.
                    if !node.range().is_empty() {
                        plain_ends.push((node.range().end, di, indent));
                    }
                    Region::Plain { indent }
                }
                NodeKind::Scalar { .. } => Region::Opaque,
                _ => continue,
            };
            if node.range().len() > 1 {
                regions.push((node.range(), region, di));
            }
        }
    }
    regions.sort_by_key(|(r, _, _)| r.start);
    plain_ends.sort_unstable();
    ends.sort_unstable();
    // Which document a position belongs to: the last one starting at or before it (document
    // starts are in text order; empty documents have none).
    let doc_starts: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            d.marker
                .or_else(|| d.root.map(|r| d.node(r).range().start))
                .map(|s| (s, i))
        })
        .collect();
    let doc_of = |at: usize| -> Option<usize> {
        let k = doc_starts.partition_point(|(s, _)| *s <= at);
        match k {
            0 => doc_starts.first().map(|(_, i)| *i),
            _ => Some(doc_starts[k - 1].1),
        }
    };
    // Innermost region containing a position, by a sweep: tabs come in text order, regions
    // nest, so a stack of the regions open at the current tab is enough.
    let mut next_region = 0;
    let mut open: Vec<usize> = Vec::new();
    let mut region_at = |at: usize| -> Option<(Region, usize)> {
        while next_region < regions.len() && regions[next_region].0.start < at {
            open.push(next_region);
            next_region += 1;
        }
        while let Some(&top) = open.last() {
            if at < regions[top].0.end {
                break;
            }
            open.pop();
        }
        // The live region that started last is the innermost one holding `at` (regions nest;
        // ended ones buried below it are popped once it ends).
        open.last().map(|&k| (regions[k].1, regions[k].2))
    };
    let mut last_line = None;
    for (t, _) in text.match_indices('\t') {
        let line = text[..t].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        // Is the tab where a token may start: in the line's indentation, or right after a
        // block indicator at its start?
        let mut i = line;
        let mut leading = true;
        loop {
            while i < t && b[i] == b' ' {
                i += 1;
            }
            if i < t && matches!(b[i], b'-' | b'?' | b':') && is_blank(b.get(i + 1)) {
                i += 1;
                leading = false;
                continue;
            }
            break;
        }
        if i != t {
            continue;
        }
        let plain_indent = match region_at(t) {
            Some((Region::Opaque, _)) => continue,
            Some((Region::Plain { indent }, d)) => {
                if !leading {
                    continue;
                }
                Some((indent, d))
            }
            None if leading => {
                // The blank lines after a plain scalar belong to its scanning.
                let last_end = ends.partition_point(|e| *e <= line);
                let last = last_end.checked_sub(1).map(|k| ends[k]);
                last.and_then(|end| {
                    let k = plain_ends.partition_point(|(e, _, _)| *e < end);
                    plain_ends
                        .get(k)
                        .filter(|(e, _, _)| *e == end)
                        .filter(|_| {
                            text[end..line]
                                .bytes()
                                .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
                        })
                        .map(|(_, d, indent)| (*indent, *d))
                })
            }
            None => None,
        };
        let doc = match plain_indent {
            Some((indent, d)) => {
                if column(text, t) >= indent {
                    continue;
                }
                Some(d)
            }
            None => doc_of(t),
        };
        if last_line == Some(line) {
            continue;
        }
        last_line = Some(line);
        // A tab before the first document's first node (a comment line above it) counts
        // against that document.
        out.push((doc, tab_error(t)));
    }
}

fn tab_error(t: usize) -> YamlError {
    YamlError {
        kind: YamlErrorKind::Syntax,
        range: t..t,
        message: "invalid YAML: a tab character where a token may start in block context \
                  (indentation and the space after `-`, `?` or `:` must be spaces; go-yaml \
                  rejects it)"
            .into(),
    }
}
