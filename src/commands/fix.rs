//! Writing fixed files: all or nothing, as far as a file system allows.
//!
//! Every new text goes to a temporary file next to its target (same directory, so the rename is
//! atomic), with the target's permissions; only when every temporary file is written are they
//! renamed over their targets. To be replaced by `lanes_ops`' `Changeset` writer.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `(path, text)` pairs atomically per file, renaming only after every write succeeded.
pub fn write_all(files: &[(PathBuf, String)]) -> std::io::Result<()> {
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (given, text) in files {
            // Write through symbolic links: replace the file a link points to, not the link.
            let path = std::fs::canonicalize(given).unwrap_or_else(|_| given.clone());
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = dir.join(format!(".{name}.lanes-{}.tmp", std::process::id()));
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)?;
            temps.push((tmp.clone(), path.clone()));
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            if let Ok(meta) = std::fs::metadata(&path) {
                std::fs::set_permissions(&tmp, meta.permissions())?;
            }
        }
        for (tmp, path) in &temps {
            std::fs::rename(tmp, path)?;
        }
        Ok(())
    })();
    if result.is_err() {
        for (tmp, _) in &temps {
            let _ = std::fs::remove_file(tmp);
        }
    }
    result
}
