//! Rule fixtures: `fixtures/rules/<CODE>/<case>.yaml` (or a `<case>/` directory of files).
//!
//! * A case named `fire*` must carry `# expect: CODE` comments on exactly the lines where the
//!   rule reports, and its rendered output is snapshotted.
//! * A case named `pass*` must produce no finding of that rule.
//! * Every registered rule has at least one case of each kind, and every fixture folder names a
//!   registered rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lanes_lint::{lint, registry, render, Config};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules")
}

/// Read a case (file or directory) as `(display name, bytes)` pairs relative to the rules root.
fn read_case(root: &Path, case: &Path) -> Vec<(String, Vec<u8>)> {
    let mut paths = Vec::new();
    if case.is_dir() {
        let mut stack = vec![case.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if lanes_model::load::is_yaml(&p) {
                    paths.push(p);
                }
            }
        }
    } else {
        paths.push(case.to_path_buf());
    }
    paths.sort();
    let mut out: Vec<(String, Vec<u8>)> = paths
        .into_iter()
        .filter_map(|p| {
            let name = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // Unreadable files (dangling links) carry no expectations of their own.
            std::fs::read(&p).ok().map(|b| (name, b))
        })
        .collect();
    // `expect.txt` in a case folder: lines of `file:line CODE` for files that cannot hold a
    // comment.
    if case.is_dir() {
        if let Ok(extra) = std::fs::read_to_string(case.join("expect.txt")) {
            let lines: String = extra
                .lines()
                .filter_map(|l| {
                    let (loc, code) = l.split_once(' ')?;
                    let (file, line) = loc.rsplit_once(':')?;
                    Some(format!("{file}\t{line}\t{code}\n"))
                })
                .collect();
            out.push(("\u{0}expect".into(), lines.into_bytes()));
        }
    }
    out
}

/// `(file, line, code)` of every `# expect: CODE[, CODE]` comment.
fn expectations(files: &[(String, Vec<u8>)]) -> BTreeSet<(String, usize, String)> {
    let mut out = BTreeSet::new();
    for (name, bytes) in files {
        if name == "\u{0}expect" {
            for l in String::from_utf8_lossy(bytes).lines() {
                let parts: Vec<&str> = l.split('\t').collect();
                if let [file, line, code] = parts[..] {
                    out.insert((
                        file.to_string(),
                        line.parse().unwrap_or(0),
                        code.to_string(),
                    ));
                }
            }
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for (i, line) in text.lines().enumerate() {
            if let Some(pos) = line.find("# expect:") {
                for code in line[pos + "# expect:".len()..].split(',') {
                    let code = code.split_whitespace().next().unwrap_or("");
                    if !code.is_empty() {
                        out.insert((name.clone(), i + 1, code.to_string()));
                    }
                }
            }
        }
    }
    out
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || lanes_model::load::is_yaml(p))
        .collect();
    v.sort();
    v
}

