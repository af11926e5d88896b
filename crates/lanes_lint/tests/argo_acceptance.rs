//! Acceptance: the Argo Rollouts set of ASM's guide lints clean, and three typical mistakes are
//! each reported at their own line.

use std::path::Path;

use lanes_lint::{lint, Config, Severity};
use lanes_model::Index;

fn example_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/examples/argo-rollouts");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// `(file, line, code)` of every finding at warning level or above.
fn problems(files: Vec<(String, String)>) -> Vec<(String, usize, String)> {
    let index = Index::from_texts(files);
    let report = lint(&index, &Config::default());
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| (d.file.clone(), d.start.line, d.code.to_string()))
        .collect()
}

/// Replace the first `from` in `file` and return the 1-based line of the change.
fn mutate(files: &mut [(String, String)], file: &str, from: &str, to: &str) -> usize {
    let (_, text) = files.iter_mut().find(|(n, _)| n == file).unwrap();
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("{from} not in {file}"));
    let line = text[..at].matches('\n').count() + 1;
    *text = text.replacen(from, to, 1);
    line
}

#[test]
fn guide_set_lints_clean() {
    let files = example_files();
    assert_eq!(
        files.len(),
        5,
        "rollout, services, virtualservice, gateway, analysis"
    );
    assert_eq!(problems(files), vec![]);
}

#[test]
fn only_info_is_the_manual_pause() {
    let index = Index::from_texts(example_files());
    let report = lint(&index, &Config::default());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["LN516"]);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn route_name_typo_is_reported_at_its_line() {
    let mut files = example_files();
    let line = mutate(&mut files, "rollout.yaml", "- primary", "- primry");
    assert_eq!(
        problems(files),
        vec![("rollout.yaml".into(), line, "LN508".into())]
    );
}

#[test]
fn set_weight_150_is_reported_at_its_line() {
    let mut files = example_files();
    let line = mutate(
        &mut files,
        "rollout.yaml",
        "setWeight: 30",
        "setWeight: 150",
    );
    assert_eq!(
        problems(files),
        vec![("rollout.yaml".into(), line, "LN501".into())]
    );
}

#[test]
fn template_name_typo_is_reported_at_its_line() {
    let mut files = example_files();
    let line = mutate(
        &mut files,
        "rollout.yaml",
        "templateName: istio-success-rate",
        "templateName: istio-sucess-rate",
    );
    let index = Index::from_texts(files.clone());
    let report = lint(&index, &Config::default());
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "LN512")
        .unwrap();
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean 'istio-success-rate'?")
    );
    assert_eq!(
        problems(files),
        vec![("rollout.yaml".into(), line, "LN512".into())]
    );
}

#[test]
fn all_three_mistakes_at_once_are_three_findings() {
    let mut files = example_files();
    let a = mutate(&mut files, "rollout.yaml", "- primary", "- primry");
    let b = mutate(
        &mut files,
        "rollout.yaml",
        "setWeight: 30",
        "setWeight: 150",
    );
    let c = mutate(
        &mut files,
        "rollout.yaml",
        "templateName: istio-success-rate",
        "templateName: istio-sucess-rate",
    );
    let mut got = problems(files);
    got.sort();
    let mut want = vec![
        ("rollout.yaml".to_string(), a, "LN508".to_string()),
        ("rollout.yaml".to_string(), b, "LN501".to_string()),
        ("rollout.yaml".to_string(), c, "LN512".to_string()),
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn default_off_rule_needs_selecting_and_revisions_config_is_used() {
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
    let index = Index::from_texts([("ns.yaml", ns)]);
    assert!(lint(&index, &Config::default()).diagnostics.is_empty());
    let on = Config {
        select: Some(vec!["LN603".into()]),
        ..Config::default()
    };
    assert_eq!(lint(&index, &on).diagnostics.len(), 1);
    let mut sev = Config::default();
    sev.severity.insert("LN603".into(), Some(Severity::Warning));
    assert_eq!(lint(&index, &sev).warnings(), 1);

    let tagged = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio.io/rev: prod-stable\n";
    // Plain Istio names revisions freely: without [mesh] revisions only an ASM repository
    // (here: one holding an IstioGateway) requires version-named revisions.
    let index = Index::from_texts([("ns.yaml", tagged)]);
    assert_eq!(lint(&index, &Config::default()).errors(), 0);
    let gw = "apiVersion: istio.alibabacloud.com/v1beta1\nkind: IstioGateway\nmetadata:\n  name: ingressgateway\n  namespace: istio-system\nspec:\n  gatewayType: ingress\n";
    let asm = Index::from_texts([("ns.yaml", tagged), ("gw.yaml", gw)]);
    assert_eq!(lint(&asm, &Config::default()).errors(), 1);
    let known = Config {
        mesh_revisions: Some(vec!["prod-stable".into(), "1-23-6".into()]),
        ..Config::default()
    };
    assert_eq!(lint(&index, &known).errors(), 0);
    // ASM's built-in tags stay known when revisions are listed (issue #15).
    for tag in ["canary", "stable", "default"] {
        let text = format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio.io/rev: {tag}\n");
        let index = Index::from_texts([("ns.yaml", text.as_str())]);
        assert_eq!(lint(&index, &known).errors(), 0, "{tag} is always known");
    }
    let unlisted = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio.io/rev: 1-24-2\n";
    let index = Index::from_texts([("ns.yaml", unlisted)]);
    assert_eq!(
        lint(&index, &known).errors(),
        1,
        "with a list, other revisions must be listed"
    );
}
