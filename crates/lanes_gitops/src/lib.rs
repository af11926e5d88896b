//! `lanes`: lint and rewrite the GitOps manifests of ASM traffic lanes and Istio canaries.
//!
//! This crate (package `lanes-gitops`, library `lanes`) is the one front door of the lanes
//! library; the `lanes` binary goes through it too. It does three things:
//!
//! * **Lint** paths of the work tree, the git index or any revision with a `lanes.toml`
//!   configuration: [`Lint::open`] with [`LintOptions`], then [`Lint::check`] gives a
//!   [`Report`].
//! * **Render** a report in any format: [`render`] with a [`Format`] (human, concise, JSON,
//!   SARIF, GitHub, JUnit, GitLab, JSON Lines).
//! * **Plan and apply** a traffic change: [`ops::Workspace`] loads a repository once; its ops
//!   (add a lane, split, set, plan, promote, roll back) return an [`ops::Outcome`] whose
//!   [`Changeset`] previews as a unified diff ([`Changeset::diff`]) or is written all or
//!   nothing ([`ops::Workspace::write`]).
//!
//! Nothing here prints. Every edit is a byte splice of the original text: comments, quoting
//! and layout are kept.
//!
//! # Lint a folder
//!
//! ```
//! # let dir = tempfile::tempdir().unwrap();
//! # std::fs::write(dir.path().join("vs.yaml"), "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: web, namespace: shop}\nspec:\n  hosts: [web]\n  http:\n    - route:\n        - {destination: {host: web, subset: v1}, weight: 70}\n        - {destination: {host: web, subset: v2}, weight: 20}\n").unwrap();
//! let mut run = lanes::Lint::open(&lanes::LintOptions::paths([dir.path()]))?;
//! let report = run.check();
//! let text = lanes::render(&report, &run.index, lanes::Format::Concise, &Default::default());
//! assert!(text.contains("error[LN101]"), "{text}");
//! assert_eq!(report.exit_code(), 1);
//! # Ok::<(), lanes::Error>(())
//! ```
//!
//! The staged index or a revision instead of the work tree: set [`LintOptions::target`] to
//! [`Target::Staged`] or [`Target::Rev`] (the repository around the current directory is
//! read).
//!
//! # Add a lane, as a dry run
//!
//! ```
//! use lanes::ops::{AddArgs, Scope, Workspace};
//!
//! let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/examples/swimlane");
//! let ws = Workspace::open(sample, Scope::default())?;
//! let args = AddArgs { lane: "v3".into(), weight: Some(10), ..AddArgs::default() };
//! let outcome = ws.add(&args)?;
//! let diff = outcome.changeset.diff(); // nothing is written until `ws.write(&outcome.changeset)`
//! assert!(diff.contains("+++ b/") && diff.contains("subset: v3"), "{diff}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod config;
mod format;
mod git;
mod lint;
pub mod ops;
pub mod root;
pub mod universes;

use std::path::PathBuf;

pub use format::{render, Format, RenderOptions};
pub use git::traffic_diff_of as traffic_diff;
pub use lanes_model::terminal::terminal_safe;
pub use lint::{Lint, LintOptions, Target};

pub use lanes_git::GitError;
pub use lanes_lint::config::Selection;
pub use lanes_lint::config_file::{ConfigError, Settings};
pub use lanes_lint::fix::{FixMode, FixOutcome};
pub use lanes_lint::{Config, Diagnostic, Report, Severity};
pub use lanes_model::traffic::TrafficDiff;
pub use lanes_model::Index;
pub use lanes_ops::{Changeset, FileChange, Policy, Recovered, Recovery, WriteError};

/// Why a lint run or a workspace could not be opened. Nothing was written.
#[derive(Debug)]
pub enum Error {
    /// `lanes.toml` (or the given config file) is unreadable or wrong, located in the file.
    Config(ConfigError),
    /// An unknown rule in the selection.
    Selection(String),
    /// Options that do not go together.
    Usage(String),
    /// Reading git (not a repository, an unknown revision, an Application that names no
    /// source of this repository, ...).
    Git(GitError),
    /// An interrupted earlier write could not be finished or undone (or another writer holds
    /// the lock).
    Write(WriteError),
    /// A writing command's root is not a directory.
    NotADirectory(PathBuf),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(e) => e.fmt(f),
            Error::Selection(e) | Error::Usage(e) => f.write_str(e),
            Error::Git(e) => e.fmt(f),
            Error::Write(e) => e.fmt(f),
            Error::NotADirectory(p) => write!(f, "{}: not a directory", p.display()),
        }
    }
}

impl std::error::Error for Error {}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Error {
        Error::Config(e)
    }
}

impl From<GitError> for Error {
    fn from(e: GitError) -> Error {
        Error::Git(e)
    }
}

impl From<WriteError> for Error {
    fn from(e: WriteError) -> Error {
        Error::Write(e)
    }
}

/// The changeset that writes the files of a fix outcome ([`Lint::fix`]): write it with
/// [`ops::write`] under [`Lint::write_root`] (a symbolic link to a manifest inside the root is
/// edited through the link).
pub fn fix_changeset(outcome: &FixOutcome) -> Changeset {
    Changeset {
        changes: outcome
            .files
            .iter()
            .map(|f| FileChange {
                path: PathBuf::from(&f.name),
                display: f.name.clone(),
                before: Some(f.original.clone()),
                after: Some(f.text.clone()),
            })
            .collect(),
    }
}

/// The unified diff of a fix outcome ([`Lint::fix`]), file by file: what `lanes lint --fix
/// --dry-run` prints.
pub fn fix_diff(outcome: &FixOutcome) -> String {
    let mut out = String::new();
    for f in &outcome.files {
        out.push_str(&lanes_lint::fix::unified_diff(
            &f.name,
            &f.original,
            &f.text,
        ));
    }
    out
}
