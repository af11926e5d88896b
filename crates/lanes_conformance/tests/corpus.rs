//! The corpus generator in ../shared/bench/gen_corpus.py against its in-tree port
//! (`lanes_corpus`): the same bytes for the same arguments, and lanes' recall on the script's
//! own output. Also the asm-labs sample from ../shared/corpus.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn run_script(out: &Path, args: &[&str]) -> Value {
    let script = lanes_conformance::shared_dir().join("bench/gen_corpus.py");
    let o = Command::new("python3")
        .arg(&script)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .expect("python3 runs gen_corpus.py");
    assert!(
        o.status.success(),
        "gen_corpus.py {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out.join("EXPECTED.json")).unwrap()).unwrap()
}

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn options(args: &[&str]) -> lanes_corpus::Options {
    let mut o = lanes_corpus::Options::default();
    for pair in args.chunks(2) {
        let v = pair[1];
        match pair[0] {
            "--groups" => o.groups = v.parse().unwrap(),
            "--services" => o.services = v.parse().unwrap(),
            "--lanes" => o.lanes = v.parse().unwrap(),
            "--seed" => o.seed = v.parse().unwrap(),
            "--inject-errors" => o.inject_errors = v.parse().unwrap(),
            "--groups-per-team" => o.groups_per_team = v.parse().unwrap(),
            "--rollouts" => {
                o.rollouts = match v {
                    "none" => lanes_corpus::Rollouts::None,
                    "all" => lanes_corpus::Rollouts::All,
                    _ => lanes_corpus::Rollouts::Half,
                }
            }
            f => panic!("{f}"),
        }
    }
    o
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn the_port_writes_the_scripts_bytes() {
    let cases: [&[&str]; 6] = [
        &["--groups", "60", "--inject-errors", "24", "--seed", "1"],
        &["--groups", "40", "--inject-errors", "18", "--seed", "7"],
        &["--groups", "30", "--rollouts", "all"],
        &[
            "--groups",
            "23",
            "--services",
            "14",
            "--lanes",
            "1",
            "--inject-errors",
            "23",
            "--seed",
            "5",
            "--groups-per-team",
            "3",
        ],
        &[
            "--groups",
            "7",
            "--lanes",
            "5",
            "--services",
            "1",
            "--inject-errors",
            "7",
            "--rollouts",
            "none",
            "--seed",
            "-3",
        ],
        // More groups than the sample's pool: the set-based draw.
        &["--groups", "300", "--inject-errors", "9", "--seed", "11"],
    ];
    for args in cases {
        let dir = tempfile::tempdir().unwrap();
        let (py, rs) = (dir.path().join("py"), dir.path().join("rs"));
        run_script(&py, args);
        lanes_corpus::generate(&options(args)).write(&rs).unwrap();
        let (a, b) = (tree(&py), tree(&rs));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{args:?}: file lists differ"
        );
        for (k, v) in &a {
            assert!(v == &b[k], "{args:?}: {k} differs");
        }
    }
}

fn lint(root: &Path) -> lanes_lint::Report {
    let index = lanes_model::load::load_under(Some(root), &[root.to_path_buf()]);
    lanes_lint::lint(&index, &lanes_lint::Config::default())
}

fn matches(fault: &Value, d: &lanes_lint::Diagnostic) -> bool {
    if d.file != fault["file"].as_str().unwrap() {
        return false;
    }
    let line = fault["line"].as_u64().unwrap() as usize;
    let tol = fault["line_tolerance"].as_u64().unwrap_or(0) as usize;
    if d.start.line.abs_diff(line) <= tol {
        return true;
    }
    fault["accept_lines"].as_array().is_some_and(|acc| {
        let (a, b) = (acc[0].as_u64().unwrap(), acc[1].as_u64().unwrap());
        (a as usize..=b as usize).contains(&d.start.line)
    })
}

/// Recall on the script's output, read through its EXPECTED.json (not the port's types).
#[test]
#[ignore = "conformance: needs ../shared"]
fn recall_on_the_scripts_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let expected = run_script(
        &root,
        &["--groups", "120", "--inject-errors", "36", "--seed", "3"],
    );
    let report = lint(&root);
    let faults = expected["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 36);
    let missed: Vec<String> = faults
        .iter()
        .filter(|f| !report.diagnostics.iter().any(|d| matches(f, d)))
        .map(|f| format!("{} at {}:{}", f["kind"], f["file"], f["line"]))
        .collect();
    assert!(
        missed.is_empty(),
        "faults not reported:\n{}",
        missed.join("\n")
    );
    let broken: Vec<String> = faults
        .iter()
        .filter(|f| f["kind"] == "yaml-syntax")
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            file[..file.rfind('/').unwrap()].to_string()
        })
        .collect();
    let stray: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == lanes_lint::Severity::Error)
        .filter(|d| !faults.iter().any(|f| matches(f, d)))
        .filter(|d| !broken.iter().any(|g| d.file.starts_with(g.as_str())))
        .map(|d| format!("{}:{}: {} {}", d.file, d.start.line, d.code, d.message))
        .collect();
    assert!(
        stray.is_empty(),
        "errors that match no planted fault:\n{}",
        stray.join("\n")
    );
    // The script's fault kinds are the port's, in the same order.
    let kinds: Vec<&str> = expected["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(kinds, lanes_corpus::FAULT_KINDS);
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn the_asm_labs_sample_lints_clean() {
    let root = lanes_conformance::shared_dir().join("corpus/asm-labs/argo-cd/swimlane");
    let report = lint(&root);
    assert_eq!(report.files, 5);
    assert_eq!(report.documents, 14);
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        lanes_lint::render::concise(&report)
    );
}
