//! The parse cache on real files: a second run decodes what the first parsed and gives the same
//! index; a damaged, truncated or foreign cache file changes nothing but speed; broken files are
//! never cached.

use std::path::{Path, PathBuf};

use lanes_model::cache::{CacheStats, ParseCache};
use lanes_model::load::{load_blobs, load_blobs_cached};
use lanes_model::Index;

fn sample() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/examples/swimlane");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    assert!(out.len() >= 5, "expected the swimlane example");
    out
}

fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(base, &p, out);
        } else if lanes_model::load::is_yaml(&p) {
            let name = p.strip_prefix(base).unwrap().display().to_string();
            out.push((name, std::fs::read(&p).unwrap()));
        }
    }
}

/// Everything the index exposes about each file, node by node.
fn shape(index: &Index) -> String {
    let mut s = String::new();
    for f in &index.files {
        s.push_str(&format!("{} {:?}\n", f.source.name(), f.errors));
        for d in &f.docs {
            s.push_str(&format!("doc {} {:?} {:?}\n", d.index, d.marker, d.root));
            for id in 0..d.len() as u32 {
                s.push_str(&format!("{:?} {}\n", d.node(id), d.at(id).pointer()));
            }
        }
    }
    for r in &index.resources {
        s.push_str(&format!("{r:?}\n"));
    }
    s.push_str(&format!("{:?}\n", index.input_errors));
    s
}

fn cache_file(dir: &Path) -> PathBuf {
    dir.join("parse-cache")
}

#[test]
fn second_run_decodes_everything_and_matches_a_fresh_parse() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample();
    let fresh = shape(&load_blobs(files.clone()));

    let first = ParseCache::open(dir.path());
    assert_eq!(shape(&load_blobs_cached(files.clone(), &first)), fresh);
    assert_eq!(
        first.stats(),
        CacheStats {
            hits: 0,
            misses: files.len()
        }
    );
    first.save().unwrap();
    assert!(cache_file(dir.path()).is_file());

    let second = ParseCache::open(dir.path());
    assert_eq!(shape(&load_blobs_cached(files.clone(), &second)), fresh);
    assert_eq!(
        second.stats(),
        CacheStats {
            hits: files.len(),
            misses: 0
        }
    );
    let before = std::fs::read(cache_file(dir.path())).unwrap();
    second.save().unwrap();
    assert_eq!(
        std::fs::read(cache_file(dir.path())).unwrap(),
        before,
        "nothing new: the file is left alone"
    );
}

#[test]
fn a_changed_file_is_parsed_again_and_appended() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = sample();
    let c = ParseCache::open(dir.path());
    load_blobs_cached(files.clone(), &c);
    c.save().unwrap();
    let len0 = std::fs::metadata(cache_file(dir.path())).unwrap().len();

    files[0].1.extend_from_slice(b"\n# edited\n");
    let c = ParseCache::open(dir.path());
    let got = shape(&load_blobs_cached(files.clone(), &c));
    assert_eq!(got, shape(&load_blobs(files.clone())));
    assert_eq!(
        c.stats(),
        CacheStats {
            hits: files.len() - 1,
            misses: 1
        }
    );
    c.save().unwrap();
    assert!(std::fs::metadata(cache_file(dir.path())).unwrap().len() > len0);
    let c = ParseCache::open(dir.path());
    load_blobs_cached(files.clone(), &c);
    assert_eq!(c.stats().hits, files.len());
}

