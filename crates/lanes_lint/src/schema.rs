//! JSON Schema validation of every modeled document against the schemas in `schemas/`.
//!
//! The schemas are embedded at build time and compiled once per process. Each document is
//! first checked in place through its YAML nodes ([`crate::yaml_json`]); only documents that
//! fail are converted to JSON (one scalar policy, with the alias budget of `lanes_yaml`) and
//! validated again to collect the errors. Errors are mapped back to YAML spans with
//! the instance path (an RFC 6901 pointer).

use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde_json::Value;

use lanes_model::cache::ParseCache;
use lanes_model::{Index, Kind, ResIdx};
use lanes_yaml::{NodeKind, NodeRef};

use crate::yaml_json::{self, YNode, Yaml};

/// One embedded schema: its file stem and its text.
#[derive(Debug)]
pub struct EmbeddedSchema {
    /// File stem in `schemas/` (`virtualservice`).
    pub name: &'static str,
    /// The `kind:` values it describes.
    pub kinds: &'static [&'static str],
    /// The JSON text.
    pub text: &'static str,
}

macro_rules! embed {
    ($name:literal, [$($kind:literal),+]) => {
        EmbeddedSchema {
            name: $name,
            kinds: &[$($kind),+],
            text: include_str!(concat!("../schemas/", $name, ".schema.json")),
        }
    };
}

/// Every embedded resource schema.
pub static SCHEMAS: &[EmbeddedSchema] = &[
    embed!("asmswimlanegroup", ["ASMSwimLaneGroup"]),
    embed!("asmswimlane", ["ASMSwimLane"]),
    embed!("virtualservice", ["VirtualService"]),
    embed!("destinationrule", ["DestinationRule"]),
    embed!("gateway", ["Gateway"]),
    embed!("deployment", ["Deployment"]),
    embed!("service", ["Service"]),
    embed!("namespace", ["Namespace"]),
    embed!("rollout", ["Rollout"]),
    embed!(
        "analysistemplate",
        ["AnalysisTemplate", "ClusterAnalysisTemplate"]
    ),
    embed!("application", ["Application"]),
    embed!("istiogateway", ["IstioGateway"]),
];

/// The schema of a kind name, case-insensitive (`virtualservice`, `ASMSwimLane`), or of a
/// schema file stem.
pub fn find(name: &str) -> Option<&'static EmbeddedSchema> {
    SCHEMAS.iter().find(|s| {
        s.name.eq_ignore_ascii_case(name) || s.kinds.iter().any(|k| k.eq_ignore_ascii_case(name))
    })
}

/// The schema of a classified kind. `Kind::classify` already requires `networking.istio.io`
/// for the Istio kinds, `argoproj.io` for the Argo kinds and so on.
fn schema_index(kind: Kind) -> Option<usize> {
    let name = match kind {
        Kind::SwimLaneGroup => "asmswimlanegroup",
        Kind::SwimLane => "asmswimlane",
        Kind::VirtualService => "virtualservice",
        Kind::DestinationRule => "destinationrule",
        Kind::Gateway => "gateway",
        Kind::Deployment => "deployment",
        Kind::Service => "service",
        Kind::Namespace => "namespace",
        Kind::Rollout => "rollout",
        Kind::AnalysisTemplate | Kind::ClusterAnalysisTemplate => "analysistemplate",
        Kind::Application => "application",
        Kind::IstioGateway => "istiogateway",
        Kind::Other => return None,
    };
    SCHEMAS.iter().position(|s| s.name == name)
}

struct Compiled {
    json: Value,
    /// Checks a document's YAML nodes directly (see [`crate::yaml_json`]); `None` if it did
    /// not compile, in which case every document goes through `serde_json`.
    yaml: Option<jsonschema::Validator<Yaml>>,
    /// Checks a `serde_json` value and reports the errors; built on first use, since most runs
    /// only need it for the few documents the YAML check rejects.
    serde: OnceLock<Option<jsonschema::Validator>>,
}

impl Compiled {
    fn serde(&self) -> Option<&jsonschema::Validator> {
        self.serde
            .get_or_init(|| jsonschema::validator_for(&self.json).ok())
            .as_ref()
    }
}

/// Compile one embedded schema (tests call this for every schema).
#[cfg(test)]
pub(crate) fn compile(s: &EmbeddedSchema) -> Result<(Value, jsonschema::Validator), String> {
    let json: Value =
        serde_json::from_str(s.text).map_err(|e| format!("{}.schema.json: {e}", s.name))?;
    let validator =
        jsonschema::validator_for(&json).map_err(|e| format!("{}.schema.json: {e}", s.name))?;
    Ok((json, validator))
}

