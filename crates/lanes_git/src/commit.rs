//! One commit per stage: exactly the files a command changed, on top of HEAD.

use std::collections::BTreeSet;
use std::path::Path;

use git2::{Oid, Signature};

use crate::{GitError, Repo};

/// Options of [`Repo::commit_paths`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CommitOpts {
    /// Also commit changes that were already staged before the command ran
    /// (`--include-staged`). Without it such changes make the commit refuse.
    pub include_staged: bool,
}

/// What [`Repo::preflight_commit`] checked; hand it to [`Repo::commit_paths`].
#[derive(Debug)]
pub struct CommitPlan {
    paths: Vec<String>,
    opts: CommitOpts,
}

impl CommitPlan {
    /// The repository paths that will be committed.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }
}

/// The default message of a stage: `lanes: {action} ({lane weight, …})`, e.g.
/// `stage_message("promote v3 to 30%", &[("v1", 40), ("v2", 30), ("v3", 30)])` gives
/// `lanes: promote v3 to 30% (v1 40, v2 30, v3 30)`.
pub fn stage_message<S: AsRef<str>>(action: &str, weights: &[(S, i64)]) -> String {
    if weights.is_empty() {
        return format!("lanes: {action}");
    }
    let w: Vec<String> = weights
        .iter()
        .map(|(l, w)| format!("{} {w}", l.as_ref()))
        .collect();
    format!("lanes: {action} ({})", w.join(", "))
}

impl Repo {
    /// Check, before any file is written, that a commit of `paths` (repository paths) can be
    /// made: not bare, identity configured, index not locked, and no other staged changes
    /// (unless `opts.include_staged`). Nothing is changed.
    pub fn preflight_commit<P: AsRef<str>>(
        &self,
        paths: &[P],
        opts: CommitOpts,
    ) -> Result<CommitPlan, GitError> {
        let repo = self.git2();
        if repo.is_bare() {
            return Err(GitError::Bare("committing", repo.path().to_path_buf()));
        }
        let mut clean = Vec::new();
        for p in paths {
            let p = p.as_ref();
            let c = p.trim_start_matches("./").to_string();
            if c.is_empty()
                || Path::new(&c).is_absolute()
                || c.split('/').any(|s| s == ".." || s == ".git")
            {
                return Err(GitError::BadPath(
                    p.to_string(),
                    "expected a path relative to the repository root".into(),
                ));
            }
            clean.push(c);
        }
        clean.sort();
        clean.dedup();
        self.signature()?;
        let lock = lock_path(&self.index_path());
        if lock.exists() {
            return Err(GitError::IndexLocked(lock));
        }
        if !opts.include_staged {
            let others = self.staged_changes()?;
            let mine: BTreeSet<&str> = clean.iter().map(String::as_str).collect();
            let others: Vec<String> = others
                .into_iter()
                .filter(|p| !mine.contains(p.as_str()))
                .collect();
            if !others.is_empty() {
                return Err(GitError::OtherStaged(others));
            }
        }
        Ok(CommitPlan { paths: clean, opts })
    }

