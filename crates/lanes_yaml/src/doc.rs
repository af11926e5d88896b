//! Lossless multi-document parse into per-document node arenas with byte ranges.

use std::ops::Range;
use std::sync::Arc;

use granit_parser::{ErrorKind, Event, Options, Parser, ScalarStyle as GStyle, StructureStyle};

use crate::scalar::{self, Scalar};
use crate::source::SourceFile;

/// Index of a node inside its document's arena.
pub type NodeId = u32;

/// Largest file lanes will parse.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// Deepest block or flow nesting accepted.
pub const MAX_NESTING: usize = 100;
/// Largest number of nodes a document may expand to through aliases.
pub const MAX_EXPANDED_NODES: u64 = 1_000_000;

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    /// `value`
    Plain,
    /// `'value'`
    SingleQuoted,
    /// `"value"`
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

/// What a node is, borrowed from its document: collections' children are slices of the
/// document's child tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind<'a> {
    /// A scalar; [`NodeRef::scalar_text`] gives its value after escape processing.
    Scalar {
        /// Source style.
        style: ScalarStyle,
    },
    /// A sequence.
    Seq {
        /// Items in order.
        items: &'a [NodeId],
        /// `[a, b]` rather than `- a`.
        flow: bool,
    },
    /// A mapping.
    Map {
        /// (key, value) pairs in source order.
        entries: &'a [(NodeId, NodeId)],
        /// `{a: b}` rather than block style.
        flow: bool,
    },
    /// `*name`, pointing at the anchored node.
    Alias {
        /// The node the alias names.
        target: NodeId,
    },
}

/// "No node" in 32-bit id fields.
pub(crate) const NO_NODE: u32 = u32::MAX;

// `Node::bits`: kind in bits 0-1, then flags, then where a scalar's value lives.
pub(crate) const KIND_SCALAR: u8 = 0;
pub(crate) const KIND_SEQ: u8 = 1;
pub(crate) const KIND_MAP: u8 = 2;
pub(crate) const KIND_ALIAS: u8 = 3;
pub(crate) const FLOW: u8 = 1 << 2;
pub(crate) const ANCHORED: u8 = 1 << 3;
pub(crate) const TAGGED: u8 = 1 << 4;
/// Bits 5-6: 0 no value, 1 a slice of the source (`a` offset, `b` length), 2 owned (`a`
/// indexes the document's side table of decoded values).
pub(crate) const VALUE_SHIFT: u8 = 5;
pub(crate) const VALUE_SLICE: u8 = 1;
pub(crate) const VALUE_OWNED: u8 = 2;

/// One node, 24 bytes: the exact byte range of its text, its parent, its kind, style and flags,
/// and one 64-bit payload (a scalar's value as a span of the source or an index into the
/// document's side table of decoded values; a collection's children as a span of the document's
/// child table; an alias's target).
///
/// For block collections the range runs from the first item's `-` (or first key) to the end of
/// the last item's content, never over trailing comments or blank lines. For block scalars it
/// runs from the `|`/`>` indicator to the last content character.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) parent: u32,
    pub(crate) a: u32,
    pub(crate) b: u32,
    pub(crate) bits: u8,
    pub(crate) style: u8,
}

const _: () = assert!(std::mem::size_of::<Node>() == 24);
// Offsets are 32-bit: every file lanes parses is below the limit.
const _: () = assert!(MAX_FILE_BYTES < u32::MAX as usize);

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind_code() {
            KIND_SCALAR => "Scalar",
            KIND_SEQ => "Seq",
            KIND_MAP => "Map",
            _ => "Alias",
        };
        let mut d = f.debug_struct("Node");
        d.field("kind", &kind).field("range", &self.range());
        match self.kind_code() {
            KIND_SCALAR => {
                d.field("style", &self.scalar_style());
            }
            KIND_SEQ | KIND_MAP => {
                d.field("flow", &self.is_flow())
                    .field("children", &(self.a..self.a + self.b));
            }
            _ => {
                d.field("target", &self.a);
            }
        }
        d.field("parent", &self.parent())
            .field("anchored", &self.anchored())
            .field("tagged", &self.tagged());
        match self.value_code() {
            VALUE_SLICE => d.field("value", &(self.a..self.a + self.b)),
            VALUE_OWNED => d.field("owned", &self.a),
            _ => &mut d,
        };
        d.finish()
    }
}

impl Node {
    fn new(kind: u8, start: usize, end: usize, parent: u32, tagged: bool) -> Node {
        Node {
            start: start as u32,
            end: end as u32,
            parent,
            a: 0,
            b: 0,
            bits: kind | if tagged { TAGGED } else { 0 },
            style: 0,
        }
    }

    /// Byte range in the file.
    #[inline]
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Parent collection, if any.
    #[inline]
    pub fn parent(&self) -> Option<NodeId> {
        (self.parent != NO_NODE).then_some(self.parent)
    }