#[test]
fn damaged_truncated_or_foreign_cache_files_change_nothing() {
    let files = sample();
    let fresh = shape(&load_blobs(files.clone()));
    let dir = tempfile::tempdir().unwrap();
    let c = ParseCache::open(dir.path());
    load_blobs_cached(files.clone(), &c);
    c.save().unwrap();
    let good = std::fs::read(cache_file(dir.path())).unwrap();

    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [0, 5, 20, good.len() / 3, good.len() / 2, good.len() - 1] {
        cases.push((format!("truncated at {cut}"), good[..cut].to_vec()));
    }
    for at in (0..good.len()).step_by((good.len() / 97).max(1)) {
        let mut bad = good.clone();
        bad[at] ^= 0x5a;
        cases.push((format!("byte {at} flipped"), bad));
    }
    let mut foreign = good.clone();
    foreign[8] ^= 1; // another snapshot format
    cases.push(("another format".into(), foreign));
    cases.push(("not a cache".into(), b"hello world".to_vec()));

    for (what, bytes) in cases {
        std::fs::write(cache_file(dir.path()), &bytes).unwrap();
        let c = ParseCache::open(dir.path());
        assert_eq!(
            shape(&load_blobs_cached(files.clone(), &c)),
            fresh,
            "{what}"
        );
        let s = c.stats();
        assert_eq!(s.hits + s.misses, files.len(), "{what}");
        c.save().unwrap();
        // After a save the cache is whole again: the next run decodes every file.
        let c = ParseCache::open(dir.path());
        assert_eq!(
            shape(&load_blobs_cached(files.clone(), &c)),
            fresh,
            "{what}"
        );
        assert_eq!(c.stats().hits, files.len(), "{what}: repaired by the save");
    }
}

#[test]
fn broken_files_are_never_cached() {
    let dir = tempfile::tempdir().unwrap();
    let files = vec![
        ("bad.yaml".to_string(), b"a: [1, 2\n".to_vec()),
        ("dup.yaml".to_string(), b"a: 1\na: 2\n".to_vec()),
        (
            "ok.yaml".to_string(),
            b"kind: Service\nmetadata: {name: s}\n".to_vec(),
        ),
    ];
    for round in 0..2 {
        let c = ParseCache::open(dir.path());
        let index = load_blobs_cached(files.clone(), &c);
        assert_eq!(shape(&index), shape(&load_blobs(files.clone())));
        assert_eq!(index.files.iter().filter(|f| f.has_errors()).count(), 2);
        assert_eq!(
            c.stats(),
            CacheStats {
                hits: round,
                misses: 3 - round
            },
            "round {round}"
        );
        c.save().unwrap();
    }
}

#[test]
fn a_disabled_cache_writes_nothing() {
    let c = ParseCache::disabled();
    assert!(!c.is_enabled());
    let files = sample();
    assert_eq!(
        shape(&load_blobs_cached(files.clone(), &c)),
        shape(&load_blobs(files))
    );
    c.save().unwrap();
    assert_eq!(c.stats(), CacheStats::default());
}

#[test]
fn the_cache_file_stays_about_the_size_of_what_a_run_uses() {
    // Twelve runs over a tree whose every file changes each time: the stale snapshots are
    // dropped once they outweigh the live ones, so the file never holds all twelve trees.
    let dir = tempfile::tempdir().unwrap();
    let mut sizes = Vec::new();
    for run in 0..12 {
        let files: Vec<(String, Vec<u8>)> = (0..40)
            .map(|i| {
                let mut text = String::new();
                for d in 0..20 {
                    text.push_str(&format!(
                        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}-{d}-run{run}\n  namespace: ns\nspec:\n  selector: {{app: a{i}}}\n  ports:\n  - port: 80\n    name: http\n"
                    ));
                }
                (format!("f{i}.yaml"), text.into_bytes())
            })
            .collect();
        let c = ParseCache::open(dir.path());
        let index = load_blobs_cached(files.clone(), &c);
        assert_eq!(shape(&index), shape(&load_blobs(files)));
        assert_eq!(c.stats().misses, 40, "run {run}: every file is new");
        c.save().unwrap();
        sizes.push(std::fs::metadata(cache_file(dir.path())).unwrap().len());
    }
    let one_run = sizes[0];
    assert!(one_run > 200_000, "a run's snapshots: {one_run} bytes");
    let max = *sizes.iter().max().unwrap();
    assert!(
        max <= 2 * one_run + (1 << 20) + one_run,
        "the file grew to {max} bytes for runs of {one_run}: {sizes:?}"
    );
    assert!(
        sizes.windows(2).any(|w| w[1] < w[0]),
        "never compacted: {sizes:?}"
    );
}
