//! CI formats and flags end to end (ruff's conventions): `--format junit|gitlab|json-lines`
//! (alias `--output-format`), `--output-file`, `--exit-zero`, `--quiet`, `--select`,
//! `--ignore`, `--extend-select`; SARIF fingerprints, descriptions, invocations and paths from
//! the repository root; closed pipes, colour, completions, man pages and control characters.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn lanes_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lanes"));
    c.args(args).current_dir(cwd);
    for k in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR"] {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn lanes(args: &[&str], cwd: &Path) -> Output {
    lanes_env(args, cwd, &[("NO_COLOR", "1")])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/swimlane")
}

/// A git repository with the bundled sample under `apps/x/`, its route split 60/50 (LN101),
/// staged.
fn repo_with_error() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    let apps = dir.path().join("apps/x");
    std::fs::create_dir_all(&apps).unwrap();
    for e in std::fs::read_dir(sample()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, apps.join(p.file_name().unwrap())).unwrap();
    }
    let route = apps.join("mock-route.yaml");
    let text = std::fs::read_to_string(&route).unwrap();
    std::fs::write(
        &route,
        text.replacen(
            "weight: 50\n        - destination",
            "weight: 60\n        - destination",
            1,
        ),
    )
    .unwrap();
    git(&["add", "-A"]);
    dir
}

#[test]
fn sarif_paths_are_relative_to_the_repository_root_from_anywhere() {
    let dir = repo_with_error();
    let root = dir.path();
    let abs = root.join("apps/x");
    let abs = abs.to_str().unwrap();
    let runs: [(&[&str], PathBuf); 4] = [
        (&["lint", "x"], root.join("apps")),
        (&["lint", "."], root.join("apps/x")),
        (&["lint", abs], std::env::temp_dir()),
        (&["lint", "--staged", "x"], root.join("apps")),
    ];
    for (args, cwd) in runs {
        for format in ["sarif", "github", "gitlab", "junit"] {
            let mut a = args.to_vec();
            a.extend(["--format", format]);
            let out = lanes(&a, &cwd);
            assert_eq!(out.status.code(), Some(1), "{a:?}");
            let text = stdout(&out);
            assert!(
                text.contains("apps/x/mock-route.yaml"),
                "{a:?} from {}: {text}",
                cwd.display()
            );
            assert!(!text.contains(abs), "{a:?}: absolute path in {text}");
        }
    }
}

#[test]
fn sarif_has_fingerprints_that_survive_edits_above_and_the_exit_code() {
    let dir = repo_with_error();
    let x = dir.path().join("apps/x");
    let fingerprints = |cwd: &Path| -> (Vec<(String, u64)>, Value) {
        let out = lanes(&["lint", "--format", "sarif"], cwd);
        assert_eq!(out.status.code(), Some(1));
        let log: Value = serde_json::from_slice(&out.stdout).unwrap();
        let fps = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["lanes/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        (fps, log)
    };
    let (before, log) = fingerprints(&x);
    assert!(!before.is_empty());
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["exitCode"], 1);
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    assert_eq!(run["automationDetails"]["id"], "lanes/lint/");
    // Every rule's fullDescription is one short sentence ("What it does"), not a code block.
    for r in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let full = r["fullDescription"]["text"].as_str().unwrap();
        assert!(
            !full.contains("```") && full.ends_with('.') && full.len() < 600,
            "{}: {full}",
            r["id"]
        );
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## What it does"),
            "{}",
            r["id"]
        );
    }
    // Two comment lines above: the lines move, the fingerprints stay.
    let route = x.join("mock-route.yaml");
    let text = std::fs::read_to_string(&route).unwrap();
    std::fs::write(&route, format!("# one\n# two\n{text}")).unwrap();
    let (after, _) = fingerprints(&x);
    assert_eq!(
        before.iter().map(|f| &f.0).collect::<Vec<_>>(),
        after.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(before[0].1 + 2, after[0].1);
    // --exit-zero: the invocation records what lanes returns.
    let out = lanes(&["lint", "--format", "sarif", "--exit-zero"], &x);
    assert_eq!(out.status.code(), Some(0));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], 0);
}

/// One parsed XML element.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<El>,
    text: String,
}

