//! YAML nodes as a `jsonschema` value representation, so a document can be checked with
//! `is_valid` without first building a `serde_json::Value` for it.
//!
//! Each accessor answers what [`lanes_yaml::to_json`] would have produced for the node: the same
//! scalar policy (`NodeRef::scalar`, non-finite floats as their text), the same key names (the
//! key's scalar text, else its byte range), aliases followed. Two things `to_json` does are not
//! mirrored, so callers must only use this for documents that have neither: `<<` merge keys
//! (applied by `to_json`) and repeated keys (`to_json` keeps the last value once; here `len` and
//! `members` would count both). See [`usable`].

use std::borrow::Cow;

use jsonschema::json::{Array, Json, Node, NodeIdentity, Object};
use jsonschema::JsonType;
use lanes_yaml::{Document, NodeId, NodeKind, NodeRef, ParsedFile, Scalar, YamlErrorKind};
use serde_json::{Number, Value};

/// Whether document `doc` of `file` can be validated through [`Yaml`] with the same outcome
/// as through its `to_json` value: no aliases, no `<<` anywhere in its text (merge keys), and
/// no repeated key in the file (the parser reports every mapping that repeats a key).
pub(crate) fn usable(file: &ParsedFile, doc: usize) -> bool {
    let d = &file.docs[doc];
    if d.has_aliases() {
        return false;
    }
    if file
        .errors
        .iter()
        .any(|e| matches!(e.kind, YamlErrorKind::DuplicateKey { .. }))
    {
        return false;
    }
    let text = file.source.text();
    text.get(d.content_range())
        .is_some_and(|content| !content.contains("<<"))
}

/// The representation marker.
pub(crate) struct Yaml;

impl Json for Yaml {
    type Node<'a> = YNode<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>(_: &mut (), string: &str, f: impl FnOnce(YNode<'_>) -> T) -> T {
        f(YNode {
            node: None,
            value: YValue::String(string),
        })
    }
}

/// One value: the YAML node it comes from (none for property names) and its JSON reading.
#[derive(Clone, Debug)]
pub(crate) struct YNode<'a> {
    node: Option<NodeRef<'a>>,
    value: YValue<'a>,
}

#[derive(Clone, Debug)]
enum YValue<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(&'a str),
    Array,
    Object,
}

impl<'a> YNode<'a> {
    /// The JSON reading of a node, as `lanes_yaml::to_json` converts it.
    pub(crate) fn of(node: NodeRef<'a>) -> YNode<'a> {
        let node = node.resolve();
        let value = match node.kind() {
            NodeKind::Scalar { .. } => match node.scalar() {
                Some(Scalar::Null) | None => YValue::Null,
                Some(Scalar::Bool(b)) => YValue::Bool(b),
                Some(Scalar::Int(i)) => YValue::Number(i.into()),
                Some(Scalar::Float(f)) => match Number::from_f64(f) {
                    Some(n) => YValue::Number(n),
                    None => YValue::String(node.scalar_text().unwrap_or("")),
                },
                Some(Scalar::Str(s)) => YValue::String(s),
            },
            NodeKind::Seq { .. } => YValue::Array,
            NodeKind::Map { .. } => YValue::Object,
            NodeKind::Alias { .. } => YValue::Null,
        };
        YNode {
            node: Some(node),
            value,
        }
    }
}

/// A key's name as `to_json` writes it.
fn key_name(k: NodeRef<'_>) -> Cow<'_, str> {
    match k.scalar_text() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(format!("{:?}", k.range())),
    }
}

impl<'a> Node<'a, Yaml> for YNode<'a> {
    type Object = YObject<'a>;
    type Array = YArray<'a>;
    type Number = Number;