    /// Whether the node carries an `&anchor`.
    #[inline]
    pub fn anchored(&self) -> bool {
        self.bits & ANCHORED != 0
    }

    /// Whether the node carries an explicit `!tag`.
    #[inline]
    pub fn tagged(&self) -> bool {
        self.bits & TAGGED != 0
    }

    /// Whether the node is a flow collection (`[a]`, `{a: b}`).
    #[inline]
    pub fn is_flow(&self) -> bool {
        self.bits & FLOW != 0
    }

    /// The style of a scalar node (`None` for collections and aliases).
    #[inline]
    pub fn scalar_style(&self) -> Option<ScalarStyle> {
        (self.kind_code() == KIND_SCALAR).then(|| style_from_code(self.style))
    }

    #[inline]
    pub(crate) fn kind_code(&self) -> u8 {
        self.bits & 0b11
    }

    #[inline]
    pub(crate) fn value_code(&self) -> u8 {
        (self.bits >> VALUE_SHIFT) & 0b11
    }

    #[inline]
    pub(crate) fn set_value(&mut self, code: u8, a: u32, b: u32) {
        self.bits = (self.bits & !(0b11 << VALUE_SHIFT)) | code << VALUE_SHIFT;
        self.a = a;
        self.b = b;
    }

    #[inline]
    pub(crate) fn set_range(&mut self, r: Range<usize>) {
        self.start = r.start as u32;
        self.end = r.end as u32;
    }
}

pub(crate) fn style_code(s: ScalarStyle) -> u8 {
    match s {
        ScalarStyle::Plain => 0,
        ScalarStyle::SingleQuoted => 1,
        ScalarStyle::DoubleQuoted => 2,
        ScalarStyle::Literal => 3,
        ScalarStyle::Folded => 4,
    }
}

#[inline]
pub(crate) fn style_from_code(c: u8) -> ScalarStyle {
    match c {
        1 => ScalarStyle::SingleQuoted,
        2 => ScalarStyle::DoubleQuoted,
        3 => ScalarStyle::Literal,
        4 => ScalarStyle::Folded,
        _ => ScalarStyle::Plain,
    }
}

#[inline]
fn value_of<'a>(doc: &'a Document, node: &Node) -> Option<&'a str> {
    match node.value_code() {
        VALUE_SLICE => doc
            .text
            .get(node.a as usize..(node.a as usize + node.b as usize)),
        VALUE_OWNED => doc.owned.get(node.a as usize).map(|s| &**s),
        _ => None,
    }
}

/// One YAML document of a stream.
#[derive(Clone, Debug)]
pub struct Document {
    /// 0-based position in the file.
    pub index: usize,
    /// Byte offset of the explicit `---`, if the document has one.
    pub marker: Option<usize>,
    /// Root node, or `None` for an empty document.
    pub root: Option<NodeId>,
    pub(crate) nodes: Vec<Node>,
    /// Sequence items, each sequence's a contiguous run.
    pub(crate) items: Vec<NodeId>,
    /// Mapping entries, each mapping's a contiguous run.
    pub(crate) entries: Vec<(NodeId, NodeId)>,
    /// Scalar values that are not a slice of the source (escapes, folding): the rare case.
    pub(crate) owned: Vec<Box<str>>,
    pub(crate) has_aliases: bool,
    pub(crate) text: Arc<str>,
}

/// What went wrong while reading a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The text is not valid YAML.
    Syntax,
    /// A mapping repeats a key; `first` is the earlier occurrence.
    DuplicateKey {
        /// The first occurrence of the key.
        first: Range<usize>,
    },
    /// Nesting deeper than [`MAX_NESTING`].
    TooDeep,
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// Aliases expand beyond [`MAX_EXPANDED_NODES`], or refer to themselves.
    AliasBomb,
}

/// A located problem found while reading a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// What kind of problem.
    pub kind: YamlErrorKind,
    /// Where.
    pub range: Range<usize>,
    /// Human message (lowercase, no trailing period).
    pub message: String,
}

/// A file parsed into documents.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    /// The file's text.
    pub source: SourceFile,
    /// Documents that parsed (a broken document is left out; the others are kept).
    pub docs: Vec<Document>,
    /// Syntax and structural errors.
    pub errors: Vec<YamlError>,
    /// Places lanes read although strict YAML 1.2 forbids them (go-yaml accepts them); not
    /// errors.
    pub notes: Vec<YamlNote>,
}

/// What a [`YamlNote`] is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlNoteKind {
    /// A multi-line quoted scalar whose continuation lines are not indented past the block
    /// that holds it (common in generated CRD descriptions). YAML 1.2 (s-flow-line-prefix)
    /// forbids it; libyaml and go-yaml ignore the indentation of quoted continuation lines.
    /// Leading white space of continuation lines is folded away, so the value is the same
    /// either way.
    QuotedScalarIndent {
        /// Each continuation line that is not indented enough: the byte range of its leading
        /// white space (empty when the line starts at column 1).
        lines: Vec<Range<usize>>,
        /// The 0-based column at which those lines read as strict YAML 1.2 and look like their
        /// neighbours: the enclosing block's indentation plus two.
        indent: usize,
    },
    /// A comment that follows a token with no white space before its `#` (`"true"# note`).
    /// YAML 1.2 reads no comment there and refuses the line; libyaml and go-yaml start the
    /// comment at the `#`. The note's range is the comment, from its `#` to the end of the
    /// line.
    CommentNotSeparated,
}

