//! lanes' pre-commit hook: install and uninstall.

use std::path::{Path, PathBuf};

use crate::{GitError, Repo};

/// The line that marks a hook as lanes'. Only files containing it are replaced or removed.
pub const MARKER: &str = "# lanes-managed-hook: pre-commit (written by `lanes hook install`)";

/// What [`install`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    /// A new hook was written.
    Created(PathBuf),
    /// lanes' own hook was rewritten.
    Updated(PathBuf),
    /// A foreign hook was replaced (`--force`); the old one was kept at the second path.
    Replaced(PathBuf, PathBuf),
}

/// The hooks directory: `core.hooksPath` when set (relative to the work tree's top, as git
/// reads it), else `hooks/` in the common git directory (shared by linked worktrees).
pub fn hooks_dir(repo: &Repo) -> Result<PathBuf, GitError> {
    let r = repo.git2();
    if let Ok(p) = r.config()?.get_path("core.hooksPath") {
        if p.is_absolute() {
            return Ok(p);
        }
        let base = r.workdir().unwrap_or_else(|| r.commondir());
        return Ok(base.join(p));
    }
    Ok(r.commondir().join("hooks"))
}

/// The hook script: runs `lanes lint --staged` with the binary that installed it (falling back
/// to `lanes` on PATH when that binary has moved).
pub fn script(lanes_exe: &Path) -> String {
    let exe = lanes_exe.to_string_lossy().replace('\'', r"'\''");
    format!(
        "#!/bin/sh\n{MARKER}\n# Lints what is about to be committed (the index), not the work tree.\n# Remove with `lanes hook uninstall`; skip once with `git commit --no-verify`.\nlanes='{exe}'\n[ -x \"$lanes\" ] || lanes=lanes\nexec \"$lanes\" lint --staged\n"
    )
}

/// Write the pre-commit hook. Refuses to overwrite a hook lanes did not write unless `force`
/// (the old hook is then kept as `pre-commit.lanes-backup`).
pub fn install(repo: &Repo, lanes_exe: &Path, force: bool) -> Result<Installed, GitError> {
    let dir = hooks_dir(repo)?;
    let path = dir.join("pre-commit");
    let io = |what: &str, p: &Path| {
        let what = format!("{what} {}", p.display());
        move |e| GitError::Io(what, e)
    };
    std::fs::create_dir_all(&dir).map_err(io("cannot create", &dir))?;
    let mut result = Installed::Created(path.clone());
    if path.exists() {
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old.contains(MARKER) {
            result = Installed::Updated(path.clone());
        } else if force {
            let backup = dir.join("pre-commit.lanes-backup");
            std::fs::rename(&path, &backup).map_err(io("cannot back up", &path))?;
            result = Installed::Replaced(path.clone(), backup);
        } else {
            return Err(GitError::ForeignHook(
                path,
                "; use --force to replace it (the old hook is kept as pre-commit.lanes-backup)",
            ));
        }
    }
    std::fs::write(&path, script(lanes_exe)).map_err(io("cannot write", &path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(io("cannot make executable", &path))?;
    }
    Ok(result)
}

/// Remove lanes' pre-commit hook. Returns the removed path, `None` when there was no hook.
/// A hook lanes did not write is left alone ([`GitError::ForeignHook`]).
pub fn uninstall(repo: &Repo) -> Result<Option<PathBuf>, GitError> {
    let path = hooks_dir(repo)?.join("pre-commit");
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    if !text.contains(MARKER) {
        return Err(GitError::ForeignHook(path, "; left alone"));
    }
    std::fs::remove_file(&path)
        .map_err(|e| GitError::Io(format!("cannot remove {}", path.display()), e))?;
    Ok(Some(path))
}
