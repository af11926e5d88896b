//! `lanes.toml`: which file applies, and the effective settings.
//!
//! Discovery walks up from the linted path (or a writing command's `--root`) and stops at the
//! repository root ([`crate::root::repository_root`]): a `lanes.toml` above the repository
//! never configures it. Parse errors are located (`file:line:col: message`).

use std::path::{Path, PathBuf};

pub use lanes_lint::config_file::{discover_within, ConfigError, Origin, Settings};

/// The settings for a run starting at `start`: `explicit` (any file) when given, else the
/// `lanes.toml` (or `.lanes.toml`) found from `start` upwards but no further than `top`, else
/// defaults (globs relative to the current directory).
pub fn settings_within(
    start: &Path,
    explicit: Option<&Path>,
    top: Option<&Path>,
) -> Result<Settings, ConfigError> {
    match explicit
        .map(Path::to_path_buf)
        .or_else(|| discover_within(start, top))
    {
        Some(file) => Settings::load(&file),
        None => Ok(Settings::defaults(
            std::env::current_dir().unwrap_or_else(|_| ".".into()),
        )),
    }
}

/// The settings for linting (or reading) `start`: [`settings_within`] up to the repository
/// holding `start` (outside a repository, up to the filesystem root).
pub fn settings(start: &Path, explicit: Option<&Path>) -> Result<Settings, ConfigError> {
    let top = crate::root::repository_root(&[start.to_path_buf()]);
    settings_within(start, explicit, top.as_deref())
}

/// The settings of a writing command rooted at `root`: [`settings_within`] up to the repository
/// holding `root`, else no further than `root` itself (a writer never reads configuration
/// from outside what it may write).
pub fn settings_for_root(root: &Path) -> Result<Settings, ConfigError> {
    let top: PathBuf =
        crate::root::repository_root(&[root.to_path_buf()]).unwrap_or_else(|| root.to_path_buf());
    settings_within(root, None, Some(&top))
}
