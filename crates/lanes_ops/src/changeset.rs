//! A set of file changes: unified diffs for `--dry-run`, and an all-or-nothing atomic writer.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One file's change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Where the file is (as it will be opened).
    pub path: PathBuf,
    /// Name shown in diffs and summaries (relative to the repository root).
    pub display: String,
    /// The text read from disk; `None` for a new file.
    pub before: Option<String>,
    /// The new text; `None` to delete the file.
    pub after: Option<String>,
}

impl FileChange {
    /// What happens to the file: `create`, `delete` or `modify`.
    pub fn action(&self) -> &'static str {
        match (&self.before, &self.after) {
            (None, _) => "create",
            (_, None) => "delete",
            _ => "modify",
        }
    }
}

/// Why a changeset was not written. When this is returned, no file was changed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file is no longer what was read.
    #[error("{0}: file changed on disk between reading and writing; nothing was written")]
    ChangedOnDisk(String),
    /// A file to be created already exists.
    #[error("{0}: target file already exists; nothing was written")]
    TargetExists(String),
    /// An I/O failure; every file was left (or put back) as it was.
    #[error("{path}: {source}; nothing was written")]
    Io {
        /// The file.
        path: String,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
}

/// Changes to several files that land together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changeset {
    /// The changes, in a stable order.
    pub changes: Vec<FileChange>,
}