/// A place lanes accepted although strict YAML 1.2 does not: go-yaml (what kubectl,
/// kustomize and Argo CD parse with) and libyaml read it, other parsers may refuse it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlNote {
    /// What it is.
    pub kind: YamlNoteKind,
    /// The node concerned (for a quoted scalar, from its opening to its closing quote).
    pub range: Range<usize>,
    /// Human message (lowercase, no trailing period).
    pub message: String,
}

impl ParsedFile {
    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

struct Frame {
    id: NodeId,
    /// Where this collection's children start in the builder's scratch list.
    start: usize,
    map: bool,
    /// A mapping's key waiting for its value.
    key: NodeId,
}

/// Typical source bytes per node in Kubernetes manifests (a `key: value` line is two nodes).
const BYTES_PER_NODE: usize = 8;

struct Builder {
    nodes: Vec<Node>,
    sizes: Vec<u64>,
    items: Vec<NodeId>,
    entries: Vec<(NodeId, NodeId)>,
    owned: Vec<Box<str>>,
    /// Children of the open sequences, innermost last.
    open_items: Vec<NodeId>,
    /// Entries of the open mappings, innermost last.
    open_entries: Vec<(NodeId, NodeId)>,
    stack: Vec<Frame>,
    anchors: Vec<(usize, NodeId)>,
    root: Option<NodeId>,
    marker: Option<usize>,
    has_aliases: bool,
}

impl Builder {
    /// `text` is the rest of the file from the document's start; the arena is sized for the
    /// text up to the next `---` line, so that it seldom has to grow (and copy) while filling.
    fn new(marker: Option<usize>, text: &str) -> Self {
        let len = text
            .get(1..)
            .and_then(|t| t.find("\n---"))
            .unwrap_or(text.len());
        // Capped, so that a huge scalar-only document does not reserve a huge arena.
        let cap = (len / BYTES_PER_NODE + 4).min(1 << 16);
        Builder {
            nodes: Vec::with_capacity(cap),
            sizes: Vec::with_capacity(cap),
            items: Vec::new(),
            entries: Vec::with_capacity(cap / 2),
            owned: Vec::new(),
            open_items: Vec::new(),
            open_entries: Vec::new(),
            stack: Vec::new(),
            anchors: Vec::new(),
            root: None,
            marker,
            has_aliases: false,
        }
    }

    fn push_node(&mut self, kind: u8, range: Range<usize>, tagged: bool) -> NodeId {
        let id = self.nodes.len() as NodeId;
        let parent = self.stack.last().map_or(NO_NODE, |f| f.id);
        self.nodes
            .push(Node::new(kind, range.start, range.end, parent, tagged));
        self.sizes.push(0);
        id
    }

    fn attach(&mut self, child: NodeId) {
        match self.stack.last_mut() {
            None => self.root = Some(child),
            Some(f) if !f.map => self.open_items.push(child),
            Some(f) => {
                if f.key == NO_NODE {
                    f.key = child;
                } else {
                    self.open_entries.push((f.key, child));
                    f.key = NO_NODE;
                }
            }
        }
    }

    fn anchor(&mut self, anchor: usize, id: NodeId) {
        if anchor != 0 {
            self.nodes[id as usize].bits |= ANCHORED;
            self.anchors.push((anchor, id));
        }
    }