    /// Paths whose index version differs from HEAD (all index entries on an unborn branch).
    pub fn staged_changes(&self) -> Result<Vec<String>, GitError> {
        let repo = self.git2();
        let index = self.index("committing")?;
        let head_tree = match repo.head() {
            Ok(h) => Some(h.peel_to_tree()?),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
            Err(e) => return Err(e.into()),
        };
        let diff = repo.diff_tree_to_index(head_tree.as_ref(), Some(&index), None)?;
        let mut out: Vec<String> = diff
            .deltas()
            .filter_map(|d| {
                d.new_file()
                    .path()
                    .or_else(|| d.old_file().path())
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The author/committer from git config. Refuses when user.name or user.email is missing.
    pub(crate) fn signature(&self) -> Result<Signature<'static>, GitError> {
        let cfg = self.git2().config()?;
        let name = cfg
            .get_string("user.name")
            .ok()
            .filter(|s| !s.trim().is_empty());
        let email = cfg
            .get_string("user.email")
            .ok()
            .filter(|s| !s.trim().is_empty());
        let name = name.ok_or(GitError::MissingIdentity("user.name"))?;
        let email = email.ok_or(GitError::MissingIdentity("user.email"))?;
        Ok(Signature::now(&name, &email)?)
    }

    /// Create one commit holding the plan's paths as they are in the work tree (a path missing
    /// from the work tree is committed as a deletion), on top of HEAD (or as the first commit
    /// of an unborn branch), then write the index so work tree, index and HEAD agree for those
    /// paths. Never pushes.
    ///
    /// If the commit cannot be created the index on disk is not touched
    /// ([`GitError::CommitFailed`]).
    pub fn commit_paths(&self, plan: &CommitPlan, message: &str) -> Result<Oid, GitError> {
        let repo = self.git2();
        let workdir = repo
            .workdir()
            .ok_or_else(|| GitError::Bare("committing", repo.path().to_path_buf()))?
            .to_path_buf();
        // Re-check what may have changed since the preflight.
        let lock = lock_path(&self.index_path());
        if lock.exists() {
            return Err(GitError::IndexLocked(lock));
        }
        let sig = self.signature()?;
        let mut index = self.index("committing")?;
        let failed = |e: git2::Error| GitError::CommitFailed(e.message().to_string());
        let head = match repo.head() {
            Ok(h) => Some(h.peel_to_commit().map_err(failed)?),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
            Err(e) => return Err(failed(e)),
        };
        if !plan.opts.include_staged {
            // Start from HEAD so that only the plan's paths change, even if something was
            // staged after the preflight.
            let staged = self.staged_changes()?;
            if staged.iter().any(|p| !plan.paths.contains(p)) {
                let others = staged
                    .into_iter()
                    .filter(|p| !plan.paths.contains(p))
                    .collect();
                return Err(GitError::OtherStaged(others));
            }
        }
        let result = (|| -> Result<Oid, git2::Error> {
            for p in &plan.paths {
                if workdir.join(p).exists() {
                    index.add_path(Path::new(p))?;
                } else {
                    index.remove_path(Path::new(p))?;
                }
            }
            let tree_id = index.write_tree()?;
            let tree = repo.find_tree(tree_id)?;
            let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
            repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        })();
        match result {
            Ok(oid) => {
                index.write().map_err(|e| {
                    GitError::CommitFailed(format!(
                        "commit {oid} was created but the index could not be written: {}",
                        e.message()
                    ))
                })?;
                Ok(oid)
            }
            Err(e) => {
                // Drop the in-memory changes; the index file was never written.
                let _ = index.read(true);
                Err(failed(e))
            }
        }
    }
}

fn lock_path(index: &Path) -> std::path::PathBuf {
    let mut s = index.as_os_str().to_os_string();
    s.push(".lock");
    s.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(
            stage_message("promote v3 to 30%", &[("v1", 40), ("v2", 30), ("v3", 30)]),
            "lanes: promote v3 to 30% (v1 40, v2 30, v3 30)"
        );
        assert_eq!(
            stage_message::<&str>("rollback v3", &[]),
            "lanes: rollback v3"
        );
    }
}

/// The `--commit` flow of a writing command, for paths as the command knows them (relative to
/// `cwd`, or absolute): [`StageCommit::prepare`] before writing anything, then
/// [`StageCommit::commit`] after the files are written.
#[derive(Debug)]
pub struct StageCommit {
    repo: Repo,
    plan: CommitPlan,
}

impl StageCommit {
    /// Open the repository around `cwd` (honouring git's variables), turn `changed` into
    /// repository paths and run [`Repo::preflight_commit`]. Nothing is changed.
    pub fn prepare(
        cwd: &Path,
        changed: &[std::path::PathBuf],
        opts: CommitOpts,
    ) -> Result<StageCommit, GitError> {
        let repo = Repo::discover(cwd)?;
        let paths = changed
            .iter()
            .map(|p| repo.prefix_for(cwd, p))
            .collect::<Result<Vec<_>, _>>()?;
        let plan = repo.preflight_commit(&paths, opts)?;
        Ok(StageCommit { repo, plan })
    }

    /// The repository paths that will be committed.
    pub fn paths(&self) -> &[String] {
        self.plan.paths()
    }

    /// Commit the written files. On error, report it with [`GitError::after_write`].
    pub fn commit(&self, message: &str) -> Result<Oid, GitError> {
        self.repo.commit_paths(&self.plan, message)
    }
}
