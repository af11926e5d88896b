//! Conversion of a node to `serde_json::Value` under one scalar policy, with a budget.

use serde_json::{Map, Number, Value};

use crate::doc::{NodeKind, NodeRef, MAX_EXPANDED_NODES, MAX_NESTING};
use crate::scalar::Scalar;

/// Why a node could not be converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Expansion through aliases exceeded the node budget or nesting limit.
    TooLarge,
}

/// Convert a node (and everything under it) to JSON.
///
/// Keys that are not scalars are rendered as their source text. `<<` merge keys are applied.
pub fn to_json(node: NodeRef<'_>) -> Result<Value, JsonError> {
    let mut budget = MAX_EXPANDED_NODES;
    convert(node, 0, &mut budget)
}

fn convert(node: NodeRef<'_>, depth: usize, budget: &mut u64) -> Result<Value, JsonError> {
    if depth > MAX_NESTING * 2 || *budget == 0 {
        return Err(JsonError::TooLarge);
    }
    *budget -= 1;
    let node = node.resolve();
    Ok(match node.kind() {
        NodeKind::Scalar { .. } => match node.scalar() {
            Some(Scalar::Null) | None => Value::Null,
            Some(Scalar::Bool(b)) => Value::Bool(b),
            Some(Scalar::Int(i)) => Value::Number(i.into()),
            Some(Scalar::Float(f)) => Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or_else(|| Value::String(node.scalar_text().unwrap_or("").into())),
            Some(Scalar::Str(s)) => Value::String(s.into()),
        },
        NodeKind::Seq { .. } => {
            let mut out = Vec::with_capacity(node.len());
            for item in node.items() {
                out.push(convert(item, depth + 1, budget)?);
            }
            Value::Array(out)
        }
        NodeKind::Map { .. } => {
            let mut out = Map::new();
            let mut merges = Vec::new();
            for (k, v) in node.entries() {
                let key = match k.scalar_text() {
                    Some("<<") if k.scalar_style() == Some(crate::ScalarStyle::Plain) => {
                        merges.push(v);
                        continue;
                    }
                    Some(s) => s.to_string(),
                    // A complex key (`{{ .Values.x }}` in a Helm template reads as a flow
                    // mapping): its source text, on one line, so messages quote what the
                    // user wrote and the same key reads alike whatever the line endings.
                    None => k
                        .doc
                        .text
                        .get(k.range())
                        .unwrap_or("")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                let value = convert(v, depth + 1, budget)?;
                out.insert(key, value);
            }
            for m in merges {
                let sources: Vec<NodeRef<'_>> = if m.is_seq() {
                    m.items().collect()
                } else {
                    vec![m]
                };
                for src in sources {
                    if let Value::Object(extra) = convert(src, depth + 1, budget)? {
                        for (k, v) in extra {
                            out.entry(k).or_insert(v);
                        }
                    }
                }
            }
            Value::Object(out)
        }
        NodeKind::Alias { .. } => Value::Null,
    })
}