fn compiled(i: usize) -> Option<&'static Compiled> {
    static CELLS: OnceLock<Vec<OnceLock<Option<Compiled>>>> = OnceLock::new();
    let cells = CELLS.get_or_init(|| SCHEMAS.iter().map(|_| OnceLock::new()).collect());
    cells[i]
        .get_or_init(|| {
            let s = &SCHEMAS[i];
            let json: Value = serde_json::from_str(s.text).ok()?;
            let yaml = jsonschema::options_for::<Yaml>().build(&json).ok();
            let serde = OnceLock::new();
            if yaml.is_none() {
                // Same compile as before: a schema that does not compile checks nothing.
                serde.set(Some(jsonschema::validator_for(&json).ok()?)).ok();
            }
            Some(Compiled { json, yaml, serde })
        })
        .as_ref()
}

/// What a schema violation is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViolationKind {
    /// A key the schema does not allow (`additionalProperties: false`).
    UnknownField {
        /// The key as written.
        key: String,
        /// The closest allowed key, if one is within edit distance 2.
        suggestion: Option<String>,
    },
    /// Any other violation (type, enum, required, pattern, ...).
    Invalid,
}

/// One schema violation located in a document.
#[derive(Clone, Debug)]
pub struct Violation {
    /// The resource.
    pub res: ResIdx,
    /// Byte range of the node at fault.
    pub range: Range<usize>,
    /// Message (lowercase, no trailing period).
    pub message: String,
    /// What kind of violation.
    pub kind: ViolationKind,
    /// Instance path (JSON pointer).
    pub pointer: String,
}

/// Validate every document of a modeled kind, in parallel per file.
pub fn validate(index: &Index) -> Vec<Violation> {
    validate_memo(index, &ParseCache::disabled())
}

/// Bump when the way documents are checked changes (not the schemas: they are hashed).
const VALIDATOR_REVISION: u32 = 2;

/// The fact recorded in the parse cache for a text whose every document passes its schema:
/// derived from the lanes version, [`VALIDATOR_REVISION`] and every embedded schema, so a
/// change to any of them invalidates it.
pub fn valid_fact() -> u128 {
    static FACT: OnceLock<u128> = OnceLock::new();
    *FACT.get_or_init(|| {
        let mut all = format!(
            "lanes_lint {} schema-valid rev {VALIDATOR_REVISION}\n",
            env!("CARGO_PKG_VERSION")
        );
        for s in SCHEMAS {
            all.push_str(s.name);
            all.push('\n');
            all.push_str(s.text);
        }
        lanes_model::cache::fact_id(&all)
    })
}

/// [`validate`], skipping files that `memo` records as valid and recording those found valid.
pub(crate) fn validate_memo(index: &Index, memo: &ParseCache) -> Vec<Violation> {
    let mut by_file: Vec<Vec<ResIdx>> = vec![Vec::new(); index.files.len()];
    for (ri, r) in index.resources.iter().enumerate() {
        if schema_index(r.kind).is_some() {
            by_file[r.file].push(ri);
        }
    }
    let mut out: Vec<Violation> = by_file
        .par_iter()
        .enumerate()
        .flat_map_iter(|(file, resources)| {
            let mut v = Vec::new();
            if resources.is_empty() {
                return v;
            }
            let text = index.files[file].source.text();
            if memo.has_fact(text, valid_fact()) {
                return v;
            }
            for &res in resources {
                validate_one(index, res, &mut v);
            }
            if v.is_empty() {
                memo.add_fact(text, valid_fact());
            }
            v
        })
        .collect();
    out.sort_by(|a, b| (a.res, a.range.start, &a.message).cmp(&(b.res, b.range.start, &b.message)));
    out
}

