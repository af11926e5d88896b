//! Findings on rendered output (`lanes lint --render`) moved back to the source file and line
//! they came from: kustomize's `config.kubernetes.io/origin` annotation names the file, and the
//! finding's node path in the rendered object is looked up in that file's object.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lanes_model::render::origin_of;
use lanes_model::Index;
use lanes_yaml::{Document, NodeRef, ParsedFile};

use crate::{Diagnostic, Report};

/// One rendered stream in the index.
#[derive(Clone, Debug)]
pub struct RenderedFile {
    /// Index of the rendered file in [`Index::files`].
    pub file: usize,
    /// Display name of the kustomization (or `Chart.yaml`) it was rendered from.
    pub root_file: String,
    /// The command that rendered it.
    pub command: String,
    /// Folder the origin annotations are relative to (kustomize); `None` for Helm.
    pub origin_base: Option<PathBuf>,
    /// Patch files in the rendered root's folder (canonical): a value the source object does not
    /// have was set by one of them.
    pub patches: Vec<PathBuf>,
}

/// The source files findings were moved to (parsed once, for snippets), to append to the
/// index used for printing.
#[derive(Debug, Default)]
pub struct Sources {
    /// Parsed source files, in the order first used.
    pub files: Vec<ParsedFile>,
    by_path: HashMap<PathBuf, Option<usize>>,
}

/// Move every finding in a rendered file to its source. `display` names a source path the way
/// the rest of the report does; `offset` is the index the first of [`Sources::files`] will have
/// in the printing index.
pub fn remap(
    report: &mut Report,
    index: &Index,
    rendered: &[RenderedFile],
    display: &dyn Fn(&Path) -> String,
    offset: usize,
) -> Sources {
    let mut sources = Sources::default();
    for d in &mut report.diagnostics {
        let Some(fi) = d.file_index else { continue };
        let Some(r) = rendered.iter().find(|r| r.file == fi) else {
            continue;
        };
        remap_one(d, &index.files[fi], r, display, offset, &mut sources);
        for rel in &mut d.related {
            if rel.file == index.files[fi].source.name() {
                rel.file = format!("{} (rendered)", r.root_file);
            }
        }
    }
    report.diagnostics.sort_by(|a, b| {
        (&a.file, a.start.line, a.start.column, a.code).cmp(&(
            &b.file,
            b.start.line,
            b.start.column,
            b.code,
        ))
    });
    sources
}

