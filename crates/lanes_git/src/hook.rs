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

/// The prefix of the numbered backups of replaced hooks: `pre-commit.lanes-backup.1`, `.2`...
/// (`pre-commit.lanes-backup`, as older versions wrote it, counts as number 0).
pub(crate) const BACKUP: &str = "pre-commit.lanes-backup";

/// The backups of replaced hooks in `dir`, oldest first.
pub(crate) fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    for e in rd.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let n = if name == BACKUP {
            Some(0)
        } else {
            name.strip_prefix(BACKUP)
                .and_then(|r| r.strip_prefix('.'))
                .and_then(|r| r.parse::<u32>().ok())
        };
        if let Some(n) = n {
            found.push((n, e.path()));
        }
    }
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Write the pre-commit hook. Refuses to overwrite a hook lanes did not write unless `force`;
/// the old hook is then kept as the next numbered backup (earlier backups are never
/// overwritten), and [`uninstall`] puts it back.
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
            let backup = back_up(&dir, &path).map_err(io("cannot back up", &path))?;
            result = Installed::Replaced(path.clone(), backup);
        } else {
            return Err(GitError::ForeignHook(
                path,
                "; use --force to replace it (the old hook is kept as a numbered pre-commit.lanes-backup.N, restored by `lanes hook uninstall`)",
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

/// Move `hook` to the next free numbered backup; a hard link first, so that no existing file
/// is ever replaced.
fn back_up(dir: &Path, hook: &Path) -> std::io::Result<PathBuf> {
    let mut n = backups(dir)
        .last()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .and_then(|e| e.parse::<u32>().ok())
        .unwrap_or(0);
    loop {
        n += 1;
        let backup = dir.join(format!("{BACKUP}.{n}"));
        match std::fs::hard_link(hook, &backup) {
            Ok(()) => {
                std::fs::remove_file(hook)?;
                return Ok(backup);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) if !backup.exists() => {
                std::fs::rename(hook, &backup)?;
                return Ok(backup);
            }
            Err(e) => return Err(e),
        }
    }
}

/// What [`uninstall`] did.
#[derive(Debug, PartialEq, Eq)]
pub struct Uninstalled {
    /// lanes' hook, removed.
    pub removed: PathBuf,
    /// The backup put back as the pre-commit hook (the newest), if there was one.
    pub restored: Option<PathBuf>,
}

/// Remove lanes' pre-commit hook and put back the hook it replaced (the newest backup).
/// `None` when there was no hook. A hook lanes did not write is left alone
/// ([`GitError::ForeignHook`]).
pub fn uninstall(repo: &Repo) -> Result<Option<Uninstalled>, GitError> {
    let dir = hooks_dir(repo)?;
    let path = dir.join("pre-commit");
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    if !text.contains(MARKER) {
        return Err(GitError::ForeignHook(path, "; left alone"));
    }
    let restored = backups(&dir).pop();
    match &restored {
        // rename replaces lanes' hook in one step: there is always a hook.
        Some(b) => std::fs::rename(b, &path),
        None => std::fs::remove_file(&path),
    }
    .map_err(|e| GitError::Io(format!("cannot remove {}", path.display()), e))?;
    Ok(Some(Uninstalled {
        removed: path,
        restored,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_keeps_numbered_backups_and_uninstall_restores_them_in_turn() {
        let dir = tempfile::tempdir().unwrap();
        git2::Repository::init(dir.path()).unwrap();
        let repo = Repo::open(dir.path()).unwrap();
        let hooks = hooks_dir(&repo).unwrap();
        std::fs::create_dir_all(&hooks).unwrap();
        let hook = hooks.join("pre-commit");
        let exe = Path::new("/usr/bin/lanes");
        std::fs::write(&hook, "#!/bin/sh\necho first\n").unwrap();
        assert!(matches!(
            install(&repo, exe, false),
            Err(GitError::ForeignHook(..))
        ));
        let Installed::Replaced(_, b1) = install(&repo, exe, true).unwrap() else {
            panic!("not replaced")
        };
        // Another tool puts its hook back; lanes replaces it again: the first backup stays.
        std::fs::write(&hook, "#!/bin/sh\necho second\n").unwrap();
        let Installed::Replaced(_, b2) = install(&repo, exe, true).unwrap() else {
            panic!("not replaced")
        };
        assert_ne!(b1, b2);
        assert_eq!(
            std::fs::read_to_string(&b1).unwrap(),
            "#!/bin/sh\necho first\n"
        );
        assert_eq!(
            std::fs::read_to_string(&b2).unwrap(),
            "#!/bin/sh\necho second\n"
        );
        // Uninstall puts back the hook lanes replaced last.
        let u = uninstall(&repo).unwrap().unwrap();
        assert_eq!(u.restored.as_deref(), Some(b2.as_path()));
        assert_eq!(
            std::fs::read_to_string(&hook).unwrap(),
            "#!/bin/sh\necho second\n"
        );
        assert!(!b2.exists() && b1.exists());
        // Only lanes' hook is ever removed.
        assert!(matches!(uninstall(&repo), Err(GitError::ForeignHook(..))));
    }
}