impl Changeset {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| c.before == c.after)
    }

    /// A unified diff of every change (`a/` and `b/` headers, three lines of context, and
    /// `\ No newline at end of file` where a side lacks its final newline).
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for c in &self.changes {
            let before = c.before.as_deref().unwrap_or("");
            let after = c.after.as_deref().unwrap_or("");
            if c.before.is_some() && before == after {
                continue;
            }
            let a = if c.before.is_some() {
                format!("a/{}", c.display)
            } else {
                "/dev/null".to_string()
            };
            let b = if c.after.is_some() {
                format!("b/{}", c.display)
            } else {
                "/dev/null".to_string()
            };
            let diff = similar::TextDiff::from_lines(before, after);
            let text = diff
                .unified_diff()
                .context_radius(3)
                .missing_newline_hint(true)
                .header(&a, &b)
                .to_string();
            out.push_str(&text);
        }
        out
    }

    /// One line per file: `create mock-v3.yaml`, `modify mock-route.yaml`, ...
    pub fn summary(&self) -> Vec<String> {
        self.changes
            .iter()
            .filter(|c| c.before != c.after)
            .map(|c| format!("{} {}", c.action(), c.display))
            .collect()
    }

    /// Write every change, or none.
    ///
    /// 1. Check that every file still holds exactly its `before` text, and that no file to be
    ///    created exists. Otherwise refuse and write nothing.
    /// 2. Write each new text to a temporary file in the target's directory, with the
    ///    original's permissions, and fsync it. If any of this fails, the temporary files are
    ///    removed and nothing else was touched.
    /// 3. Rename the temporary files over their targets (and delete files to delete). If one of
    ///    these steps fails, the files already replaced are restored from the `before` texts
    ///    kept in memory.
    ///
    /// A process killed during step 3 leaves each file either old or new, never truncated.
    pub fn write_atomic(&self) -> Result<(), WriteError> {
        let changes: Vec<&FileChange> = self
            .changes
            .iter()
            .filter(|c| c.before != c.after)
            .collect();
        // 1. Verify.
        for c in &changes {
            match &c.before {
                Some(before) => match fs::read(&c.path) {
                    Ok(now) if now == before.as_bytes() => {}
                    Ok(_) => return Err(WriteError::ChangedOnDisk(c.display.clone())),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Err(WriteError::ChangedOnDisk(c.display.clone()))
                    }
                    Err(source) => {
                        return Err(WriteError::Io {
                            path: c.display.clone(),
                            source,
                        })
                    }
                },
                None => {
                    if c.path.exists() {
                        return Err(WriteError::TargetExists(c.display.clone()));
                    }
                }
            }
        }
        // 2. Stage.
        let mut staged: Vec<Option<tempfile::NamedTempFile>> = Vec::with_capacity(changes.len());
        let mut created_dirs: Vec<PathBuf> = Vec::new();
        for c in &changes {
            let Some(after) = &c.after else {
                staged.push(None);
                continue;
            };
            match stage(c, after, &mut created_dirs) {
                Ok(t) => staged.push(Some(t)),
                Err(source) => {
                    drop(staged);
                    remove_dirs(&created_dirs);
                    return Err(WriteError::Io {
                        path: c.display.clone(),
                        source,
                    });
                }
            }
        }
        // 3. Commit.
        let mut done: Vec<&FileChange> = Vec::new();
        for (i, (c, tmp)) in changes.iter().zip(staged).enumerate() {
            let result = match tmp {
                _ if injected_failure(i) => Err(std::io::Error::other("injected failure")),
                Some(tmp) if c.before.is_none() => tmp
                    .persist_noclobber(&c.path)
                    .map(|_| ())
                    .map_err(|e| e.error),
                Some(tmp) => tmp.persist(&c.path).map(|_| ()).map_err(|e| e.error),
                None => fs::remove_file(&c.path),
            };
            match result {
                Ok(()) => done.push(c),
                Err(source) => {
                    for d in done.iter().rev() {
                        restore(d);
                    }
                    remove_dirs(&created_dirs);
                    return Err(WriteError::Io {
                        path: c.display.clone(),
                        source,
                    });
                }
            }
        }
        for c in &changes {
            if let Some(dir) = parent_dir(&c.path) {
                if let Ok(d) = fs::File::open(dir) {
                    let _ = d.sync_all();
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
thread_local! {
    /// Tests: make the commit of the change at this position fail.
    static FAIL_AT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

#[cfg(test)]
fn injected_failure(i: usize) -> bool {
    FAIL_AT.with(|f| f.get() == Some(i))
}

#[cfg(not(test))]
fn injected_failure(_: usize) -> bool {
    false
}

fn parent_dir(path: &Path) -> Option<&Path> {
    match path.parent() {
        Some(p) if p.as_os_str().is_empty() => Some(Path::new(".")),
        other => other,
    }
}

fn stage(
    c: &FileChange,
    after: &str,
    created_dirs: &mut Vec<PathBuf>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = parent_dir(&c.path).unwrap_or(Path::new("."));
    if !dir.exists() {
        // Remember the outermost directories we create, to remove them on failure.
        let mut missing = Vec::new();
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if d.as_os_str().is_empty() || d.exists() {
                break;
            }
            missing.push(d.to_path_buf());
            cur = d.parent();
        }
        fs::create_dir_all(dir)?;
        created_dirs.extend(missing);
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".lanes-tmp-")
        .tempfile_in(dir)?;
    tmp.write_all(after.as_bytes())?;
    if c.before.is_some() {
        let perms = fs::metadata(&c.path)?.permissions();
        fs::set_permissions(tmp.path(), perms)?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

fn remove_dirs(dirs: &[PathBuf]) {
    for d in dirs {
        let _ = fs::remove_dir(d);
    }
}

/// Put one already-committed change back (best effort; used only on a failed commit).
fn restore(c: &FileChange) {
    match &c.before {
        None => {
            let _ = fs::remove_file(&c.path);
        }
        Some(before) => {
            let dir = parent_dir(&c.path).unwrap_or(Path::new("."));
            let ok = tempfile::Builder::new()
                .prefix(".lanes-tmp-")
                .tempfile_in(dir)
                .and_then(|mut t| {
                    t.write_all(before.as_bytes())?;
                    t.as_file().sync_all()?;
                    t.persist(&c.path).map(|_| ()).map_err(|e| e.error)
                });
            if ok.is_err() {
                let _ = fs::write(&c.path, before);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &Path, before: Option<&str>, after: Option<&str>) -> FileChange {
        FileChange {
            path: path.to_path_buf(),
            display: path.file_name().unwrap().to_string_lossy().into_owned(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn diff_marks_missing_final_newline() {
        let cs = Changeset {
            changes: vec![FileChange {
                path: "x.yaml".into(),
                display: "x.yaml".into(),
                before: Some("a: 1\nb: 2".into()),
                after: Some("a: 1\nb: 3".into()),
            }],
        };
        let d = cs.diff();
        assert!(d.starts_with("--- a/x.yaml\n+++ b/x.yaml\n"), "{d}");
        assert!(
            d.contains("-b: 2\n\\ No newline at end of file\n+b: 3\n\\ No newline at end of file"),
            "{d}"
        );
        assert_eq!(cs.summary(), vec!["modify x.yaml"]);
    }

    #[test]
    fn writes_all_files_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("sub/b.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&a, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&b, None, Some("b: 1")),
            ],
        };
        cs.write_atomic().unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 2\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b: 1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&a).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".lanes-tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn refuses_when_a_file_changed_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("b.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&b, "b: edited meanwhile\n").unwrap();
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&b, Some("b: 1\n"), Some("b: 2\n")),
            ],
        };
        let e = cs.write_atomic().unwrap_err();
        assert!(matches!(e, WriteError::ChangedOnDisk(_)), "{e}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b: edited meanwhile\n");
    }

    #[test]
    fn refuses_to_overwrite_a_new_file_target() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let n = dir.path().join("n.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&n, "mine\n").unwrap();
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&n, None, Some("new\n")),
            ],
        };
        assert!(matches!(
            cs.write_atomic().unwrap_err(),
            WriteError::TargetExists(_)
        ));
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
        assert_eq!(fs::read_to_string(&n).unwrap(), "mine\n");
    }

    #[test]
    fn unreadable_target_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        // The second change deletes a file that is a directory: staging passes (nothing to
        // stage for a delete) and the commit fails after `a` was replaced.
        let d = dir.path().join("d.yaml");
        fs::create_dir(&d).unwrap();
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                FileChange {
                    path: d.clone(),
                    display: "d.yaml".into(),
                    before: None,
                    after: None,
                },
            ],
        };
        // before == after (both None) is filtered; use a real delete of a directory instead.
        let cs = Changeset {
            changes: vec![
                cs.changes[0].clone(),
                FileChange {
                    before: Some(String::new()),
                    ..cs.changes[1].clone()
                },
            ],
        };
        // Verification reads the directory and fails, so nothing is written.
        assert!(cs.write_atomic().is_err());
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
    }

    #[test]
    fn a_failed_rename_rolls_back_the_files_already_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("b.yaml");
        let c = dir.path().join("new/c.yaml");
        let d = dir.path().join("d.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&b, "b: 1\n").unwrap();
        fs::write(&d, "d: 1\n").unwrap();
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&c, None, Some("c: 1\n")),
                change(&d, Some("d: 1\n"), None),
                change(&b, Some("b: 1\n"), Some("b: 2\n")),
            ],
        };
        FAIL_AT.with(|f| f.set(Some(3)));
        let e = cs.write_atomic().unwrap_err();
        FAIL_AT.with(|f| f.set(None));
        assert!(e.to_string().contains("injected failure"), "{e}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b: 1\n");
        assert_eq!(fs::read_to_string(&d).unwrap(), "d: 1\n");
        assert!(!c.exists());
        assert!(!dir.path().join("new").exists());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(".lanes-tmp")),
            "{names:?}"
        );
    }

    #[test]
    fn deletes_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1").unwrap();
        let cs = Changeset {
            changes: vec![change(&a, Some("a: 1"), None)],
        };
        assert!(cs.diff().contains("+++ /dev/null"));
        cs.write_atomic().unwrap();
        assert!(!a.exists());
    }
}
