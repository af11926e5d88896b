//! Findings are identical before and after the compact arena (issue 16): `lanes lint . --format
//! json` on the 10k corpus (`gen_corpus --groups 500 --seed 1`, regenerated here with the
//! in-tree port) and on the same with `--inject-errors 200` must print exactly the bytes whose
//! digest and counts tests/golden/findings_digest.txt holds (produced by the old 88-byte arena).
//!
//! The two 10k-document lints take about 12 s together in a debug build (2 cores, loaded), so
//! they are plain tests.

use std::process::Command;

use lanes_corpus::{generate, Options};

/// FNV-1a, 64 bits: stable, dependency-free, enough to tell two outputs apart.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn expected(name: &str) -> String {
    let golden = include_str!("golden/findings_digest.txt");
    golden
        .lines()
        .find(|l| l.split(' ').next() == Some(name))
        .unwrap_or_else(|| panic!("no line for {name} in findings_digest.txt"))
        .to_string()
}

fn digest_line(name: &str, inject_errors: usize) -> String {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(&Options {
        groups: 500,
        seed: 1,
        inject_errors,
        ..Options::default()
    });
    corpus.write(dir.path()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(["lint", ".", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 2), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &json["summary"];
    format!(
        "{name} fnv1a64={:016x} bytes={} findings={} errors={} warnings={} infos={} documents={}",
        fnv1a64(&out.stdout),
        out.stdout.len(),
        json["diagnostics"].as_array().unwrap().len(),
        s["errors"],
        s["warnings"],
        s["infos"],
        s["documents"]
    )
}

#[test]
fn findings_on_the_10k_corpus_are_unchanged() {
    assert_eq!(digest_line("c10k", 0), expected("c10k"));
}

#[test]
fn findings_on_the_10k_corpus_with_200_faults_are_unchanged() {
    assert_eq!(
        digest_line("c10k-inject-200", 200),
        expected("c10k-inject-200")
    );
}
