//! Property test over the writing commands, run on disk on mutated copies of the bundled
//! example (comments and blank lines inserted, CRLF line endings, stray bytes that may break a
//! file): when every input parses, the written files parse, no byte outside the weight
//! scalars changes, and the lint error count never grows; when some input does not parse,
//! nothing is written.

use std::fs;
use std::path::{Path, PathBuf};

use lanes_ops::{
    promote, rollback, set, split_weights, Options, PromoteArgs, RollbackArgs, SetArgs, SplitArgs,
    WriteOptions,
};
use proptest::prelude::*;

const FILES: [&str; 5] = [
    "mock-route.yaml",
    "mock-v1.yaml",
    "mock-v2.yaml",
    "swimlanegroup.yaml",
    "swimlanes.yaml",
];

#[derive(Clone, Debug)]
enum Mutation {
    /// A full-line comment before line `n` (modulo the line count).
    CommentLine(usize),
    /// A trailing comment after line `n`.
    TrailingComment(usize),
    /// A blank line before line `n`.
    BlankLine(usize),
    /// CRLF line endings.
    Crlf,
    /// Byte `b` replaces the byte at `n`.
    Byte(usize, u8),
}

fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    let m = prop_oneof![
        4 => any::<usize>().prop_map(Mutation::CommentLine),
        4 => any::<usize>().prop_map(Mutation::TrailingComment),
        3 => any::<usize>().prop_map(Mutation::BlankLine),
        2 => Just(Mutation::Crlf),
        1 => (any::<usize>(), prop::sample::select(vec![b':', b'[', b'{', b'\t', b'"', b'-', b'&'])).prop_map(|(n, b)| Mutation::Byte(n, b)),
    ];
    (0..FILES.len(), m)
}

fn apply(text: &str, m: &Mutation) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let at = |n: usize| n % lines.len().max(1);
    match m {
        Mutation::CommentLine(n) | Mutation::BlankLine(n) => {
            let i = at(*n);
            let ins = if matches!(m, Mutation::BlankLine(_)) {
                "\n"
            } else {
                "# inserted comment\n"
            };
            let mut out = String::new();
            for (j, l) in lines.iter().enumerate() {
                if j == i {
                    out.push_str(ins);
                }
                out.push_str(l);
            }
            out
        }
        Mutation::TrailingComment(n) => {
            let i = at(*n);
            let mut out = String::new();
            for (j, l) in lines.iter().enumerate() {
                if j == i {
                    let body = l.trim_end_matches(['\n', '\r']);
                    out.push_str(body);
                    out.push_str("  # trailing");
                    out.push_str(&l[body.len()..]);
                } else {
                    out.push_str(l);
                }
            }
            out
        }
        Mutation::Crlf => text.replace("\r\n", "\n").replace('\n', "\r\n"),
        Mutation::Byte(n, b) => {
            let mut bytes = text.as_bytes().to_vec();
            if !bytes.is_empty() {
                let i = n % bytes.len();
                if bytes[i].is_ascii() {
                    bytes[i] = *b;
                }
            }
            String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Promote(u32),
    Split(u32),
    Set(u32),
    Rollback(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..=100).prop_map(Op::Promote),
        (0u32..=100).prop_map(Op::Split),
        (0u32..=100).prop_map(Op::Set),
        any::<bool>().prop_map(Op::Rollback),
    ]
}

fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let b = fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    v.sort();
    v
}

/// Every `weight` scalar of every route destination: (range, text).
fn weight_scalars(name: &str, text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let f = lanes_yaml::parse_str(name, text);
    let mut out = Vec::new();
    for doc in &f.docs {
        let Some(http) = doc.pointer("/spec/http") else {
            continue;
        };
        for rule in http.items() {
            let Some(route) = rule.get("route") else {
                continue;
            };
            for d in route.items() {
                if let Some(w) = d.get("weight") {
                    let r = w.range();
                    out.push((r.clone(), text[r].to_string()));
                }
            }
        }
    }
    out
}

fn error_count(root: &Path) -> usize {
    let index = lanes_model::load::load(&[root.to_path_buf()]);
    lanes_lint::lint(&index, &lanes_lint::Config::default()).errors()
}