fn validate_one(index: &Index, res: ResIdx, out: &mut Vec<Violation>) {
    let Some(si) = schema_index(index.resources[res].kind) else {
        return;
    };
    let Some(schema) = compiled(si) else { return };
    let root = index.root(res);
    let r = &index.resources[res];
    // Most documents are valid: check their nodes in place, and convert to JSON only the ones
    // that fail (or that the direct check cannot read exactly), to find and report the errors.
    if let Some(yaml) = &schema.yaml {
        if yaml_json::usable(&index.files[r.file], r.doc) && yaml.is_valid(YNode::of(root)) {
            return;
        }
    }
    let Some(validator) = schema.serde() else {
        return;
    };
    // Documents too large to expand are reported by LN005.
    let Ok(instance) = lanes_yaml::to_json(root) else {
        return;
    };
    if validator.is_valid(&instance) {
        return;
    }
    let doc = root.doc;
    // An item of a List: pointers are relative to the item, nodes are found from the document.
    let base = if r.item.is_some() {
        root.pointer()
    } else {
        String::new()
    };
    for err in validator.iter_errors(&instance) {
        let pointer = err.instance_path().as_str().to_string();
        let full = format!("{base}{pointer}");
        let node = deepest(doc, &full);
        match err.kind() {
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_properties(&schema.json, err.schema_path().as_str());
                for key in unexpected {
                    if pointer.is_empty() && key == "status" {
                        continue; // LN703 reports committed status.
                    }
                    let range = node
                        .and_then(|n| n.entry(key))
                        .map(|(k, _)| k.range())
                        .or_else(|| node.map(|n| key_range(n)))
                        .unwrap_or_else(|| root.range());
                    let suggestion = crate::did_you_mean(key, allowed.iter().map(String::as_str))
                        .map(str::to_string);
                    let at = if pointer.is_empty() {
                        "the top level".to_string()
                    } else {
                        format!("`{}`", dotted(&pointer))
                    };
                    out.push(Violation {
                        res,
                        range,
                        message: format!("unknown field `{key}` in {at}"),
                        kind: ViolationKind::UnknownField {
                            key: key.clone(),
                            suggestion,
                        },
                        pointer: format!("{full}/{key}"),
                    });
                }
            }
            jsonschema::error::ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or("?").to_string();
                let range = node.map(key_range).unwrap_or_else(|| root.range());
                let at = if pointer.is_empty() {
                    "the document".to_string()
                } else {
                    format!("`{}`", dotted(&pointer))
                };
                out.push(Violation {
                    res,
                    range,
                    message: format!("missing required field `{name}` in {at}"),
                    kind: ViolationKind::Invalid,
                    pointer: full.clone(),
                });
            }
            _ if skipped(err.instance()) => {}
            _ => {
                let range = node.map(|n| n.range()).unwrap_or_else(|| root.range());
                let path = if pointer.is_empty() {
                    "document".to_string()
                } else {
                    format!("`{}`", dotted(&pointer))
                };
                // The validator quotes the whole value; an alias can expand it to megabytes.
                let instance = err.instance().to_string();
                let mut text = err.to_string();
                if instance.len() > QUOTE_MAX {
                    text = text.replacen(&instance, &cap(&instance, QUOTE_MAX), 1);
                }
                out.push(Violation {
                    res,
                    range,
                    message: format!("{path}: {}", cap(&lowercase_first(&text), MESSAGE_MAX)),
                    kind: ViolationKind::Invalid,
                    pointer: full.clone(),
                });
            }
        }
    }
}

/// Values the schema rules do not judge: `null` (the API server prunes a null field, so it is
/// as good as absent) and unrendered template expressions (`"{{ .Values.weight }}"`).
fn skipped(instance: &Value) -> bool {
    match instance {
        Value::Null => true,
        Value::String(s) => s.contains("{{") || s.contains("${"),
        _ => false,
    }
}

/// The node at a pointer, or its deepest existing ancestor.
fn deepest<'a>(doc: &'a lanes_yaml::Document, pointer: &str) -> Option<NodeRef<'a>> {
    let mut p = pointer;
    loop {
        if let Some(n) = doc.pointer(p) {
            return Some(n);
        }
        p = &p[..p.rfind('/')?];
    }
}

/// Where to point for a whole mapping: the key it sits under, or its first key.
fn key_range(node: NodeRef<'_>) -> Range<usize> {
    if let Some(k) = node.key() {
        return k.range();
    }
    if let NodeKind::Map { entries, .. } = node.resolve().kind() {
        if let Some((k, _)) = entries.first() {
            return node.doc.at(*k).range();
        }
    }
    node.range()
}

/// `/spec/http/0/timout` → `spec.http[0].timout`.
fn dotted(pointer: &str) -> String {
    let mut s = String::new();
    for part in pointer.trim_start_matches('/').split('/') {
        let part = part.replace("~1", "/").replace("~0", "~");
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            s.push_str(&format!("[{part}]"));
        } else {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(&part);
        }
    }
    s
}

/// At most this many bytes of a value are quoted in a message.
pub(crate) const QUOTE_MAX: usize = 80;
/// And a whole schema message is at most this long.
const MESSAGE_MAX: usize = 240;

