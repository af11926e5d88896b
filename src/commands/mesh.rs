//! `lanes mesh revisions`: which control-plane revision each namespace injects.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lanes_model::views::{
    Injects, Meta, Namespace, DATAPLANE_MODE_LABEL, INJECTION_LABEL, REV_LABEL,
};
use lanes_model::{Index, Kind};

use crate::args_roll::{MeshCommand, TextOrJson};

pub(super) fn run(cmd: MeshCommand) -> i32 {
    match cmd {
        MeshCommand::Revisions { path, format } => revisions(path, format),
        MeshCommand::Switch(a) => super::mesh_ops::switch(&a),
        MeshCommand::Promote(a) => super::mesh_ops::promote(&a),
        MeshCommand::Check(a) => super::mesh_ops::check(&a),
    }
}

/// One namespace's injection.
pub(crate) struct Row {
    pub namespace: String,
    /// The universe the Namespace is synced in (`""`: the linted tree); one row per universe
    /// that defines (or uses) the namespace.
    pub universe: String,
    /// stable, canary, a revision, none, disabled, ambient, conflict, or `?` (no Namespace
    /// manifest).
    pub injects: String,
    /// The label it comes from.
    pub from: String,
    /// `file:line` of the Namespace, if in the repository.
    pub at: Option<String>,
}

pub(crate) fn rows(index: &Index) -> Vec<Row> {
    let mut out: BTreeMap<(String, String), Row> = BTreeMap::new();
    for res in index.of_kind(Kind::Namespace) {
        let root = index.root(res);
        let ns = Namespace(root);
        let shown: Vec<String> = [INJECTION_LABEL, REV_LABEL, DATAPLANE_MODE_LABEL]
            .iter()
            .filter_map(|k| {
                ns.label(k)
                    .map(|n| format!("{k}={}", n.as_text().unwrap_or("")))
            })
            .collect();
        let from = if shown.is_empty() {
            "no injection label".to_string()
        } else {
            shown.join(", ")
        };
        let injects = match ns.injects() {
            Injects::Stable => "stable".to_string(),
            Injects::Revision(r) => r,
            Injects::Disabled => "disabled".to_string(),
            Injects::Ambient => "ambient".to_string(),
            Injects::None => "none".to_string(),
            Injects::Conflict => "conflict".to_string(),
        };
        let src = &index.file_of(res).source;
        let at_node = Meta::of(root).and_then(|m| m.name()).unwrap_or(root);
        let line = src.line_col(at_node.range().start).line;
        let name = index.resources[res].name.clone();
        let universe = index.universe_of(res).to_string();
        out.insert(
            (universe.clone(), name.clone()),
            Row {
                namespace: name,
                universe,
                injects,
                from,
                at: Some(format!("{}:{line}", src.name())),
            },
        );
    }
    // Namespaces that resources live in but that have no Namespace manifest here.
    for (i, r) in index.resources.iter().enumerate() {
        let key = (index.universe_of(i).to_string(), r.namespace.clone());
        if r.namespace.is_empty() || out.contains_key(&key) {
            continue;
        }
        out.insert(
            key.clone(),
            Row {
                namespace: r.namespace.clone(),
                universe: key.0,
                injects: "?".into(),
                from: "no Namespace manifest in the repository".into(),
                at: None,
            },
        );
    }
    out.into_values().collect()
}

fn revisions(path: Option<PathBuf>, format: TextOrJson) -> i32 {
    let path = path.unwrap_or_else(|| PathBuf::from("."));
    if !path.exists() {
        let p = path.display().to_string();
        eprintln!("error: {} does not exist", super::terminal_safe(&p));
        return 2;
    }
    let settings = match lanes::config::settings(&path, None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", super::terminal_safe(&e.to_string()));
            return 2;
        }
    };
    let mut index = lanes_model::load::load(std::slice::from_ref(&path));
    // The same universes as `lanes lint`: a namespace labelled differently in two clusters is
    // two rows, not one silently overwritten.
    lanes::universes::assign(&mut index, &settings, None);
    let rows = rows(&index);
    let universes: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.universe.as_str()).collect();
    let several = universes.len() > 1;
    match format {
        TextOrJson::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "namespace": r.namespace,
                        "universe": r.universe,
                        "injects": r.injects,
                        "from": r.from,
                        "at": r.at,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        TextOrJson::Text => {
            if rows.is_empty() {
                let p = path.display().to_string();
                println!("no namespaces found under {}", super::terminal_safe(&p));
                return 0;
            }
            let w0 = rows
                .iter()
                .map(|r| r.namespace.len())
                .max()
                .unwrap_or(0)
                .max("NAMESPACE".len());
            let w1 = rows
                .iter()
                .map(|r| r.injects.len())
                .max()
                .unwrap_or(0)
                .max("INJECTS".len());
            let w2 = rows
                .iter()
                .map(|r| r.from.len())
                .max()
                .unwrap_or(0)
                .max("FROM".len());
            let universe = |u: &str| {
                if u.is_empty() {
                    ".".to_string()
                } else {
                    u.to_string()
                }
            };
            let wu = rows
                .iter()
                .map(|r| universe(&r.universe).len())
                .max()
                .unwrap_or(0)
                .max("UNIVERSE".len());
            let head = if several {
                format!("{:wu$}  ", "UNIVERSE")
            } else {
                String::new()
            };
            let mut s = format!(
                "{head}{:w0$}  {:w1$}  {:w2$}  AT\n",
                "NAMESPACE", "INJECTS", "FROM"
            );
            for r in &rows {
                let lead = if several {
                    format!("{:wu$}  ", universe(&r.universe))
                } else {
                    String::new()
                };
                let line = format!(
                    "{lead}{:w0$}  {:w1$}  {:w2$}  {}",
                    r.namespace,
                    r.injects,
                    r.from,
                    r.at.as_deref().unwrap_or("-")
                );
                s.push_str(line.trim_end());
                s.push('\n');
            }
            print!("{}", super::terminal_safe(&s));
        }
    }
    if rows.iter().any(|r| r.injects == "conflict") {
        1
    } else {
        0
    }
}
