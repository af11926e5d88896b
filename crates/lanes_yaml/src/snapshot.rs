//! Binary snapshots of a parse, so that a file whose text has not changed need not be parsed
//! again (`lanes_model`'s parse cache stores them, keyed by a hash of the text).
//!
//! A snapshot holds the node arenas of a [`ParsedFile`] but not its text: [`decode`] is given the
//! text again and checks every offset, id and length against it, so a truncated or corrupted
//! snapshot yields `None` (the caller then parses), never a panic or a wrong tree. Only clean
//! parses are snapshotted: files with errors or aliases are always parsed, which keeps located
//! errors and alias-expansion limits in one place, the parser.

use std::sync::Arc;

use crate::doc::{
    Document, Node, NodeId, ParsedFile, ANCHORED, FLOW, KIND_ALIAS, KIND_SCALAR, NO_NODE, TAGGED,
    VALUE_OWNED, VALUE_SHIFT, VALUE_SLICE,
};
use crate::source::SourceFile;
use crate::MAX_NESTING;

/// Version of the snapshot layout; part of every cache key, so a change invalidates old entries.
/// 2: the compact arena (24-byte nodes, child tables, side table of decoded values).
pub const FORMAT: u32 = 2;

const NONE: u32 = u32::MAX;

/// Bytes of one node record: start, end, payload a and b, bits, style.
const NODE_BYTES: usize = 18;

/// Snapshot a clean parse. `None` when the file has errors, notes or aliases, or a document is too
/// large for 32-bit offsets; those files are parsed every time.
pub fn encode(parsed: &ParsedFile) -> Option<Vec<u8>> {
    if parsed.has_errors() || !parsed.notes.is_empty() || parsed.docs.iter().any(|d| d.has_aliases)
    {
        return None;
    }
    let text_len = parsed.source.text().len();
    u32::try_from(text_len).ok().filter(|l| *l != NONE)?;
    let size: usize = parsed
        .docs
        .iter()
        .map(|d| {
            24 + d.nodes.len() * NODE_BYTES
                + d.items.len() * 4
                + d.entries.len() * 8
                + d.owned.iter().map(|s| s.len() + 4).sum::<usize>()
        })
        .sum();
    let mut out = Vec::with_capacity(4 + size);
    put(&mut out, parsed.docs.len() as u32);
    for doc in &parsed.docs {
        put(&mut out, doc.marker.map_or(NONE, |m| m as u32));
        put(&mut out, doc.root.unwrap_or(NONE));
        put(&mut out, doc.nodes.len() as u32);
        put(&mut out, doc.items.len() as u32);
        put(&mut out, doc.entries.len() as u32);
        put(&mut out, doc.owned.len() as u32);
        for n in &doc.nodes {
            put(&mut out, n.start);
            put(&mut out, n.end);
            put(&mut out, n.a);
            put(&mut out, n.b);
            out.push(n.bits);
            out.push(n.style);
        }
        for i in &doc.items {
            put(&mut out, *i);
        }
        for (k, v) in &doc.entries {
            put(&mut out, *k);
            put(&mut out, *v);
        }
        for o in &doc.owned {
            put(&mut out, o.len() as u32);
            out.extend_from_slice(o.as_bytes());
        }
    }
    Some(out)
}

