use std::path::Path;

use lanes_lint::config_file::{discover_within, ConfigError, Settings};

/// The settings for a run: `--config FILE` (any file), else `lanes.toml` found from `start`
/// upwards but no further than `top` (the repository root: a config above the repository
/// never applies to it), else defaults (globs relative to the current directory).
pub fn settings(
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

pub fn run(path: Option<&Path>, explicit: Option<&Path>) -> i32 {
    let start = path.unwrap_or(Path::new("."));
    let top = super::safety::work_tree(start);
    match settings(start, explicit, top.as_deref()) {
        Ok(s) => {
            print!("{}", s.render());
            0
        }
        Err(e) => {
            eprintln!("error: {}", super::terminal_safe(&e.to_string()));
            2
        }
    }
}