    fn as_object(&self) -> Option<YObject<'a>> {
        match (&self.value, self.node) {
            (YValue::Object, Some(n)) => Some(YObject(n)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<YArray<'a>> {
        match (&self.value, self.node) {
            (YValue::Array, Some(n)) => Some(YArray(n)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self.value {
            YValue::String(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number> {
        match &self.value {
            YValue::Number(n) => Some(n.clone()),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value {
            YValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.value, YValue::Null)
    }

    fn is_number(&self) -> bool {
        matches!(self.value, YValue::Number(_))
    }

    fn json_type(&self) -> JsonType {
        match self.value {
            YValue::Null => JsonType::Null,
            YValue::Bool(_) => JsonType::Boolean,
            YValue::Number(_) => JsonType::Number,
            YValue::String(_) => JsonType::String,
            YValue::Array => JsonType::Array,
            YValue::Object => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &Value) -> bool {
        match (&self.value, expected) {
            (YValue::String(s), Value::String(e)) => s == e,
            _ => jsonschema::json::cmp::equal(&self.to_value(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(match (&self.value, self.node) {
            (YValue::Null, _) => Value::Null,
            (YValue::Bool(b), _) => Value::Bool(*b),
            (YValue::Number(n), _) => Value::Number(n.clone()),
            (YValue::String(s), _) => Value::String((*s).to_string()),
            (YValue::Array | YValue::Object, Some(n)) => {
                lanes_yaml::to_json(n).unwrap_or(Value::Null)
            }
            (YValue::Array | YValue::Object, None) => Value::Null,
        })
    }

    fn identity(&self) -> Option<NodeIdentity> {
        self.node
            .map(|n| NodeIdentity::tagged(std::ptr::from_ref::<Document>(n.doc) as usize, n.id))
    }
}

/// The entries of a mapping node (through an alias), empty for anything else.
fn map_entries<'a>(node: NodeRef<'a>) -> &'a [(NodeId, NodeId)] {
    match node.resolve().kind() {
        NodeKind::Map { entries, .. } => entries,
        _ => &[],
    }
}

/// A mapping node.
#[derive(Clone, Debug)]
pub(crate) struct YObject<'a>(NodeRef<'a>);

impl<'a> Object<'a, Yaml> for YObject<'a> {
    type Node = YNode<'a>;
    type MemberName = Cow<'a, str>;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        map_entries(self.0).len()
    }

    fn get(&self, key: &Box<str>) -> Option<YNode<'a>> {
        let doc = self.0.doc;
        // The last entry wins, as in `to_json` (and `NodeRef::get`).
        map_entries(self.0)
            .iter()
            .rev()
            .find(|(k, _)| key_name(doc.at(*k)) == **key)
            .map(|(_, v)| YNode::of(doc.at(*v)))
    }

    fn members(&self) -> Members<'a> {
        Members {
            doc: self.0.doc,
            entries: map_entries(self.0).iter(),
        }
    }
}

/// Iterator over a mapping's members.
pub(crate) struct Members<'a> {
    doc: &'a Document,
    entries: std::slice::Iter<'a, (NodeId, NodeId)>,
}

impl<'a> Iterator for Members<'a> {
    type Item = (Cow<'a, str>, YNode<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let (k, v) = self.entries.next()?;
        Some((key_name(self.doc.at(*k)), YNode::of(self.doc.at(*v))))
    }
}

/// A sequence node.
#[derive(Clone, Debug)]
pub(crate) struct YArray<'a>(NodeRef<'a>);

impl<'a> YArray<'a> {
    fn items(&self) -> &'a [NodeId] {
        match self.0.resolve().kind() {
            NodeKind::Seq { items, .. } => items,
            _ => &[],
        }
    }
}

impl<'a> Array<'a, Yaml> for YArray<'a> {
    type Node = YNode<'a>;
    type ElementsIter = Elements<'a>;

    fn len(&self) -> usize {
        self.items().len()
    }

    fn elements(&self) -> Elements<'a> {
        Elements {
            doc: self.0.doc,
            items: self.items().iter(),
        }
    }
}

/// Iterator over a sequence's items.
pub(crate) struct Elements<'a> {
    doc: &'a Document,
    items: std::slice::Iter<'a, NodeId>,
}