/// `s` cut to at most `max` bytes (at a character boundary), `…` marking the cut.
fn cap(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The `properties` names of the schema object holding an `additionalProperties` keyword.
fn allowed_properties(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    let mut cur = schema;
    for raw in parent
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
    {
        let part = raw.replace("~1", "/").replace("~0", "~");
        if part == "$ref" {
            let Some(r) = cur.get("$ref").and_then(Value::as_str) else {
                return Vec::new();
            };
            let Some(target) = r.strip_prefix('#').and_then(|p| schema.pointer(p)) else {
                return Vec::new();
            };
            cur = target;
            continue;
        }
        cur = match cur {
            Value::Object(m) => match m.get(&part) {
                Some(v) => v,
                None => return Vec::new(),
            },
            Value::Array(a) => match part.parse::<usize>().ok().and_then(|i| a.get(i)) {
                Some(v) => v,
                None => return Vec::new(),
            },
            _ => return Vec::new(),
        };
    }
    cur.get("properties")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schema_compiles() {
        for s in SCHEMAS {
            compile(s).unwrap_or_else(|e| panic!("{e}"));
        }
        let names: Vec<&str> = SCHEMAS.iter().map(|s| s.name).collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas");
        for e in std::fs::read_dir(dir).unwrap() {
            let f = e.unwrap().file_name().to_string_lossy().into_owned();
            if let Some(stem) = f.strip_suffix(".schema.json") {
                assert!(
                    names.contains(&stem) || stem == "lanes-toml" || stem == "kubernetes-lanes",
                    "schemas/{f} is not embedded"
                );
            }
        }
    }

    #[test]
    fn find_is_case_insensitive() {
        assert_eq!(find("virtualservice").unwrap().name, "virtualservice");
        assert_eq!(find("ASMSwimLane").unwrap().name, "asmswimlane");
        assert_eq!(
            find("clusteranalysistemplate").unwrap().name,
            "analysistemplate"
        );
        assert!(find("Pod").is_none());
    }

    #[test]
    fn violations_are_located() {
        let idx = Index::from_texts([(
            "a.yaml",
            "apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLaneGroup\nmetadata:\n  name: g\nspec:\n  isPermisive: true\n  services: []\n  ingress:\n    gateway: {name: g, namespace: istio-system, type: ASM}\n",
        )]);
        let v = validate(&idx);
        assert_eq!(v.len(), 1, "{v:?}");
        let src = &idx.files[0].source;
        assert_eq!(src.line_col(v[0].range.start).line, 6);
        assert_eq!(
            v[0].kind,
            ViolationKind::UnknownField {
                key: "isPermisive".into(),
                suggestion: Some("isPermissive".into())
            }
        );
        let idx = Index::from_texts([(
            "b.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination:\n        host: a\n      weight: \"10\"\n    timout: 1s\n",
        )]);
        let v = validate(&idx);
        let src = &idx.files[0].source;
        let lines: Vec<(usize, bool)> = v
            .iter()
            .map(|x| {
                (
                    src.line_col(x.range.start).line,
                    matches!(x.kind, ViolationKind::UnknownField { .. }),
                )
            })
            .collect();
        assert_eq!(lines, vec![(11, false), (12, true)], "{v:?}");
        assert!(
            matches!(&v[1].kind, ViolationKind::UnknownField { suggestion: Some(s), .. } if s == "timeout")
        );
    }

    #[test]
    fn messages_quote_at_most_a_capped_prefix_of_an_expanded_alias() {
        // A 1 KB file whose alias expands a long list where a string is needed.
        let mut text = String::from("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  labels:\n    big: &big [");
        for i in 0..60 {
            text.push_str(&format!("value-number-{i}, "));
        }
        text.push_str("end]\nspec:\n  hosts: [a]\n  gateways: [*big, *big, *big, *big]\n");
        let idx = Index::from_texts([("a.yaml", text.as_str())]);
        let v = validate(&idx);
        assert!(!v.is_empty());
        for x in &v {
            assert!(
                x.message.len() <= MESSAGE_MAX + 8,
                "{} bytes: {}",
                x.message.len(),
                x.message
            );
        }
        assert!(v.iter().any(|x| x.message.contains('…')), "{v:?}");
    }

    #[test]
    fn nulls_and_templates_are_not_judged() {
        let idx = Index::from_texts([(
            "d.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - timeout:\n    route:\n    - destination: {host: a}\n      weight: \"{{ .Values.weight }}\"\n",
        )]);
        assert!(validate(&idx).is_empty(), "{:?}", validate(&idx));
    }

    #[test]
    fn required_points_at_the_parent_key() {
        let idx = Index::from_texts([(
            "c.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - weight: 10\n",
        )]);
        let v = validate(&idx);
        assert!(!v.is_empty());
        let src = &idx.files[0].source;
        assert!(v[0].message.contains("`destination`"), "{v:?}");
        assert_eq!(src.line_col(v[0].range.start).line, 9);
    }
}
