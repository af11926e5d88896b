//! `lanes_git`: the only crate of lanes that touches git (through git2/libgit2, built without
//! OpenSSL or libssh2: lanes never talks to a remote).
//!
//! * [`Repo::discover`] opens the repository around a path and honours the variables git sets
//!   for hooks (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`).
//! * [`Repo::staged_files`] / [`Repo::tree_files`] read every YAML file of the index or of any
//!   revision straight from the object database (no checkout).
//! * [`argo`] reads Argo CD `Application`s and resolves `targetRevision` the way Argo CD does.
//! * [`Repo::preflight_commit`] + [`Repo::commit_paths`] make one commit per stage.
//! * [`hook`] installs and removes lanes' pre-commit hook.
//! * [`Repo::files`] reads either side of `lanes diff` (the facade turns it into traffic).
#![warn(missing_docs)]

pub mod argo;
mod commit;
mod error;
pub mod hook;
mod repo;

pub use commit::{stage_message, CommitOpts, CommitPlan, StageCommit};
pub use error::GitError;
pub use git2::Oid;
pub use repo::{GitEnv, Repo, Source};

/// The repository holding `path`: its work tree (canonical) and the URLs of its remotes, as
/// configured (what Application `repoURL`s are matched against,
/// [`lanes_model::universes::assign`]). `None` outside a repository or in a bare one.
pub fn remotes_of(path: &std::path::Path) -> Option<(std::path::PathBuf, Vec<String>)> {
    let repo = Repo::discover(path).ok()?;
    let root = repo.workdir()?;
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let urls = repo.remote_urls().into_iter().map(|(_, u)| u).collect();
    Some((root, urls))
}

impl GitError {
    /// The one-line message for a commit that failed after the command had written its files:
    /// `the files were written but not committed: …`.
    pub fn after_write(&self) -> String {
        format!("the files were written but not committed: {self}")
    }
}