fn parse_xml(text: &str) -> El {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack = vec![El::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let mut el = El {
                    name: e.name().as_ref().to_string(),
                    ..El::default()
                };
                for a in e.attributes() {
                    let a = a.unwrap();
                    el.attrs.insert(
                        a.key.as_ref().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned(),
                    );
                }
                stack.push(el);
            }
            Event::Empty(e) => {
                let mut el = El {
                    name: e.name().as_ref().to_string(),
                    ..El::default()
                };
                for a in e.attributes() {
                    let a = a.unwrap();
                    el.attrs.insert(
                        a.key.as_ref().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned(),
                    );
                }
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => {
                let t = t.xml10_content().into_owned();
                stack.last_mut().unwrap().text.push_str(&t);
            }
            Event::GeneralRef(r) => {
                let name = r.into_inner().into_owned();
                let c = match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "apos" => "'",
                    "quot" => "\"",
                    other => panic!("unexpected entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut doc = stack.pop().unwrap();
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().unwrap()
}

/// The common JUnit XML format (the elements and attributes CI systems read; required ones
/// must be there, nothing else may be).
fn check_junit(root: &El) -> (usize, usize, usize) {
    let allowed = |el: &El, required: &[&str], optional: &[&str]| {
        for r in required {
            assert!(el.attrs.contains_key(*r), "<{}> lacks {r}", el.name);
        }
        for k in el.attrs.keys() {
            assert!(
                required.contains(&k.as_str()) || optional.contains(&k.as_str()),
                "<{}> has unknown attribute {k}",
                el.name
            );
        }
    };
    let num = |el: &El, k: &str| el.attrs[k].parse::<usize>().unwrap();
    assert_eq!(root.name, "testsuites");
    allowed(
        root,
        &["tests"],
        &["name", "failures", "errors", "skipped", "time", "timestamp"],
    );
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for suite in &root.children {
        assert_eq!(suite.name, "testsuite");
        allowed(
            suite,
            &["name", "tests"],
            &[
                "failures",
                "errors",
                "skipped",
                "time",
                "timestamp",
                "file",
                "hostname",
                "id",
                "package",
            ],
        );
        let (mut t, mut f, mut e) = (0, 0, 0);
        for case in &suite.children {
            assert_eq!(case.name, "testcase");
            allowed(case, &["name"], &["classname", "time", "file", "line"]);
            t += 1;
            for c in &case.children {
                match c.name.as_str() {
                    "failure" => {
                        allowed(c, &[], &["message", "type"]);
                        f += 1;
                    }
                    "error" => {
                        allowed(c, &[], &["message", "type"]);
                        e += 1;
                    }
                    "system-out" | "system-err" | "skipped" => allowed(c, &[], &["message"]),
                    other => panic!("unknown element <{other}> in <testcase>"),
                }
            }
        }
        assert_eq!(num(suite, "tests"), t);
        assert_eq!(num(suite, "failures"), f);
        assert_eq!(num(suite, "errors"), e);
        tests += t;
        failures += f;
        errors += e;
    }
    assert_eq!(num(root, "tests"), tests);
    assert_eq!(num(root, "failures"), failures);
    assert_eq!(num(root, "errors"), errors);
    (tests, failures, errors)
}

#[test]
fn junit_follows_the_common_junit_format() {
    let dir = repo_with_error();
    let x = dir.path().join("apps/x");
    let out = lanes(&["lint", "--format", "junit"], &x);
    assert_eq!(out.status.code(), Some(1));
    let root = parse_xml(&stdout(&out));
    let (tests, failures, errors) = check_junit(&root);
    assert_eq!((failures, errors), (1, 0));
    assert!(tests >= 1);
    let case = &root.children[0].children[0];
    assert_eq!(case.attrs["file"], "apps/x/mock-route.yaml");
    assert_eq!(case.attrs["line"], "31");
    assert!(case.children[0].text.contains("LN101"));
    // Clean: one passing test case. Unreadable input: an error, exit 2.
    let out = lanes(&["lint", "--format", "junit"], &sample());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(check_junit(&parse_xml(&stdout(&out))), (1, 0, 0));
    std::fs::write(x.join("broken.yaml"), "a: [\n").unwrap();
    let out = lanes(&["lint", "--format", "junit"], &x);
    assert_eq!(out.status.code(), Some(2));
    let (_, _, errors) = check_junit(&parse_xml(&stdout(&out)));
    assert!(errors >= 1);
}

#[test]
fn gitlab_code_quality_has_the_documented_fields() {
    let dir = repo_with_error();
    let x = dir.path().join("apps/x");
    std::fs::write(x.join("second.yaml"), "a: [\n").unwrap();
    let out = lanes(&["lint", "--output-format", "gitlab"], &x);
    assert_eq!(out.status.code(), Some(2));
    let issues: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(issues.len() >= 2);
    let mut fps = std::collections::HashSet::new();
    for i in &issues {
        for k in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[k].is_string(), "{k} in {i}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["path"].is_string());
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(fps.insert(i["fingerprint"].as_str().unwrap().to_string()));
    }
    let ln101 = issues.iter().find(|i| i["check_name"] == "LN101").unwrap();
    assert_eq!(ln101["location"]["path"], "apps/x/mock-route.yaml");
    assert_eq!(ln101["location"]["lines"]["begin"], 31);
    assert_eq!(ln101["severity"], "major");
}

#[test]
fn json_lines_is_one_object_per_finding() {
    let dir = repo_with_error();
    let x = dir.path().join("apps/x");
    let out = lanes(&["lint", "--format", "json-lines"], &x);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["code"], "LN101");
    assert_eq!(lines[0]["line"], 31);
    let clean = lanes(&["lint", "--format", "json-lines"], &sample());
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stdout.is_empty());
}

#[test]
fn output_file_exit_zero_and_quiet() {
    let dir = repo_with_error();
    let x = dir.path().join("apps/x");
    let file = dir.path().join("report.sarif");
    let out = lanes(
        &[
            "lint",
            "--format",
            "sarif",
            "-o",
            file.to_str().unwrap(),
            "--exit-zero",
        ],
        &x,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let log: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "LN101");

    let loud = stdout(&lanes(&["lint", "--format", "concise"], &x));
    assert!(loud.contains(" in 5 files"), "{loud}");
    let quiet = lanes(&["lint", "--format", "concise", "-q"], &x);
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(
        stdout(&quiet).lines().collect::<Vec<_>>(),
        loud.lines().take(1).collect::<Vec<_>>()
    );
    let human = stdout(&lanes(&["lint", "--quiet"], &x));
    assert!(
        human.contains("LN101") && !human.contains(" in 5 files"),
        "{human}"
    );
    // --exit-zero never hides unreadable input.
    std::fs::write(x.join("broken.yaml"), "a: [\n").unwrap();
    assert_eq!(
        lanes(&["lint", "--exit-zero", "-q"], &x).status.code(),
        Some(2)
    );
}

fn codes(cwd: &Path, extra: &[&str]) -> (Option<i32>, Vec<String>) {
    let mut args = vec!["lint", "--format", "json"];
    args.extend(extra);
    let out = lanes(&args, cwd);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let codes = v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    (out.status.code(), codes)
}

#[test]
fn select_ignore_and_extend_select() {
    let dir = repo_with_error();
    let x = dir.path().join("apps/x");
    assert_eq!(codes(&x, &[]), (Some(1), vec!["LN101".to_string()]));
    // Codes, names and prefixes; comma-separated or repeated.
    for sel in [
        &["--select", "LN101"][..],
        &["--select", "route-weights-not-100"],
        &["--select", "ln1"],
        &["--select", "LN5,LN10"],
        &["--select", "LN5", "--select", "LN1"],
        &["--select", "ALL"],
    ] {
        assert_eq!(
            codes(&x, sel),
            (Some(1), vec!["LN101".to_string()]),
            "{sel:?}"
        );
    }
    for sel in [
        &["--select", "LN5"][..],
        &["--ignore", "LN101"],
        &["--ignore", "LN1"],
        &["--select", "LN101", "--ignore", "route-weights-not-100"],
    ] {
        assert_eq!(codes(&x, sel), (Some(0), vec![]), "{sel:?}");
    }
    // LN603 is off by default; --extend-select turns it on (the sample's namespace has no
    // injection label), and so does naming it in --select.
    let (_, on) = codes(&x, &["--extend-select", "LN603"]);
    let (_, sel) = codes(&x, &["--select", "LN603"]);
    let (_, off) = codes(&x, &[]);
    assert_eq!(
        on.contains(&"LN603".to_string()),
        sel.contains(&"LN603".to_string())
    );
    assert!(!off.contains(&"LN603".to_string()));
    assert!(on.contains(&"LN101".to_string()));
    // lanes.toml turns a rule off; --extend-select turns it back on; --ignore wins.
    std::fs::write(x.join("lanes.toml"), "[lint.severity]\nLN101 = \"off\"\n").unwrap();
    assert_eq!(codes(&x, &[]), (Some(0), vec![]));
    assert_eq!(
        codes(&x, &["--extend-select", "LN101"]),
        (Some(1), vec!["LN101".to_string()])
    );
    assert_eq!(
        codes(&x, &["--extend-select", "LN101", "--ignore", "LN101"]),
        (Some(0), vec![])
    );
    // Unreadable input is reported whatever is selected.
    std::fs::write(x.join("broken.yaml"), "a: [\n").unwrap();
    let (code, found) = codes(&x, &["--select", "LN101", "--ignore", "LN001"]);
    assert_eq!(code, Some(2));
    assert!(found.contains(&"LN001".to_string()), "{found:?}");
    // Nor can lanes.toml turn it off.
    std::fs::write(x.join("lanes.toml"), "[lint.severity]\nLN001 = \"off\"\n").unwrap();
    assert_eq!(codes(&x, &[]).0, Some(2));
    // Unknown selectors are usage errors, with a suggestion.
    let out = lanes(&["lint", "--select", "route-weights-not-10"], &x);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `route-weights-not-100`"));
}

#[test]
fn a_closed_stdout_ends_quietly_with_0() {
    for args in [
        &["schema", "lanes-toml"][..],
        &["rules"],
        &["man"],
        &["completions", "bash"],
        &["lint", "--format", "sarif"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader); // closed before lanes writes: every write fails with EPIPE
        let out = Command::new(env!("CARGO_BIN_EXE_lanes"))
            .args(args)
            .current_dir(sample())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn color_is_an_enum_and_the_environment_is_honoured() {
    let dir = repo_with_error();
    let x = dir.path().join("apps/x");
    let out = lanes(&["lint", "--color", "bogus"], &x);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values"));
    let esc = |env: &[(&str, &str)], extra: &[&str]| {
        let mut args = vec!["lint"];
        args.extend(extra);
        lanes_env(&args, &x, env).stdout.contains(&0x1b)
    };
    assert!(!esc(&[], &[]), "not a terminal: no colour");
    assert!(esc(&[("FORCE_COLOR", "1")], &[]));
    assert!(esc(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!esc(&[("FORCE_COLOR", "0")], &[]));
    assert!(!esc(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")], &[]));
    assert!(esc(&[("NO_COLOR", "1")], &["--color", "always"]));
    assert!(!esc(&[("FORCE_COLOR", "1")], &["--color", "never"]));
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    let here = sample();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = lanes(&["completions", shell], &here);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(text.contains("lint"), "{shell}");
        assert!(
            text.contains("extend-select"),
            "{shell}: flags come from clap"
        );
    }
    // The bash script is valid bash.
    let script = lanes(&["completions", "bash"], &here).stdout;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lanes.bash");
    std::fs::write(&path, script).unwrap();
    if let Ok(o) = Command::new("bash").arg("-n").arg(&path).output() {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(
        lanes(&["completions", "tcsh"], &here).status.code(),
        Some(2)
    );

    let man = stdout(&lanes(&["man"], &here));
    assert!(
        man.starts_with(".ie") || man.contains(".TH lanes 1"),
        "{man}"
    );
    assert!(man.contains(".TH lanes 1"));
    assert!(man.contains("lint"));
    let out = lanes(&["man", "--out", dir.path().to_str().unwrap()], &here);
    assert_eq!(out.status.code(), Some(0));
    for page in ["lanes.1", "lanes-lint.1", "lanes-completions.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
    let lint = std::fs::read_to_string(dir.path().join("lanes-lint.1")).unwrap();
    assert!(
        lint.contains("exit\\-zero"),
        "the lint page documents its flags"
    );
}

#[test]
fn control_characters_in_file_names_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J.yaml";
    let text = std::fs::read_to_string(sample().join("mock-route.yaml"))
        .unwrap()
        .replacen(
            "weight: 50\n        - destination",
            "weight: 60\n        - destination",
            1,
        );
    std::fs::write(dir.path().join(evil), text).unwrap();
    for format in ["human", "concise"] {
        let out = lanes(&["lint", "--format", format], dir.path());
        assert_eq!(out.status.code(), Some(1), "{format}");
        let s = stdout(&out);
        assert!(
            !s.contains('\u{1b}') && !s.contains('\u{7}'),
            "{format}: {s:?}"
        );
        assert!(s.contains("evil\\x1b]0;pwned\\x07"), "{format}: {s}");
    }
    // JUnit stays well-formed XML.
    let out = lanes(&["lint", "--format", "junit"], dir.path());
    check_junit(&parse_xml(&stdout(&out)));
}
