//! Binary snapshots of a parse, so that a file whose text has not changed need not be parsed
//! again (`lanes_model`'s parse cache stores them, keyed by a hash of the text).
//!
//! A snapshot holds the node arenas of a [`ParsedFile`] but not its text: [`decode`] is given the
//! text again and checks every offset, id and length against it, so a truncated or corrupted
//! snapshot yields `None` (the caller then parses), never a panic or a wrong tree. Only clean
//! parses are snapshotted: files with errors or aliases are always parsed, which keeps located
//! errors and alias-expansion limits in one place, the parser.

use std::sync::Arc;

use crate::doc::{Document, Node, NodeId, NodeKind, ParsedFile, ScalarStyle, ScalarValue};
use crate::source::SourceFile;
use crate::MAX_NESTING;

/// Version of the snapshot layout; part of every cache key, so a change invalidates old entries.
pub const FORMAT: u32 = 1;

const NONE: u32 = u32::MAX;

/// Snapshot a clean parse. `None` when the file has errors, notes or aliases, or a document is too
/// large for 32-bit offsets; those files are parsed every time.
pub fn encode(parsed: &ParsedFile) -> Option<Vec<u8>> {
    if parsed.has_errors() || !parsed.notes.is_empty() || parsed.docs.iter().any(|d| d.has_aliases)
    {
        return None;
    }
    let text_len = parsed.source.text().len();
    u32::try_from(text_len).ok().filter(|l| *l != NONE)?;
    let mut out = Vec::with_capacity(text_len * 2);
    put(&mut out, parsed.docs.len() as u32);
    for doc in &parsed.docs {
        put(&mut out, doc.marker.map_or(NONE, |m| m as u32));
        put(&mut out, doc.root.unwrap_or(NONE));
        put(&mut out, doc.nodes.len() as u32);
        for node in &doc.nodes {
            encode_node(&mut out, node);
        }
    }
    Some(out)
}

