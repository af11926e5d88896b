//! For every rule that declares a fix: applying the fixes to its firing fixtures (unsafe fixes
//! included) removes the findings and leaves files that parse. Also: `## Fix safety` is present
//! exactly when a rule's fixes can be unsafe.

use std::path::Path;

use lanes_lint::fix::{fix_all, unified_diff, FixMode};
use lanes_lint::{registry, Applicability, Config, FixAvailability};

fn fire_cases(code: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/rules")
        .join(code);
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.retain(|p: &std::path::PathBuf| p.file_name().unwrap().to_string_lossy().starts_with("fire"));
    v.sort();
    v
}

#[test]
fn every_fix_removes_its_finding_and_keeps_the_file_parsing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    let mut failures = Vec::new();
    for rule in registry::RULES {
        let code = rule.meta.code;
        let config = Config {
            select: Some(vec![code.to_string()]),
            ..Config::default()
        };
        let mut fixed_any = false;
        for case in fire_cases(code) {
            let index = lanes_model::load::load_under(Some(&root), std::slice::from_ref(&case));
            let before = lanes_lint::lint(&index, &config);
            let fixable: Vec<_> = before
                .diagnostics
                .iter()
                .filter(|d| d.fix.is_some())
                .collect();
            if rule.meta.fix == FixAvailability::None {
                if !fixable.is_empty() {
                    failures.push(format!(
                        "{code}: declares no fix but offers one in {case:?}"
                    ));
                }
                continue;
            }
            let out = fix_all(&index, &config, FixMode::Unsafe);
            assert!(out.broken.is_empty(), "{code}: {:?}", out.broken);
            for f in &out.files {
                let parsed = lanes_yaml::parse_str(&f.name, &f.text);
                let old = lanes_yaml::parse_str(&f.name, &f.original);
                if parsed.errors.len() > old.errors.len() {
                    failures.push(format!("{code}: fixed {} no longer parses", f.name));
                }
            }
            let left = out
                .remaining
                .diagnostics
                .iter()
                .filter(|d| d.code == code && d.fix.is_some())
                .count();
            if left > 0 {
                failures.push(format!(
                    "{code}: {left} fixable finding(s) left after fixing {case:?}"
                ));
            }
            if !fixable.is_empty() {
                fixed_any = true;
                let applied = out
                    .applied
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map_or(0, |x| x.1);
                if applied == 0 {
                    failures.push(format!(
                        "{code}: offered fixes but none applied in {case:?}"
                    ));
                }
            }
        }
        if rule.meta.fix != FixAvailability::None && !fixed_any {
            failures.push(format!(
                "{code}: declares a fix but no fire fixture offers one"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn declared_fix_safety_matches_the_fixes_offered() {
    let mut failures = Vec::new();
    for rule in registry::RULES {
        let m = rule.meta;
        let config = Config {
            select: Some(vec![m.code.to_string()]),
            ..Config::default()
        };
        let (mut any_safe, mut any_unsafe) = (false, false);
        for case in fire_cases(m.code) {
            let index = lanes_model::load::load(std::slice::from_ref(&case));
            for d in lanes_lint::lint(&index, &config).diagnostics {
                match d.fix.map(|f| f.applicability) {
                    Some(Applicability::Unsafe) => any_unsafe = true,
                    Some(Applicability::Safe) => any_safe = true,
                    None => {}
                }
            }
        }
        let declared_unsafe = lanes_lint::docs::fix_is_unsafe(m);
        if any_unsafe && !declared_unsafe {
            failures.push(format!(
                "{}: offers unsafe fixes but `## Fix safety` does not say so",
                m.code
            ));
        }
        if any_safe && declared_unsafe {
            failures.push(format!(
                "{}: offers safe fixes but `## Fix safety` calls them unsafe",
                m.code
            ));
        }
        if m.docs.contains("## Fix safety") && m.fix == FixAvailability::None {
            failures.push(format!("{}: `## Fix safety` but no fix declared", m.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dry_run_diff_of_the_ln101_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    let config = Config::default();
    let mut out = String::new();
    for case in fire_cases("LN101") {
        let index = lanes_model::load::load_under(Some(&root), std::slice::from_ref(&case));
        let fixed = fix_all(&index, &config, FixMode::Unsafe);
        for f in &fixed.files {
            out.push_str(&unified_diff(&f.name, &f.original, &f.text));
        }
    }
    insta::assert_snapshot!(out);
}