fn run_case(muts: &[(usize, Mutation)], op: &Op) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/examples/swimlane");
    for f in FILES {
        fs::copy(src.join(f), root.join(f)).unwrap();
    }
    for (fi, m) in muts {
        let p = root.join(FILES[*fi]);
        let t = fs::read_to_string(&p).unwrap();
        fs::write(&p, apply(&t, m)).unwrap();
    }
    let before = snapshot(&root);
    let index = lanes_ops::scope::load_for_group(std::slice::from_ref(&root), None);
    let parses = index.files.iter().all(|f| f.errors.is_empty()) && index.input_errors.is_empty();
    let errors_before = error_count(&root);
    let opts = Options::new(&root);
    let result = match op {
        Op::Promote(to) => promote(
            &index,
            &PromoteArgs {
                lane: "v2".into(),
                to: Some(*to),
                policy: Default::default(),
            },
            &opts,
        ),
        Op::Split(a) => split_weights(
            &index,
            &SplitArgs {
                split: format!("{a}:{}", 100 - a),
                route: None,
            },
            &opts,
        ),
        Op::Set(a) => set(
            &index,
            &SetArgs {
                assignments: vec![("v1".into(), *a), ("v2".into(), 100 - a)],
                route: None,
            },
            &opts,
        ),
        Op::Rollback(v1) => rollback(
            &index,
            &RollbackArgs {
                lane: if *v1 { "v1" } else { "v2" }.into(),
                prune: false,
            },
            &opts,
        ),
    };
    let written = match result {
        Ok(outcome) => outcome
            .changeset
            .write_with(&WriteOptions::new(&root, &root))
            .is_ok(),
        Err(_) => false,
    };
    let after = snapshot(&root);
    if !parses || !written {
        prop_assert_eq!(
            &after,
            &before,
            "nothing may be written (parses: {})",
            parses
        );
        return Ok(());
    }
    for ((path, old), (path2, new)) in before.iter().zip(&after) {
        prop_assert_eq!(path, path2);
        if old == new {
            continue;
        }
        let name = path.to_string_lossy();
        let old = std::str::from_utf8(old).unwrap();
        let new = std::str::from_utf8(new).unwrap();
        let parsed = lanes_yaml::parse_str(&name, new);
        prop_assert!(parsed.errors.is_empty(), "{} does not parse", name);
        // Splice the new weight texts into the old file: that must give the new file.
        let ws_old = weight_scalars(&name, old);
        let ws_new = weight_scalars(&name, new);
        if ws_old.len() != ws_new.len() {
            // A destination that had no `weight` (here: its key was mangled, `w:ight: 50`) gets
            // one inserted: then every line added or removed must be a `weight: N` entry.
            prop_assert!(ws_new.len() > ws_old.len(), "weights removed from {}", name);
            let diff = similar::TextDiff::from_lines(old, new);
            for change in diff.iter_all_changes() {
                if change.tag() == similar::ChangeTag::Equal {
                    continue;
                }
                let line = change.value().trim_end_matches(['\n', '\r']).trim_start();
                let line = line.strip_prefix("- ").unwrap_or(line);
                let is_weight = line
                    .strip_prefix("weight: ")
                    .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(
                    is_weight,
                    "{} changed a line that is not a weight entry: {:?}",
                    name,
                    change.value()
                );
            }
            continue;
        }
        let edits: Vec<lanes_yaml::edit::Edit> = ws_old
            .iter()
            .zip(&ws_new)
            .map(|((r, _), (_, t))| lanes_yaml::edit::Edit {
                range: r.clone(),
                text: t.clone(),
            })
            .collect();
        let spliced = lanes_yaml::edit::apply(old, &edits).unwrap();
        prop_assert_eq!(
            &spliced,
            new,
            "bytes outside the weight scalars changed in {}",
            name
        );
    }
    let errors_after = error_count(&root);
    prop_assert!(
        errors_after <= errors_before,
        "errors grew from {} to {}",
        errors_before,
        errors_after
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn writing_commands_on_mutated_repositories(
        muts in prop::collection::vec(mutation(), 0..6),
        op in op(),
    ) {
        run_case(&muts, &op)?;
    }
}