#[test]
fn every_rule_has_firing_and_passing_fixtures() {
    let root = fixtures_root();
    let mut missing = Vec::new();
    for rule in registry::RULES {
        let dir = root.join(rule.meta.code);
        if !dir.is_dir() {
            missing.push(format!(
                "{}: no fixtures/rules/{} folder",
                rule.meta.code, rule.meta.code
            ));
            continue;
        }
        let names: Vec<String> = cases(&dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        if !names.iter().any(|n| n.starts_with("fire")) {
            missing.push(format!("{}: no fire* case", rule.meta.code));
        }
        if !names.iter().any(|n| n.starts_with("pass")) {
            missing.push(format!("{}: no pass* case", rule.meta.code));
        }
    }
    for e in std::fs::read_dir(&root).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if registry::find(&name).is_none() {
            missing.push(format!("fixtures/rules/{name} names no registered rule"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn rule_fixtures_match_expectations_and_snapshots() {
    let root = fixtures_root();
    let mut failures = Vec::new();
    for rule in registry::RULES {
        let code = rule.meta.code;
        let dir = root.join(code);
        if !dir.is_dir() {
            continue;
        }
        for case in cases(&dir) {
            let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
            let files = read_case(&root, &case);
            let index = lanes_model::load::load_under(Some(&root), std::slice::from_ref(&case));
            // A case folder may hold a `lanes.toml` (for rules that read `[mesh]` facts).
            let base = case_config(&case);
            let config = Config {
                select: Some(vec![code.to_string()]),
                ..base
            };
            let report = lint(&index, &config);
            let got: BTreeSet<(String, usize, String)> = report
                .diagnostics
                .iter()
                .map(|d| (d.file.clone(), d.start.line, d.code.to_string()))
                .collect();
            let want: BTreeSet<(String, usize, String)> = expectations(&files)
                .into_iter()
                .filter(|(_, _, c)| c == code)
                .collect();
            if case_name.starts_with("pass") {
                if !got.is_empty() {
                    failures.push(format!(
                        "{code}/{case_name}: expected no findings, got {got:?}"
                    ));
                }
                continue;
            }
            if want.is_empty() {
                failures.push(format!(
                    "{code}/{case_name}: fire case without `# expect: {code}`"
                ));
            }
            if got != want {
                failures.push(format!(
                    "{code}/{case_name}:\n  expected {want:?}\n  got      {got:?}\n{}",
                    render::concise(&report)
                ));
                continue;
            }
            let rendered = render::human(&report, &index, false);
            let snap = format!("{code}__{}", case_name.trim_end_matches(".yaml"));
            insta::with_settings!({prepend_module_to_snapshot => false, omit_expression => true}, {
                insta::assert_snapshot!(snap, rendered);
            });
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The configuration of a case: its folder's `lanes.toml`, else the defaults.
fn case_config(case: &Path) -> Config {
    let toml = case.join("lanes.toml");
    if case.is_dir() && toml.is_file() {
        lanes_lint::config_file::Settings::load(&toml)
            .unwrap_or_else(|e| panic!("{e}"))
            .config
    } else {
        Config::default()
    }
}

/// The `lanes.toml` of a rule's docs example: a ```toml block in `## Example`, if any.
fn toml_block(docs: &str) -> Config {
    let Some(example) = docs.split("## Example").nth(1) else {
        return Config::default();
    };
    let Some(start) = example.find("```toml\n").map(|i| i + "```toml\n".len()) else {
        return Config::default();
    };
    let end = example[start..].find("```").unwrap() + start;
    lanes_lint::config_file::Settings::parse("lanes.toml", &example[start..end], ".".into())
        .unwrap_or_else(|e| panic!("{e}"))
        .config
}

fn yaml_blocks(docs: &str) -> (Option<String>, Option<String>) {
    let example = docs.split("## Example").nth(1);
    let Some(example) = example else {
        return (None, None);
    };
    let (bad, good) = match example.split_once("Use instead:") {
        Some((b, g)) => (b, g),
        None => (example, ""),
    };
    let first_yaml = |s: &str| {
        let start = s.find("```yaml\n")? + "```yaml\n".len();
        let end = s[start..].find("```")? + start;
        Some(s[start..end].to_string())
    };
    (first_yaml(bad), first_yaml(good))
}

#[test]
fn rule_docs_have_required_sections_and_examples_behave() {
    let mut failures = Vec::new();
    for rule in registry::RULES {
        let m = rule.meta;
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "Use instead:",
        ] {
            if !m.docs.contains(heading) {
                failures.push(format!("{}: docs lack `{heading}`", m.code));
            }
        }
        let (bad, good) = yaml_blocks(m.docs);
        let config = Config {
            select: Some(vec![m.code.to_string()]),
            ..toml_block(m.docs)
        };
        if let Some(bad) = bad {
            let index = lanes_model::Index::from_texts([("example.yaml", bad)]);
            if lint(&index, &config).diagnostics.is_empty() {
                failures.push(format!(
                    "{}: the `## Example` yaml does not fire the rule",
                    m.code
                ));
            }
        }
        if let Some(good) = good {
            let index = lanes_model::Index::from_texts([("example.yaml", good)]);
            let r = lint(&index, &config);
            if !r.diagnostics.is_empty() {
                failures.push(format!(
                    "{}: the `Use instead:` yaml fires the rule:\n{}",
                    m.code,
                    render::concise(&r)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut prev = "";
    for r in registry::RULES {
        let m = r.meta;
        assert!(
            m.code.len() == 5
                && m.code.starts_with("LN")
                && m.code[2..].bytes().all(|b| b.is_ascii_digit()),
            "bad code {}",
            m.code
        );
        assert!(
            m.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "name {} is not kebab-case",
            m.name
        );
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(m.code > prev, "registry not sorted at {}", m.code);
        prev = m.code;
        assert!(
            m.summary.chars().next().is_some_and(|c| !c.is_uppercase())
                && !m.summary.ends_with('.'),
            "{}: summary must start lowercase and not end with a period",
            m.code
        );
    }
}