    fn finish(mut self, index: usize, shared: &Arc<str>) -> Document {
        // The arena was sized from an estimate. `shrink_to_fit` is not enough: an allocator
        // may shrink in place and keep the whole block (mimalloc, the binary's allocator, does
        // when the new size is at least half the old one), so every document would hold its
        // estimate. Copying into an exact allocation returns the rest; it is one memcpy of
        // the arena.
        exact(&mut self.nodes);
        exact(&mut self.entries);
        exact(&mut self.items);
        Document {
            index,
            marker: self.marker,
            root: self.root,
            nodes: self.nodes,
            items: self.items,
            entries: self.entries,
            owned: self.owned,
            has_aliases: self.has_aliases,
            text: Arc::clone(shared),
        }
    }
}

/// Move `v` into an allocation of exactly its length (see [`Builder::finish`]).
fn exact<T: Copy>(v: &mut Vec<T>) {
    if v.capacity() > v.len() {
        let mut tight = Vec::with_capacity(v.len());
        tight.extend_from_slice(v);
        *v = tight;
    }
}

fn style_of(s: GStyle) -> ScalarStyle {
    match s {
        GStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        GStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        GStyle::Literal => ScalarStyle::Literal,
        GStyle::Folded => ScalarStyle::Folded,
        _ => ScalarStyle::Plain,
    }
}

/// Parse a file into documents. Never panics; every problem becomes a located [`YamlError`].
///
/// lanes accepts what go-yaml (kubectl, kustomize, Argo CD) accepts: where that is more than
/// strict YAML 1.2 allows, the file is read leniently and each such place is a [`YamlNote`].
pub fn parse(source: SourceFile) -> ParsedFile {
    if source.text().len() > MAX_FILE_BYTES {
        let errors = vec![YamlError {
            kind: YamlErrorKind::TooLarge,
            range: 0..0,
            message: format!(
                "file is {} bytes, larger than the {} byte limit",
                source.text().len(),
                MAX_FILE_BYTES
            ),
        }];
        return ParsedFile {
            source,
            docs: Vec::new(),
            errors,
            notes: Vec::new(),
        };
    }
    let shared = source.shared_text();
    let mut run = parse_events(&shared);
    if run.failures.iter().any(|f| f.lenient.is_some()) {
        if let Some(lenient) = crate::lenient::reparse(&shared, &run) {
            run = lenient;
        }
    }
    let mut compat = crate::compat::check(&shared, &run.docs);
    if !compat.is_empty() && !run.errors.is_empty() {
        // Inside a document the parser already refused, its error stands alone: drop what lies
        // with a parser error and no kept document between them.
        let starts: Vec<usize> = run
            .docs
            .iter()
            .filter_map(|d| d.marker.or_else(|| d.root.map(|r| d.node(r).range().start)))
            .collect();
        let errors = &run.errors;
        compat.retain(|(_, c)| {
            let t = c.range.start;
            !errors.iter().any(|e| {
                let (lo, hi) = (e.range.start.min(t), e.range.start.max(t));
                !starts.iter().any(|s| lo < *s && *s <= hi)
            })
        });
    }
    if !compat.is_empty() {
        let mut broken = vec![false; run.docs.len()];
        for (doc, e) in compat {
            if let Some(d) = doc {
                broken[d] = true;
            }
            run.errors.push(e);
        }
        let mut i = 0;
        run.docs.retain(|_| {
            i += 1;
            !broken[i - 1]
        });
        run.errors.sort_by_key(|e| e.range.start);
        let docs = &run.docs;
        run.notes.retain(|n| {
            docs.iter()
                .any(|d| d.nodes.iter().any(|x| x.range() == n.range))
        });
    }
    ParsedFile {
        source,
        docs: run.docs,
        errors: run.errors,
        notes: run.notes,
    }
}

/// Why the parser stopped in a document, for the lenient re-read.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    /// Byte offset of the error.
    pub(crate) at: usize,
    /// End of the last event the parser produced before the error (everything before it was
    /// read; the token the parser stopped in starts after it).
    pub(crate) after: usize,
    /// An error go-yaml does not make, which the lenient re-read works around (see `lenient`).
    pub(crate) lenient: Option<Lenient>,
}

/// What the lenient re-read can work around.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lenient {
    /// Continuation lines of a quoted scalar not indented past their block.
    QuotedIndent,
    /// A `#` comment right after a token, with no white space before it.
    CommentNotSeparated,
}

/// The result of one pass of the parser over a text.
pub(crate) struct Run {
    pub(crate) docs: Vec<Document>,
    pub(crate) errors: Vec<YamlError>,
    pub(crate) notes: Vec<YamlNote>,
    pub(crate) failures: Vec<Failure>,
}

