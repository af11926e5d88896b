//! Reliability promises through the binary: nothing is written from broken input, writers
//! lock, interrupted writes are recovered, metadata is kept, nothing is written outside the
//! repository.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/swimlane");
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    dir
}

fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                v.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    v.sort();
    v
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The reproduction: line 1 of swimlanes.yaml broken, so the lanes drop out of the
/// index and LN201's unsafe fix would rewrite a valid route in another file.
fn broken_sample() -> tempfile::TempDir {
    let dir = sample();
    let p = dir.path().join("swimlanes.yaml");
    let text = fs::read_to_string(&p).unwrap();
    let rest = text.split_once('\n').unwrap().1;
    fs::write(
        &p,
        format!("apiVersion: istio.alibabacloud.com/v1 x: y\n{rest}"),
    )
    .unwrap();
    dir
}

#[test]
fn lint_fix_writes_nothing_when_an_input_failed_to_parse() {
    for flags in [&["--fix"][..], &["--fix", "--unsafe-fixes"][..]] {
        let dir = broken_sample();
        let before = snapshot(dir.path());
        let mut args = vec!["lint"];
        args.extend_from_slice(flags);
        args.push(".");
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("nothing was written"),
            "{}",
            stderr(&out)
        );
        assert_eq!(snapshot(dir.path()), before, "{flags:?} wrote a file");
    }
}

#[test]
fn writing_commands_write_nothing_when_an_input_failed_to_parse() {
    let cases: [&[&str]; 4] = [
        &["add", "v3", "--weight", "10", "--split", "60:30:10"],
        &["promote", "v2", "--to", "70"],
        &["rollback", "v1"],
        &["split", "70:30"],
    ];
    for args in cases {
        let dir = broken_sample();
        let before = snapshot(dir.path());
        let mut a = args.to_vec();
        a.extend(["--root", "."]);
        let out = run(dir.path(), &a);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(snapshot(dir.path()), before, "{args:?} wrote a file");
    }
}