fn remap_one(
    d: &mut Diagnostic,
    file: &ParsedFile,
    r: &RenderedFile,
    display: &dyn Fn(&Path) -> String,
    offset: usize,
    sources: &mut Sources,
) {
    let no_source = |d: &mut Diagnostic, why: &str| {
        d.message = format!("{} (in the output of `{}`; {why})", d.message, r.command);
        d.file = r.root_file.clone();
        d.file_index = None;
        d.range = 0..0;
        d.start = lanes_yaml::LineCol { line: 1, column: 1 };
        d.end = d.start;
        d.fix = None;
    };
    let Some(doc) = file
        .docs
        .iter()
        .find(|doc| doc.root().is_some_and(|n| contains(n, d.range.start)))
    else {
        return no_source(d, "no source location");
    };
    let root = doc.root().expect("found by its root");
    let Some(path) = r.origin_base.as_deref().and_then(|b| origin_of(root, b)) else {
        return no_source(d, "no source location");
    };
    let start = node_at(doc, d.range.start, true);
    let end = node_at(doc, d.range.end, false);
    let Some(si) = load_source(sources, &path, display) else {
        return no_source(d, "its source file cannot be read");
    };
    let missing = {
        let Some(target) = source_object(&sources.files[si], root) else {
            return no_source(d, "the object is not in its source file");
        };
        // Missing from the source object, or a different scalar there: a patch set it.
        start
            .filter(|(n, _)| {
                let p = n.pointer();
                !p.is_empty()
                    && match exact(target, &p) {
                        None => true,
                        Some(src) => match (n.resolve().scalar_text(), src.resolve().scalar_text())
                        {
                            (Some(a), Some(b)) => a != b,
                            _ => false,
                        },
                    }
            })
            .map(|(n, _)| n.pointer())
    };
    // A value the source object does not have came from a patch: point at the patch.
    if let Some(pointer) = missing {
        if let Some((pi, range)) = in_patches(sources, r, &pointer, root, display) {
            let src = &sources.files[pi];
            d.file = src.source.name().to_string();
            d.file_index = Some(offset + pi);
            d.start = src.source.line_col(range.start);
            d.end = src.source.line_col(range.end);
            d.range = range;
            d.fix = None;
            return;
        }
    }
    let src = &sources.files[si];
    let Some(target) = source_object(src, root) else {
        return no_source(d, "the object is not in its source file");
    };
    // Each end of the range is a node of the rendered object: the same node path in the
    // source object gives the source range (a key maps to the key, a value to the value).
    let locate = |n: Option<(NodeRef<'_>, bool)>| -> NodeRef<'_> {
        let Some((n, is_key)) = n else { return target };
        let found = deepest(target, &n.pointer()).unwrap_or(target);
        if is_key {
            found.key().unwrap_or(found)
        } else {
            found
        }
    };
    let (s_node, e_node) = (locate(start), locate(end));
    let range = if e_node.range().end >= s_node.range().start {
        s_node.range().start..e_node.range().end
    } else {
        s_node.range()
    };
    d.file = src.source.name().to_string();
    d.file_index = Some(offset + si);
    d.start = src.source.line_col(range.start);
    d.end = src.source.line_col(range.end);
    d.range = range;
    // A fix computed on the rendered text does not apply to the source.
    d.fix = None;
}

fn load_source(
    sources: &mut Sources,
    path: &Path,
    display: &dyn Fn(&Path) -> String,
) -> Option<usize> {
    *sources
        .by_path
        .entry(path.to_path_buf())
        .or_insert_with(|| {
            let bytes = std::fs::read(path).ok()?;
            let src = lanes_yaml::SourceFile::from_bytes(display(path), bytes).ok()?;
            sources.files.push(lanes_yaml::parse(src));
            Some(sources.files.len() - 1)
        })
}

/// The node at `pointer` from `root`, only when every step exists.
fn exact<'a>(root: NodeRef<'a>, pointer: &str) -> Option<NodeRef<'a>> {
    let mut cur = root;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let part = raw.replace("~1", "/").replace("~0", "~");
        cur = if cur.resolve().is_seq() {
            cur.item(part.parse().ok()?)?
        } else {
            cur.get(&part)?
        };
    }
    Some(cur)
}

/// Where a patch of the rendered root sets `pointer` of the rendered object: a JSON 6902 op
/// whose `path` is the pointer or a parent of it, or a strategic-merge patch of the same kind
/// and name that has the pointer.
fn in_patches(
    sources: &mut Sources,
    r: &RenderedFile,
    pointer: &str,
    rendered: NodeRef<'_>,
    display: &dyn Fn(&Path) -> String,
) -> Option<(usize, std::ops::Range<usize>)> {
    let kind = rendered.get("kind").and_then(|k| k.as_text());
    let name = rendered
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(|n| n.as_text())
        .unwrap_or("");
    for p in &r.patches {
        let Some(pi) = load_source(sources, p, display) else {
            continue;
        };
        for doc in &sources.files[pi].docs {
            let Some(root) = doc.root() else { continue };
            if root.is_seq() {
                for op in root.items() {
                    let Some(path) = op.get("path").and_then(|v| v.as_text()) else {
                        continue;
                    };
                    let rest = if pointer == path {
                        Some("")
                    } else {
                        pointer.strip_prefix(path).filter(|r| r.starts_with('/'))
                    };
                    let Some(rest) = rest else { continue };
                    let node = match op.get("value") {
                        Some(v) if rest.is_empty() && v.resolve().scalar_text().is_some() => v,
                        Some(v) if rest.is_empty() => v.key().unwrap_or(v),
                        Some(v) => exact(v, rest).unwrap_or(v),
                        None => op.get("path").unwrap_or(op),
                    };
                    return Some((pi, node.range()));
                }
            } else if root.get("kind").and_then(|k| k.as_text()) == kind {
                let pname = root
                    .get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(|n| n.as_text())
                    .unwrap_or("");
                if !pname.is_empty() && name.contains(pname) {
                    if let Some(n) = exact(root, pointer) {
                        return Some((pi, n.range()));
                    }
                }
            }
        }
    }
    None
}