/// One pass of the parser over `shared`; documents slice their values from it.
pub(crate) fn parse_events(shared: &Arc<str>) -> Run {
    let text: &str = shared;
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    let mut failures = Vec::new();
    let mut last_end = 0usize;
    let mut options = Options::default();
    options.emit_comments = false;
    options.flow_nesting_limit = MAX_NESTING;
    options.block_nesting_limit = MAX_NESTING;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut cur: Option<Builder> = None;
    let mut broken = false;
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(pair)) => pair,
            Some(Err(e)) => {
                let at = e.marker().byte_offset().unwrap_or(0).min(text.len());
                failures.push(Failure {
                    at,
                    after: last_end.min(at),
                    lenient: match e.kind() {
                        ErrorKind::InvalidQuotedScalarIndent | ErrorKind::TabInIndentation => {
                            Some(Lenient::QuotedIndent)
                        }
                        ErrorKind::CommentNotSeparated => Some(Lenient::CommentNotSeparated),
                        _ => None,
                    },
                });
                let msg = e.kind().to_string();
                let kind = if msg.contains("nesting") || msg.contains("recursion") {
                    YamlErrorKind::TooDeep
                } else {
                    YamlErrorKind::Syntax
                };
                errors.push(YamlError {
                    kind,
                    range: at..at,
                    message: syntax_message(&msg),
                });
                cur = None;
                broken = false;
                match parser.proceed_next_document() {
                    Ok(true) => continue,
                    _ => break,
                }
            }
        };
        let range = span.byte_range().unwrap_or(0..0);
        last_end = last_end.max(range.end);
        if broken {
            continue;
        }
        match event {
            Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(explicit, _) => {
                cur = Some(Builder::new(
                    explicit.then_some(range.start),
                    text.get(range.start..).unwrap_or(""),
                ));
            }
            Event::DocumentEnd => {
                if let Some(b) = cur.take() {
                    let index = docs.len();
                    docs.push(b.finish(index, shared));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let Some(b) = cur.as_mut() else { continue };
                let style = style_of(style);
                let range = scalar_range(text, range, style);
                let id = b.push_node(KIND_SCALAR, range, tag.is_some());
                let borrowed = match &value {
                    std::borrow::Cow::Borrowed(v) => {
                        let off = (v.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
                        (off <= text.len() && off + v.len() <= text.len())
                            .then_some((off as u32, v.len() as u32))
                    }
                    std::borrow::Cow::Owned(_) => None,
                };
                let node = &mut b.nodes[id as usize];
                node.style = style_code(style);
                match borrowed {
                    Some((off, len)) => node.set_value(VALUE_SLICE, off, len),
                    None => {
                        node.set_value(VALUE_OWNED, b.owned.len() as u32, 0);
                        b.owned.push(value.into_owned().into_boxed_str());
                    }
                }
                b.sizes[id as usize] = 1;
                b.anchor(anchor, id);
                b.attach(id);
            }
            Event::SequenceStart(style, anchor, tag) => {
                let Some(b) = cur.as_mut() else { continue };
                let flow = style == StructureStyle::Flow;
                let start = if flow {
                    range.start
                } else {
                    dash_before(text, range.start)
                };
                let id = b.push_node(KIND_SEQ, start..start, tag.is_some());
                if flow {
                    b.nodes[id as usize].bits |= FLOW;
                }
                b.anchor(anchor, id);
                b.attach(id);
                let start = b.open_items.len();
                b.stack.push(Frame {
                    id,
                    start,
                    map: false,
                    key: NO_NODE,
                });
            }
            Event::MappingStart(style, anchor, tag) => {
                let Some(b) = cur.as_mut() else { continue };
                let flow = style == StructureStyle::Flow;
                let id = b.push_node(KIND_MAP, range.start..range.start, tag.is_some());
                if flow {
                    b.nodes[id as usize].bits |= FLOW;
                }
                b.anchor(anchor, id);
                b.attach(id);
                let start = b.open_entries.len();
                b.stack.push(Frame {
                    id,
                    start,
                    map: true,
                    key: NO_NODE,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(b) = cur.as_mut() else { continue };
                let Some(frame) = b.stack.pop() else { continue };
                let id = frame.id as usize;
                let flow = b.nodes[id].is_flow();
                // One pass over the children: the span ends at the furthest child, and the
                // expanded size sums theirs.
                let nodes = &b.nodes;
                let sizes = &b.sizes;
                let fold = |ids: &mut dyn Iterator<Item = NodeId>| {
                    let mut end = None::<u32>;
                    let mut size = 1u64;
                    for c in ids {
                        end = Some(end.unwrap_or(0).max(nodes[c as usize].end));
                        size = size.saturating_add(sizes[c as usize]);
                    }
                    (end, size)
                };
                let (child_end, size, first, at, count) = if frame.map {
                    let entries = &b.open_entries[frame.start..];
                    if let Some(e) = duplicate_keys(text, nodes, &b.owned, entries) {
                        errors.push(e);
                    }
                    let (e, sz) = fold(&mut entries.iter().flat_map(|(k, v)| [*k, *v]));
                    let first = entries.first().map(|(k, _)| *k);
                    let at = b.entries.len();
                    b.entries.extend_from_slice(entries);
                    b.open_entries.truncate(frame.start);
                    (e, sz, first, at, b.entries.len() - at)
                } else {
                    let items = &b.open_items[frame.start..];
                    let (e, sz) = fold(&mut items.iter().copied());
                    let at = b.items.len();
                    b.items.extend_from_slice(items);
                    b.open_items.truncate(frame.start);
                    (e, sz, None, at, b.items.len() - at)
                };
                let end = if flow {
                    range.end as u32
                } else {
                    child_end.unwrap_or(b.nodes[id].start)
                };
                if let Some(first) = first.filter(|_| !flow) {
                    let first_start = b.nodes[first as usize].start;
                    b.nodes[id].start = first_start.min(b.nodes[id].start);
                }
                let node = &mut b.nodes[id];
                node.end = end.max(node.start);
                node.a = at as u32;
                node.b = count as u32;
                b.sizes[id] = size;
                if size > MAX_EXPANDED_NODES {
                    errors.push(alias_bomb(b.nodes[id].range(), size));
                    broken = true;
                    cur = None;
                }
            }
            Event::Alias(anchor) => {
                let Some(b) = cur.as_mut() else { continue };
                b.has_aliases = true;
                let target = b
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == anchor)
                    .map(|(_, id)| *id);
                let Some(target) = target else {
                    errors.push(YamlError {
                        kind: YamlErrorKind::Syntax,
                        range: range.clone(),
                        message: "alias names no anchor".into(),
                    });
                    broken = true;
                    cur = None;
                    continue;
                };
                if b.stack.iter().any(|f| f.id == target) {
                    errors.push(YamlError {
                        kind: YamlErrorKind::AliasBomb,
                        range: range.clone(),
                        message: "alias refers to a node that contains it (recursive alias)".into(),
                    });
                    broken = true;
                    cur = None;
                    continue;
                }
                let size = b.sizes[target as usize];
                let id = b.push_node(KIND_ALIAS, range, false);
                b.nodes[id as usize].a = target;
                b.sizes[id as usize] = size;
                b.attach(id);
            }
            _ => {}
        }
        if broken {
            // Skip the rest of this document; the parser resumes at the next one.
            match parser.proceed_next_document() {
                Ok(true) => {
                    broken = false;
                    continue;
                }
                _ => break,
            }
        }
    }
    Run {
        docs,
        errors,
        notes: Vec::new(),
        failures,
    }
}

fn alias_bomb(range: Range<usize>, size: u64) -> YamlError {
    YamlError {
        kind: YamlErrorKind::AliasBomb,
        range,
        message: format!(
            "aliases expand this document to more than {MAX_EXPANDED_NODES} nodes ({size}); refusing to read it"
        ),
    }
}

fn syntax_message(raw: &str) -> String {
    let mut m = raw.trim().trim_end_matches('.').to_string();
    if let Some(first) = m.get(..1) {
        let lower = first.to_lowercase();
        m.replace_range(..1, &lower);
    }
    format!("invalid YAML: {m}")
}

fn duplicate_keys(
    text: &str,
    nodes: &[Node],
    owned: &[Box<str>],
    entries: &[(NodeId, NodeId)],
) -> Option<YamlError> {
    let key_of = |id: NodeId| {
        let n = &nodes[id as usize];
        match n.value_code() {
            VALUE_SLICE => text.get(n.a as usize..(n.a + n.b) as usize),
            VALUE_OWNED => owned.get(n.a as usize).map(|s| &**s),
            _ => None,
        }
    };
    if entries.len() <= 24 {
        for (i, (k, _)) in entries.iter().enumerate() {
            let Some(name) = key_of(*k) else { continue };
            for (k2, _) in &entries[i + 1..] {
                if key_of(*k2) == Some(name) && name != "<<" {
                    return Some(dup(nodes, *k, *k2, name));
                }
            }
        }
        return None;
    }
    let mut seen = std::collections::HashMap::new();
    for (k, _) in entries {
        let Some(name) = key_of(*k) else { continue };
        if name == "<<" {
            continue;
        }
        if let Some(first) = seen.insert(name, *k) {
            return Some(dup(nodes, first, *k, name));
        }
    }
    None
}

fn dup(nodes: &[Node], first: NodeId, second: NodeId, name: &str) -> YamlError {
    YamlError {
        kind: YamlErrorKind::DuplicateKey {
            first: nodes[first as usize].range(),
        },
        range: nodes[second as usize].range(),
        message: format!("duplicate key `{name}` in one mapping"),
    }
}

/// Walk back from a block sequence's first content to its `-`.
fn dash_before(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let mut i = at.min(b.len());
    while i > 0 {
        let c = b[i - 1];
        if c == b'-' {
            return i - 1;
        }
        if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
            i -= 1;
            continue;
        }
        break;
    }
    at
}

