//! Linting with the persistent cache gives exactly the findings of a plain lint, run after run:
//! files recorded as passing the JSON Schemas skip validation, files with violations are
//! validated every time, and an edit to a file makes it validated again.

use std::path::{Path, PathBuf};

use lanes_lint::{lint, lint_cached, Config, Report};
use lanes_model::cache::{CacheStats, ParseCache};
use lanes_model::load::load_under_cached;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn render(r: &Report) -> String {
    lanes_lint::render::json(r)
}

fn tree(dir: &Path) -> PathBuf {
    let t = dir.join("tree");
    std::fs::create_dir_all(&t).unwrap();
    let r = root();
    for (from, to) in [
        (
            "fixtures/rules/LN701/fire_types_enum_required.yaml",
            "bad-types.yaml",
        ),
        ("fixtures/rules/LN702/fire_typos.yaml", "bad-typos.yaml"),
        ("fixtures/rules/LN701/pass_valid.yaml", "good.yaml"),
        (
            "fixtures/examples/swimlane/swimlanes.yaml",
            "swimlanes.yaml",
        ),
        ("fixtures/examples/swimlane/mock-v1.yaml", "mock-v1.yaml"),
    ] {
        std::fs::copy(r.join(from), t.join(to)).unwrap();
    }
    t
}

#[test]
fn cached_lint_matches_plain_lint_run_after_run() {
    let dir = tempfile::tempdir().unwrap();
    let t = tree(dir.path());
    let cache_dir = dir.path().join("cache");
    let config = Config::default();
    let paths = [t.clone()];
    let plain = render(&lint(
        &load_under_cached(Some(&t), &paths, &ParseCache::disabled()),
        &config,
    ));
    assert!(
        plain.contains("LN701") && plain.contains("LN702"),
        "{plain}"
    );

    for run in 0..3 {
        let memo = ParseCache::open(&cache_dir);
        let index = load_under_cached(Some(&t), &paths, &memo);
        let got = render(&lint_cached(&index, &config, &memo));
        assert_eq!(got, plain, "run {run}");
        memo.save().unwrap();
        if run > 0 {
            assert_eq!(memo.stats(), CacheStats { hits: 5, misses: 0 }, "run {run}");
        }
    }

    // Which texts carry the fact: exactly the three files without violations.
    let memo = ParseCache::open(&cache_dir);
    let index = load_under_cached(Some(&t), &paths, &memo);
    let probe = lanes_model::cache::fact_id("probe: no such fact");
    let mut valid: Vec<&str> = Vec::new();
    for f in &index.files {
        assert!(!memo.has_fact(f.source.text(), probe));
        if memo.has_fact(f.source.text(), lanes_lint::schema::valid_fact()) {
            valid.push(f.source.name());
        }
    }
    assert_eq!(valid, ["good.yaml", "mock-v1.yaml", "swimlanes.yaml"]);
    // Edit a good file into a bad one: it is validated again and reported.
    let good = std::fs::read_to_string(t.join("good.yaml")).unwrap();
    std::fs::write(
        t.join("good.yaml"),
        good.replacen("metadata:", "metadata:\n  nmae: x", 1),
    )
    .unwrap();
    let memo = ParseCache::open(&cache_dir);
    let index = load_under_cached(Some(&t), &paths, &memo);
    let got = render(&lint_cached(&index, &config, &memo));
    let fresh = render(&lint(&index, &config));
    assert_eq!(got, fresh);
    assert!(got.contains("good.yaml") && got.contains("nmae"), "{got}");
}
