//! The combined editor schema (`schemas/kubernetes-lanes.schema.json`, `lanes schema all`):
//! on every document of the bundled examples it agrees with the per-kind schema (no false
//! error on a multi-kind file), it finds a typo in every kind, and it leaves other kinds alone.

use std::path::Path;

use serde_json::{json, Value};

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).expect("schema compiles")
}

fn example_docs() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/examples");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let text = std::fs::read_to_string(&p).unwrap();
                let parsed = lanes_yaml::parse_str(&p.to_string_lossy(), &text);
                for doc in &parsed.docs {
                    if let Some(root) = doc.root() {
                        let v = lanes_yaml::to_json(root).unwrap();
                        out.push((format!("{}#{}", p.display(), doc.index), v));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn agrees_with_the_per_kind_schemas_and_finds_a_typo_in_every_kind() {
    let combined = validator(&lanes_lint::schema_combined::combined());
    let docs = example_docs();
    assert!(docs.len() >= 14);
    let mut kinds_seen = std::collections::BTreeSet::new();
    for (name, doc) in &docs {
        let kind = doc["kind"].as_str().unwrap_or("");
        let Some(own) = lanes_lint::schema::find(kind) else {
            assert!(combined.is_valid(doc), "{name}: {kind} is not checked");
            continue;
        };
        let own = validator(&serde_json::from_str(own.text).unwrap());
        assert_eq!(own.is_valid(doc), combined.is_valid(doc), "{name}");
        assert!(combined.is_valid(doc), "{name}: the examples are valid");
        // One typo in metadata (closed in every schema), and one in spec where there is one.
        let mut bad = doc.clone();
        bad["metadata"]["nmae"] = json!("x");
        assert!(!combined.is_valid(&bad), "{name}: metadata typo");
        if bad["spec"].is_object() {
            let mut bad = doc.clone();
            bad["spec"]["tpyo"] = json!(1);
            assert_eq!(own.is_valid(&bad), combined.is_valid(&bad), "{name}");
        }
        kinds_seen.insert(kind.to_string());
    }
    assert!(kinds_seen.len() >= 6, "{kinds_seen:?}");
    // Every kind dispatches: a minimal document of each kind with an unknown top-level key.
    for s in lanes_lint::schema::SCHEMAS {
        let own: Value = serde_json::from_str(s.text).unwrap();
        let api = own["properties"]["apiVersion"]["enum"][0].clone();
        for kind in s.kinds {
            let doc =
                json!({"apiVersion": api, "kind": kind, "metadata": {"name": "a"}, "bogus": 1});
            assert!(!combined.is_valid(&doc), "{kind} is not dispatched");
        }
    }
    // Other kinds and other API groups are left alone (Gateway API's Gateway is not Istio's).
    for doc in [
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}}),
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "a"}, "spec": {"gatewayClassName": "istio", "listeners": []}}),
    ] {
        assert!(combined.is_valid(&doc), "{doc}");
    }
}

#[test]
fn the_committed_file_is_generated() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(lanes_lint::schema_combined::PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == lanes_lint::schema_combined::combined_text(),
        "{} is stale: LANES_BLESS=1 cargo test -p lanes_lint --test docs",
        path.display()
    );
}