fn put(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
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
    let ndocs = r.count(24)?;
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
        let n = r.count(NODE_BYTES)?;
        let nitems = r.count(4)?;
        let nentries = r.count(8)?;
        let nowned = r.count(4)?;
        let mut nodes: Vec<Node> = Vec::with_capacity(n);
        for _ in 0..n {
            nodes.push(decode_node(&mut r, text)?);
        }
        let id = |v: u32| ((v as usize) < n).then_some(v);
        let mut items = Vec::with_capacity(nitems);
        for _ in 0..nitems {
            items.push(id(r.u32()?)?);
        }
        let mut entries = Vec::with_capacity(nentries);
        for _ in 0..nentries {
            entries.push((id(r.u32()?)?, id(r.u32()?)?));
        }
        let mut owned = Vec::with_capacity(nowned);
        for _ in 0..nowned {
            let len = r.count(1)?;
            owned.push(Box::<str>::from(std::str::from_utf8(r.take(len)?).ok()?));
        }
        // Payloads: values and child runs inside their tables.
        for node in &nodes {
            let end = node.a.checked_add(node.b)? as usize;
            let fits = match node.kind_code() {
                KIND_SCALAR => match node.value_code() {
                    VALUE_SLICE => {
                        end <= text.len()
                            && text.is_char_boundary(node.a as usize)
                            && text.is_char_boundary(end)
                    }
                    VALUE_OWNED => (node.a as usize) < owned.len() && node.b == 0,
                    _ => false,
                },
                crate::doc::KIND_SEQ => end <= items.len(),
                _ => end <= entries.len(),
            };
            if !fits {
                return None;
            }
        }
        let doc = Document {
            index,
            marker,
            root,
            nodes,
            items,
            entries,
            owned,
            has_aliases: false,
            text: Arc::clone(&shared),
        };
        docs.push(link(doc)?);
    }
    (r.at == bytes.len()).then_some(docs)
}

fn offset(text: &str, at: u32) -> Option<usize> {
    let at = at as usize;
    text.is_char_boundary(at).then_some(at)
}

fn decode_node(r: &mut Reader<'_>, text: &str) -> Option<Node> {
    let start = r.u32()?;
    let end = r.u32()?;
    offset(text, start)?;
    offset(text, end)?;
    if start > end {
        return None;
    }
    let a = r.u32()?;
    let b = r.u32()?;
    let bits = r.u8()?;
    let style = r.u8()?;
    let kind = bits & 0b11;
    let value = (bits >> VALUE_SHIFT) & 0b11;
    // Only what the parser makes: no aliases (never snapshotted), values only on scalars,
    // flow only on collections, a known style only on scalars.
    let known = FLOW | ANCHORED | TAGGED | 0b11 | 0b11 << VALUE_SHIFT;
    let canonical = bits & !known == 0
        && kind != KIND_ALIAS
        && if kind == KIND_SCALAR {
            bits & FLOW == 0 && style <= 4 && matches!(value, VALUE_SLICE | VALUE_OWNED)
        } else {
            value == 0 && style == 0
        };
    canonical.then_some(Node {
        start,
        end,
        parent: NO_NODE,
        a,
        b,
        bits,
        style,
    })
}

/// Set every node's parent from the child lists, checking that the arena is a tree rooted at
/// `root`: children come after their collection (as the parser numbers them, which rules out
/// cycles), every node but the root has exactly one parent, and nesting stays within
/// [`MAX_NESTING`].
fn link(mut doc: Document) -> Option<Document> {
    let root = doc.root;
    let n = doc.nodes.len();
    let mut depth = vec![0usize; n];
    for id in 0..n {
        let d = depth[id] + 1;
        let node = doc.nodes[id];
        let span = node.a as usize..(node.a + node.b) as usize;
        let children: &mut dyn Iterator<Item = NodeId> = match node.kind_code() {
            KIND_SCALAR => continue,
            crate::doc::KIND_SEQ => &mut doc.items[span].iter().copied(),
            _ => &mut doc.entries[span].iter().flat_map(|(k, v)| [*k, *v]),
        };
        for c in children {
            let c = c as usize;
            if c <= id || Some(c as NodeId) == root || d > MAX_NESTING + 1 {
                return None;
            }
            let child = &mut doc.nodes[c];
            if child.parent != NO_NODE {
                return None;
            }
            child.parent = id as NodeId;
            depth[c] = d;
        }
    }
    let orphans = doc.nodes.iter().filter(|n| n.parent == NO_NODE).count();
    let ok = match root {
        Some(r) if (r as usize) < n && doc.nodes[r as usize].parent == NO_NODE => orphans == 1,
        None => n == 0,
        Some(_) => false,
    };
    ok.then_some(doc)
}
