//! Helpers for the conformance checks: tests that read `../shared` (real repositories, peer
//! suites, the corpus generator) and therefore cannot run on a fresh clone.
//!
//! Every test in this crate is `#[ignore = "conformance: needs ../shared"]`, so that
//! `cargo test --workspace` on a fresh clone skips them; `.ci/run` runs them with
//! `cargo test -p lanes_conformance -- --ignored`, and fails when `../shared` is missing.
#![warn(missing_docs)]

use std::path::{Path, PathBuf};

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root exists")
}

/// The `shared` folder: `$LANES_SHARED` if set, else `../shared` beside the workspace.
///
/// Panics with a clear message when it is missing: conformance tests only run when asked to
/// (`--ignored`), and then a missing `../shared` is an error, never a silent pass.
pub fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os("LANES_SHARED") {
        Some(d) => PathBuf::from(d),
        None => workspace_root().join("../shared"),
    };
    assert!(
        dir.join("peer-suites").is_dir() && dir.join("real-repos").is_dir(),
        "conformance checks need ../shared beside the workspace (or LANES_SHARED=DIR); not found at {}",
        dir.display()
    );
    dir
}

/// The `lanes` binary built for this test run (`cargo test -p lanes_conformance` builds it
/// through the workspace); `$LANES_BIN` overrides.
pub fn lanes_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("LANES_BIN") {
        return PathBuf::from(p);
    }
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    for profile in ["debug", "release"] {
        let p = target.join(profile).join("lanes");
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "lanes binary not found under {}; run `cargo build` first (or set LANES_BIN)",
        target.display()
    )
}

pub mod peers;