impl<'a> Iterator for Elements<'a> {
    type Item = YNode<'a>;

    fn next(&mut self) -> Option<YNode<'a>> {
        self.items.next().map(|id| YNode::of(self.doc.at(*id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SCHEMAS;

    /// Every usable document of `index`, checked against every schema (not only its own, to
    /// reach more failing paths): the direct check agrees with `is_valid` on `to_json`.
    fn assert_agree(index: &lanes_model::Index) -> usize {
        let mut checked = 0;
        for s in SCHEMAS {
            let json: Value = serde_json::from_str(s.text).unwrap();
            let serde = jsonschema::validator_for(&json).unwrap();
            let yaml = jsonschema::options_for::<Yaml>().build(&json).unwrap();
            for file in &index.files {
                for (di, doc) in file.docs.iter().enumerate() {
                    let Some(root) = doc.root() else { continue };
                    let Ok(value) = lanes_yaml::to_json(root) else {
                        continue;
                    };
                    if !usable(file, di) {
                        continue;
                    }
                    assert_eq!(
                        yaml.is_valid(YNode::of(root)),
                        serde.is_valid(&value),
                        "{} document {di} against {}",
                        file.source.name(),
                        s.name
                    );
                    checked += 1;
                }
            }
        }
        checked
    }

    #[test]
    fn agrees_with_serde_json_on_the_fixtures() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures");
        let index = lanes_model::load::load(&[dir.into()]);
        assert!(assert_agree(&index) > 1000);
    }

    #[test]
    fn agrees_with_serde_json_on_odd_scalars_and_keys() {
        let docs = [
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: 1.0\n  selector: {matchLabels: {app: a}}\n  template: {metadata: {labels: {app: a}}}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: .inf\n  selector: {}\n  template: {}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: .nan\n  selector: {}\n  template: {}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: 0x10\n  selector: {}\n  template: {}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: 1e3\n  selector: {}\n  template: {}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: '3'\n  selector: {}\n  template: {}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ~}\nspec:\n  replicas:\n  selector: {}\n  template: {}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: 12}\nspec: {paused: True, selector: {}, template: {}}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {paused: yes, selector: {}, template: {}}\n",
            "\"apiVersion\": apps/v1\n'kind': \"Deploy\\x6dent\"\nmetadata: {\"n\\x61me\": a}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n? [x, y]\n: 1\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n? {x: y}\n: 1\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  labels: {a: 1, b: true, c: null, d: 1.5}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  annotations: {a: |\n    text\n  }\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  annotations:\n    a: >-\n      folded\n      text\n",
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80, targetPort: http}, {port: \"80\"}, {port: -1}, {port: 99999999999999999999}]\n",
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: [1, 2]\n",
            "- a\n- b\n",
            "just a string\n",
            "42\n",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [a, 1, ~]\n  http:\n  - route:\n    - destination: {host: a, port: {number: 4294967296}}\n      weight: 100.0\n",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, \"\": x}\nspec: {hosts: [], \"\": 1, ~: 2}\n",
        ];
        let index = lanes_model::Index::from_texts(
            docs.iter()
                .enumerate()
                .map(|(i, t)| (format!("d{i}.yaml"), (*t).to_string())),
        );
        assert!(assert_agree(&index) >= docs.len() * SCHEMAS.len() / 2);
    }

    #[test]
    fn merges_aliases_and_repeated_keys_are_not_usable() {
        let index = lanes_model::Index::from_texts([
            ("a.yaml", "a: &x 1\nb: *x\n"),
            ("m.yaml", "a: 1\n<<: {b: 2}\n"),
            ("d.yaml", "a: 1\na: 2\n---\nb: 1\n"),
            ("ok.yaml", "a: 1\n---\nb: 2\n"),
        ]);
        let usable: Vec<bool> = index
            .files
            .iter()
            .flat_map(|f| (0..f.docs.len()).map(move |d| usable(f, d)))
            .collect();
        assert_eq!(usable, vec![false, false, false, false, true, true]);
    }
}