/// Trim block scalars to `indicator..last content char`.
fn scalar_range(text: &str, r: Range<usize>, style: ScalarStyle) -> Range<usize> {
    if !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
        return r;
    }
    let b = text.as_bytes();
    let mut end = r.end.min(b.len());
    while end > r.start && matches!(b[end - 1], b' ' | b'\n' | b'\r' | b'\t') {
        end -= 1;
    }
    let mut start = r.start.min(end);
    let mut i = start;
    while i > 0 {
        let c = b[i - 1];
        if c == b'|' || c == b'>' {
            start = i - 1;
            break;
        }
        if c == b':' || c == b'-' {
            break;
        }
        i -= 1;
    }
    start..end.max(start)
}

impl Document {
    /// Root node reference.
    pub fn root(&self) -> Option<NodeRef<'_>> {
        self.root.map(|id| NodeRef { doc: self, id })
    }

    /// A node by id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// A node's kind, with its children.
    #[inline]
    pub fn kind(&self, id: NodeId) -> NodeKind<'_> {
        self.kind_of(&self.nodes[id as usize])
    }

    #[inline]
    pub(crate) fn kind_of(&self, n: &Node) -> NodeKind<'_> {
        let span = n.a as usize..n.a as usize + n.b as usize;
        match n.kind_code() {
            KIND_SCALAR => NodeKind::Scalar {
                style: style_from_code(n.style),
            },
            KIND_SEQ => NodeKind::Seq {
                items: self.items.get(span).unwrap_or(&[]),
                flow: n.is_flow(),
            },
            KIND_MAP => NodeKind::Map {
                entries: self.entries.get(span).unwrap_or(&[]),
                flow: n.is_flow(),
            },
            _ => NodeKind::Alias { target: n.a },
        }
    }

    /// A reference to a node by id.
    pub fn at(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { doc: self, id }
    }

    /// Number of nodes in the arena.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the document has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether any alias appears in the document.
    pub fn has_aliases(&self) -> bool {
        self.has_aliases
    }

    /// Bytes of memory the document's arena and child tables hold (not its text, which the
    /// file shares).
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.items.capacity() * 4
            + self.entries.capacity() * 8
            + self.owned.iter().map(|s| s.len() + 16).sum::<usize>()
    }

    /// Byte range of the document's content (root node), or the marker.
    pub fn content_range(&self) -> Range<usize> {
        match self.root {
            Some(r) => self.nodes[r as usize].range(),
            None => {
                let m = self.marker.unwrap_or(0);
                m..m
            }
        }
    }

    /// Find the node at a JSON pointer (`/spec/http/0/route`).
    pub fn pointer(&self, pointer: &str) -> Option<NodeRef<'_>> {
        let mut cur = self.root()?;
        if pointer.is_empty() {
            return Some(cur);
        }
        for raw in pointer.strip_prefix('/')?.split('/') {
            let part = raw.replace("~1", "/").replace("~0", "~");
            cur = match cur.resolve().kind() {
                NodeKind::Seq { .. } => cur.item(part.parse().ok()?)?,
                NodeKind::Map { .. } => cur.get(&part)?,
                _ => return None,
            };
        }
        Some(cur)
    }
}

