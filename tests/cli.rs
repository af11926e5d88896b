//! The `lanes` binary end to end: exit codes in every format, JSON shape, rules and explain.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lanes(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("fixtures/examples/swimlane");
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    dir
}

const FORMATS: &[&str] = &[
    "human",
    "concise",
    "json",
    "github",
    "sarif",
    "junit",
    "gitlab",
    "json-lines",
];

#[test]
fn the_bundled_example_lints_clean_in_every_format() {
    for f in FORMATS {
        let out = lanes(
            &["lint", "fixtures/examples/swimlane", "--format", f],
            &repo(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{f}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn default_path_is_the_current_directory() {
    let dir = sample_copy();
    let out = lanes(&["lint", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 5);
    assert_eq!(v["summary"]["documents"], 14);
}

#[test]
fn a_weight_of_110_exits_1_in_every_format_with_the_exact_span() {
    let dir = sample_copy();
    let route = dir.path().join("mock-route.yaml");
    let text = std::fs::read_to_string(&route).unwrap();
    // The second destination's weight: 50 → 60 (line 40 of the sample).
    let edited = text.replacen(
        "weight: 50\n        - destination",
        "weight: 60\n        - destination",
        1,
    );
    std::fs::write(&route, &edited).unwrap();
    for f in FORMATS {
        let out = lanes(&["lint", "--format", f], dir.path());
        assert_eq!(out.status.code(), Some(1), "{f}");
    }
    let out = lanes(&["lint", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "LN101");
    assert_eq!(d["name"], "route-weights-not-100");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "mock-route.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(31), Some(7))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(31), Some(12))
    );
    assert!(d["message"].as_str().unwrap().contains("v1 60, v2 50"));
    assert!(d["help"].as_str().is_some());
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["warnings"], 0);
    let human = String::from_utf8(lanes(&["lint"], dir.path()).stdout).unwrap();
    assert!(
        human.contains("error[LN101] route-weights-not-100: mock-route.yaml:31:7"),
        "{human}"
    );
    assert!(human.contains("help: "));
}

#[test]
fn warnings_alone_exit_0() {
    let dir = sample_copy();
    std::fs::write(
        dir.path().join("pinned.yaml"),
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: pinned\n  namespace: default\nspec:\n  hosts: [mocka]\n  http:\n  - route:\n    - destination: {host: mocka, subset: v2}\n      weight: 10\n",
    )
    .unwrap();
    let out = lanes(&["lint", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["warnings"], 1, "{v}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn broken_input_exits_2_in_every_format_and_other_files_are_still_linted() {
    let dir = sample_copy();
    std::fs::write(dir.path().join("broken.yaml"), "a: [1, 2\n").unwrap();
    std::fs::write(dir.path().join("latin1.yaml"), b"name: caf\xe9\n").unwrap();
    let route = dir.path().join("mock-route.yaml");
    let text = std::fs::read_to_string(&route).unwrap();
    std::fs::write(&route, text.replace("subset: v2", "subset: v9")).unwrap();
    for f in FORMATS {
        let out = lanes(&["lint", "--format", f], dir.path());
        assert_eq!(out.status.code(), Some(2), "{f}");
    }
    let out = lanes(&["lint", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"LN001"), "{codes:?}");
    assert!(codes.contains(&"LN003"), "{codes:?}");
    assert!(
        codes.contains(&"LN201"),
        "other files are still linted: {codes:?}"
    );
}

#[test]
fn a_missing_path_and_bad_usage_exit_2() {
    let out = lanes(&["lint", "no/such/dir"], &repo());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no such file or directory"));
    let out = lanes(&["lint", "--format", "xml"], &repo());
    assert_eq!(out.status.code(), Some(2));
    let out = lanes(&["frobnicate"], &repo());
    assert_eq!(out.status.code(), Some(2));
    let out = lanes(&["explain", "LN999"], &repo());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_docs() {
    let out = lanes(&["rules"], &repo());
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    for r in lanes_lint::registry::RULES {
        assert!(
            table.contains(r.meta.code) && table.contains(r.meta.name),
            "{}",
            r.meta.code
        );
    }
    let json = lanes(&["rules", "--json"], &repo());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        lanes_lint::registry::RULES.len()
    );
    for key in ["LN101", "route-weights-not-100", "ln101"] {
        let out = lanes(&["explain", key], &repo());
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with("# route-weights-not-100 (LN101)"),
            "{text}"
        );
        assert!(text.contains("## Why is this bad?") && text.contains("Use instead:"));
    }
}

#[test]
fn explain_a_peer_code_lists_the_rules_that_cover_it() {
    let out = lanes(&["explain", "ist0101"], &repo());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# IST0101"), "{text}");
    for code in ["LN201", "LN203", "LN210"] {
        assert!(text.contains(code), "{code} covers IST0101:\n{text}");
    }
    assert!(!text.contains("LN211"), "{text}");
    let out = lanes(&["explain", "IST9999"], &repo());
    assert_eq!(out.status.code(), Some(2));
    let json = lanes(&["rules", "--json"], &repo());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let ln211 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "LN211")
        .unwrap();
    assert_eq!(ln211["peers"][0]["tool"], "istioctl analyze");
    assert_eq!(ln211["peers"][0]["code"], "IST0132");
    let ln519 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "LN519")
        .unwrap();
    assert_eq!(ln519["peers"][0]["tool"], "kubectl argo rollouts lint");
}

#[test]
fn gitignored_files_and_dot_git_are_skipped() {
    let dir = sample_copy();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/broken.yaml"), "a: [\n").unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir(dir.path().join("ignored")).unwrap();
    std::fs::write(dir.path().join("ignored/broken.yml"), "a: [\n").unwrap();
    let out = lanes(&["lint", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