fn put(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

// Node layout: tag byte, then range start and end, then the kind's payload, then the value.
// tag bits 0-1 kind (0 scalar, 1 seq, 2 map), bit 2 flow, bit 3 anchored, bit 4 tagged,
// bits 5-6 value (0 none, 1 slice, 2 owned); for scalars a second byte holds the style.
fn encode_node(out: &mut Vec<u8>, node: &Node) {
    let (kind, flow) = match &node.kind {
        NodeKind::Scalar { .. } => (0u8, false),
        NodeKind::Seq { flow, .. } => (1, *flow),
        NodeKind::Map { flow, .. } => (2, *flow),
        NodeKind::Alias { .. } => unreachable!("documents with aliases are not snapshotted"),
    };
    let value = match node.value {
        ScalarValue::None => 0u8,
        ScalarValue::Slice(..) => 1,
        ScalarValue::Owned(_) => 2,
    };
    out.push(
        kind | u8::from(flow) << 2
            | u8::from(node.anchored) << 3
            | u8::from(node.tagged) << 4
            | value << 5,
    );
    put(out, node.range.start as u32);
    put(out, node.range.end as u32);
    match &node.kind {
        NodeKind::Scalar { style } => out.push(style_code(*style)),
        NodeKind::Seq { items, .. } => {
            put(out, items.len() as u32);
            for i in items {
                put(out, *i);
            }
        }
        NodeKind::Map { entries, .. } => {
            put(out, entries.len() as u32);
            for (k, v) in entries {
                put(out, *k);
                put(out, *v);
            }
        }
        NodeKind::Alias { .. } => {}
    }
    match &node.value {
        ScalarValue::None => {}
        ScalarValue::Slice(start, len) => {
            put(out, *start);
            put(out, *len);
        }
        ScalarValue::Owned(s) => {
            put(out, s.len() as u32);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

fn style_code(s: ScalarStyle) -> u8 {
    match s {
        ScalarStyle::Plain => 0,
        ScalarStyle::SingleQuoted => 1,
        ScalarStyle::DoubleQuoted => 2,
        ScalarStyle::Literal => 3,
        ScalarStyle::Folded => 4,
    }
}

fn style_of(c: u8) -> Option<ScalarStyle> {
    Some(match c {
        0 => ScalarStyle::Plain,
        1 => ScalarStyle::SingleQuoted,
        2 => ScalarStyle::DoubleQuoted,
        3 => ScalarStyle::Literal,
        4 => ScalarStyle::Folded,
        _ => return None,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn u8(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.bytes.get(self.at..self.at.checked_add(4)?)?;
        self.at += 4;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A count of items that each take at least `min_bytes`, checked against what is left so a
    /// corrupt count cannot make us reserve a huge vector.
    fn count(&mut self, min_bytes: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.checked_mul(min_bytes)? <= self.bytes.len() - self.at).then_some(n)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let b = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(b)
    }
}

/// Rebuild a parse from its snapshot and the file's text. `None` if the snapshot does not fit
/// the text exactly (any offset out of range or off a character boundary, any id out of range,
/// a node with no parent or two, nesting deeper than the parser allows, trailing bytes).
pub fn decode(source: SourceFile, bytes: &[u8]) -> Option<ParsedFile> {
    decode_or_return(source, bytes).ok()
}

/// [`decode`], handing the source back when the snapshot is refused, so the caller can parse
/// it without copying the text.
pub fn decode_or_return(source: SourceFile, bytes: &[u8]) -> Result<ParsedFile, SourceFile> {
    match decode_docs(&source, bytes) {
        Some(docs) => Ok(ParsedFile {
            source,
            docs,
            errors: Vec::new(),
            notes: Vec::new(),
        }),
        None => Err(source),
    }
}

fn decode_docs(source: &SourceFile, bytes: &[u8]) -> Option<Vec<Document>> {
    let shared: Arc<str> = source.shared_text();
    let text: &str = &shared;
    let mut r = Reader { bytes, at: 0 };
    let ndocs = r.count(12)?;
    let mut docs = Vec::with_capacity(ndocs);
    for index in 0..ndocs {
        let marker = match r.u32()? {
            NONE => None,
            m => Some(offset(text, m)?),
        };
        let root = match r.u32()? {
            NONE => None,
            id => Some(id),
        };
        let n = r.count(10)?;
        let mut nodes: Vec<Node> = Vec::with_capacity(n);
        for _ in 0..n {
            nodes.push(decode_node(&mut r, text, n)?);
        }
        link(&mut nodes, root)?;
        docs.push(Document {
            index,
            marker,
            root,
            nodes,
            has_aliases: false,
            text: Arc::clone(&shared),
        });
    }
    (r.at == bytes.len()).then_some(docs)
}

fn offset(text: &str, at: u32) -> Option<usize> {
    let at = at as usize;
    text.is_char_boundary(at).then_some(at)
}

fn decode_node(r: &mut Reader<'_>, text: &str, n: usize) -> Option<Node> {
    let tag = r.u8()?;
    if tag & 0x80 != 0 {
        return None;
    }
    let start = offset(text, r.u32()?)?;
    let end = offset(text, r.u32()?)?;
    if start > end {
        return None;
    }
    let flow = tag & 0b100 != 0;
    let id = |v: u32| ((v as usize) < n).then_some(v);
    let kind = match tag & 0b11 {
        0 => NodeKind::Scalar {
            style: style_of(r.u8()?)?,
        },
        1 => {
            let len = r.count(4)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(id(r.u32()?)?);
            }
            NodeKind::Seq { items, flow }
        }
        2 => {
            let len = r.count(8)?;
            let mut entries = Vec::with_capacity(len);
            for _ in 0..len {
                entries.push((id(r.u32()?)?, id(r.u32()?)?));
            }
            NodeKind::Map { entries, flow }
        }
        _ => return None,
    };
    let value = match (tag >> 5) & 0b11 {
        0 => ScalarValue::None,
        1 => {
            let s = offset(text, r.u32()?)?;
            let len = r.u32()?;
            let e = s.checked_add(len as usize)?;
            if e > text.len() || !text.is_char_boundary(e) {
                return None;
            }
            ScalarValue::Slice(s as u32, len)
        }
        2 => {
            let len = r.count(1)?;
            let s = std::str::from_utf8(r.take(len)?).ok()?;
            ScalarValue::Owned(s.into())
        }
        _ => return None,
    };
    Some(Node {
        kind,
        range: start..end,
        parent: None,
        anchored: tag & 0b1000 != 0,
        tagged: tag & 0b1_0000 != 0,
        value,
    })
}

/// Set every node's parent from the child lists, checking that the arena is a tree rooted at
/// `root`: children come after their collection (as the parser numbers them, which rules out
/// cycles), every node but the root has exactly one parent, and nesting stays within
/// [`MAX_NESTING`].
fn link(nodes: &mut [Node], root: Option<NodeId>) -> Option<()> {
    let mut depth = vec![0usize; nodes.len()];
    for id in 0..nodes.len() {
        // Children come after their collection, so they are all in `tail`.
        let (head, tail) = nodes.split_at_mut(id + 1);
        let d = depth[id] + 1;
        let mut adopt = |c: NodeId| -> Option<()> {
            let c = c as usize;
            if c <= id || Some(c as NodeId) == root || d > MAX_NESTING + 1 {
                return None;
            }
            let child = &mut tail[c - id - 1];
            if child.parent.is_some() {
                return None;
            }
            child.parent = Some(id as NodeId);
            depth[c] = d;
            Some(())
        };
        match &head[id].kind {
            NodeKind::Seq { items, .. } => {
                for c in items {
                    adopt(*c)?;
                }
            }
            NodeKind::Map { entries, .. } => {
                for (k, v) in entries {
                    adopt(*k)?;
                    adopt(*v)?;
                }
            }
            _ => {}
        }
    }
    let orphans = nodes.iter().filter(|n| n.parent.is_none()).count();
    match root {
        Some(r) if (r as usize) < nodes.len() && nodes[r as usize].parent.is_none() => {
            (orphans == 1).then_some(())
        }
        None => nodes.is_empty().then_some(()),
        Some(_) => None,
    }
}