/// A borrowed reference to one node of a document.
#[derive(Clone, Copy)]
pub struct NodeRef<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The node id.
    pub id: NodeId,
}

impl std::fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeRef({} @ {:?})", self.id, self.node().range())
    }
}

impl<'a> NodeRef<'a> {
    /// The node.
    #[inline]
    pub fn node(&self) -> &'a Node {
        &self.doc.nodes[self.id as usize]
    }

    /// The node's kind.
    #[inline]
    pub fn kind(&self) -> NodeKind<'a> {
        self.doc.kind_of(self.node())
    }

    /// Byte range.
    #[inline]
    pub fn range(&self) -> Range<usize> {
        self.node().range()
    }

    /// Whether the node carries an explicit `!tag`.
    #[inline]
    pub fn tagged(&self) -> bool {
        self.node().tagged()
    }

    /// Follow aliases to the anchored node.
    #[inline]
    pub fn resolve(self) -> NodeRef<'a> {
        let mut cur = self;
        for _ in 0..64 {
            let n = cur.node();
            if n.kind_code() != KIND_ALIAS {
                return cur;
            }
            cur = NodeRef {
                doc: self.doc,
                id: n.a,
            };
        }
        cur
    }

    /// Parent collection.
    #[inline]
    pub fn parent(&self) -> Option<NodeRef<'a>> {
        self.node().parent().map(|id| NodeRef { doc: self.doc, id })
    }

    #[inline]
    fn entry_slice(self) -> &'a [(NodeId, NodeId)] {
        match self.resolve().kind() {
            NodeKind::Map { entries, .. } => entries,
            _ => &[],
        }
    }

    #[inline]
    fn item_slice(self) -> &'a [NodeId] {
        match self.resolve().kind() {
            NodeKind::Seq { items, .. } => items,
            _ => &[],
        }
    }

    /// Mapping entries (through aliases); empty for non-mappings.
    pub fn entries(self) -> impl Iterator<Item = (NodeRef<'a>, NodeRef<'a>)> + 'a {
        let doc = self.doc;
        self.entry_slice()
            .iter()
            .map(move |(k, v)| (NodeRef { doc, id: *k }, NodeRef { doc, id: *v }))
    }

    /// Sequence items (through aliases); empty for non-sequences.
    pub fn items(self) -> impl Iterator<Item = NodeRef<'a>> + 'a {
        let doc = self.doc;
        self.item_slice()
            .iter()
            .map(move |id| NodeRef { doc, id: *id })
    }

    /// The n-th item of a sequence.
    pub fn item(self, n: usize) -> Option<NodeRef<'a>> {
        self.item_slice().get(n).map(|id| NodeRef {
            doc: self.doc,
            id: *id,
        })
    }

    /// Number of items or entries.
    pub fn len(self) -> usize {
        match self.resolve().kind() {
            NodeKind::Seq { items, .. } => items.len(),
            NodeKind::Map { entries, .. } => entries.len(),
            _ => 0,
        }
    }

    /// Whether a collection is empty (scalars count as empty).
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The value under a key (the last one if the key repeats).
    #[inline]
    pub fn get(self, key: &str) -> Option<NodeRef<'a>> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The (key, value) pair under a key.
    pub fn entry(self, key: &str) -> Option<(NodeRef<'a>, NodeRef<'a>)> {
        let entries = self.entry_slice();
        let doc = self.doc;
        let text = doc.text.as_bytes();
        entries.iter().rev().find_map(|(k, v)| {
            let kn = &doc.nodes[*k as usize];
            // Hot path of every lookup: compare lengths, then bytes, without resolving.
            let hit = match kn.value_code() {
                VALUE_SLICE => {
                    kn.b as usize == key.len()
                        && text.get(kn.a as usize..(kn.a + kn.b) as usize) == Some(key.as_bytes())
                }
                VALUE_OWNED => doc.owned.get(kn.a as usize).map(|s| &**s) == Some(key),
                _ => doc.at(*k).scalar_text() == Some(key),
            };
            hit.then_some((doc.at(*k), doc.at(*v)))
        })
    }

    /// The key node under which this node sits in its parent mapping.
    pub fn key(&self) -> Option<NodeRef<'a>> {
        let parent = self.parent()?;
        match parent.kind() {
            NodeKind::Map { entries, .. } => entries.iter().find_map(|(k, v)| {
                (*v == self.id).then_some(NodeRef {
                    doc: self.doc,
                    id: *k,
                })
            }),
            _ => None,
        }
    }

    /// Raw scalar text after escapes (any style), through aliases.
    #[inline]
    pub fn scalar_text(self) -> Option<&'a str> {
        let node = self.node();
        if node.kind_code() == KIND_ALIAS {
            let n = self.resolve();
            return value_of(n.doc, n.node());
        }
        value_of(self.doc, node)
    }

    /// Scalar style, if a scalar.
    pub fn scalar_style(self) -> Option<ScalarStyle> {
        self.resolve().node().scalar_style()
    }

    /// The resolved scalar value (YAML 1.2 core schema).
    pub fn scalar(self) -> Option<Scalar<'a>> {
        let n = self.resolve();
        let node = n.node();
        let style = node.scalar_style()?;
        Some(scalar::resolve(
            value_of(n.doc, node)?,
            style == ScalarStyle::Plain,
        ))
    }

    /// A string value (quoted, or plain that does not resolve to another type).
    pub fn as_str(self) -> Option<&'a str> {
        match self.scalar()? {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Scalar text for values that are conventionally strings but may be written plainly as
    /// numbers or booleans (labels such as `version: 1`).
    pub fn as_text(self) -> Option<&'a str> {
        match self.scalar()? {
            Scalar::Null => None,
            _ => self.scalar_text(),
        }
    }

    /// An integer value.
    pub fn as_i64(self) -> Option<i64> {
        match self.scalar()? {
            Scalar::Int(i) => Some(i),
            _ => None,
        }
    }

    /// A boolean value.
    pub fn as_bool(self) -> Option<bool> {
        match self.scalar()? {
            Scalar::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Whether the node is a null scalar.
    pub fn is_null(self) -> bool {
        matches!(self.scalar(), Some(Scalar::Null))
    }

    /// Whether the node is a mapping.
    #[inline]
    pub fn is_map(self) -> bool {
        self.resolve().node().kind_code() == KIND_MAP
    }

    /// Whether the node is a sequence.
    #[inline]
    pub fn is_seq(self) -> bool {
        self.resolve().node().kind_code() == KIND_SEQ
    }

    /// Whether the node is a flow collection.
    pub fn is_flow(self) -> bool {
        let n = self.node();
        matches!(n.kind_code(), KIND_SEQ | KIND_MAP) && n.is_flow()
    }

    /// A mapping of string keys to string values (labels, selectors).
    pub fn string_map(self) -> Vec<(&'a str, &'a str)> {
        self.entries()
            .filter_map(|(k, v)| Some((k.scalar_text()?, v.as_text().unwrap_or(""))))
            .collect()
    }

    /// JSON pointer of this node from the document root.
    pub fn pointer(&self) -> String {
        let mut parts = Vec::new();
        let mut cur = *self;
        while let Some(parent) = cur.parent() {
            match parent.kind() {
                NodeKind::Seq { items, .. } => {
                    let i = items.iter().position(|id| *id == cur.id).unwrap_or(0);
                    parts.push(i.to_string());
                }
                NodeKind::Map { entries, .. } => {
                    let k = entries
                        .iter()
                        .find(|(k, v)| *v == cur.id || *k == cur.id)
                        .and_then(|(k, _)| {
                            NodeRef {
                                doc: self.doc,
                                id: *k,
                            }
                            .scalar_text()
                        })
                        .unwrap_or("");
                    parts.push(k.replace('~', "~0").replace('/', "~1"));
                }
                _ => {}
            }
            cur = parent;
        }
        parts.reverse();
        if parts.is_empty() {
            String::new()
        } else {
            format!("/{}", parts.join("/"))
        }
    }
}