fn contains(n: NodeRef<'_>, at: usize) -> bool {
    let r = n.range();
    r.start <= at && at <= r.end
}

/// The smallest node that starts at `at` (`start`) or ends at `at`, else the smallest node
/// containing `at`; with whether it is a mapping key.
fn node_at(doc: &Document, at: usize, start: bool) -> Option<(NodeRef<'_>, bool)> {
    let mut exact: Option<NodeRef<'_>> = None;
    let mut around: Option<NodeRef<'_>> = None;
    let smaller = |b: Option<NodeRef<'_>>, r: &std::ops::Range<usize>| {
        b.is_none_or(|b| r.len() < b.range().len())
    };
    for id in 0..doc.len() {
        let n = doc.at(id as lanes_yaml::NodeId);
        let r = n.range();
        let edge = if start { r.start == at } else { r.end == at };
        if edge && smaller(exact, &r) {
            exact = Some(n);
        } else if r.start <= at && at < r.end && smaller(around, &r) {
            around = Some(n);
        }
    }
    let n = exact.or(around)?;
    let is_key = n.parent().is_some_and(|p| {
        matches!(p.kind(), lanes_yaml::NodeKind::Map { entries, .. } if entries.iter().any(|(k, _)| *k == n.id))
    });
    Some((n, is_key))
}

/// The node at a pointer from `root`, or its deepest existing ancestor.
fn deepest<'a>(root: NodeRef<'a>, pointer: &str) -> Option<NodeRef<'a>> {
    let mut cur = root;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let part = raw.replace("~1", "/").replace("~0", "~");
        let next = if cur.resolve().is_seq() {
            part.parse().ok().and_then(|i| cur.item(i))
        } else {
            cur.get(&part)
        };
        match next {
            Some(n) => cur = n,
            None => return Some(cur),
        }
    }
    Some(cur)
}

/// The object in `src` a rendered object came from: same kind, and the name it had before
/// `namePrefix`/`nameSuffix` (the rendered name contains it); the only object of that kind
/// otherwise.
fn source_object<'a>(src: &'a ParsedFile, rendered: NodeRef<'_>) -> Option<NodeRef<'a>> {
    let kind = rendered.get("kind").and_then(|k| k.as_text());
    let name = rendered
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(|n| n.as_text())
        .unwrap_or("");
    let same_kind: Vec<NodeRef<'a>> = src
        .docs
        .iter()
        .filter_map(Document::root)
        .filter(|r| r.is_map())
        .filter(|r| kind.is_none() || r.get("kind").and_then(|k| k.as_text()) == kind)
        .collect();
    let named = |r: &NodeRef<'_>| {
        r.get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(|n| n.as_text())
            .map(str::to_string)
    };
    same_kind
        .iter()
        .copied()
        .find(|r| named(r).as_deref() == Some(name))
        .or_else(|| {
            same_kind
                .iter()
                .copied()
                .filter(|r| named(r).is_some_and(|n| !n.is_empty() && name.contains(&n)))
                .max_by_key(|r| named(r).map_or(0, |n| n.len()))
        })
        .or_else(|| (same_kind.len() == 1).then(|| same_kind[0]))
}
