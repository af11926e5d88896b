//! `lanes_yaml`: the source layer of lanes.
//!
//! * [`SourceFile`]: exact text, line index, line-ending style.
//! * [`parse`]: a lossless multi-document parse into per-document node arenas; every mapping,
//!   sequence, scalar and key carries its byte range. Broken documents become located
//!   [`YamlError`]s and the other documents of the file are kept.
//! * [`edit`]: byte-splice edits (set a scalar in its own style, append or remove a sequence
//!   item, append or remove a document) that leave every other byte alone.
//!
//! This is the only crate of the workspace that names the YAML parser.
#![warn(missing_docs)]

mod compat;
mod doc;
pub mod edit;
pub mod floor;
mod json;
mod lenient;
pub mod scalar;
pub mod snapshot;
mod source;

pub use doc::{
    parse, Document, Node, NodeId, NodeKind, NodeRef, ParsedFile, ScalarStyle, YamlError,
    YamlErrorKind, YamlNote, YamlNoteKind, MAX_EXPANDED_NODES, MAX_FILE_BYTES, MAX_NESTING,
};
pub use json::{to_json, JsonError};
pub use scalar::Scalar;
pub use source::{Encoding, Eol, LineCol, NotUtf8, SourceFile};

/// Parse text directly (convenience for tests and in-memory checks).
pub fn parse_str(name: &str, text: &str) -> ParsedFile {
    parse(SourceFile::new(name, text))
}
