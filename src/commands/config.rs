use std::path::Path;

use lanes_lint::config_file::{discover, ConfigError, Settings};

/// The settings for a run: `--config FILE`, else `lanes.toml` found from `start` upwards, else
/// defaults (globs relative to the current directory).
pub fn settings(start: &Path, explicit: Option<&Path>) -> Result<Settings, ConfigError> {
    match explicit.map(Path::to_path_buf).or_else(|| discover(start)) {
        Some(file) => Settings::load(&file),
        None => Ok(Settings::defaults(
            std::env::current_dir().unwrap_or_else(|_| ".".into()),
        )),
    }
}

pub fn run(path: Option<&Path>, explicit: Option<&Path>) -> i32 {
    match settings(path.unwrap_or(Path::new(".")), explicit) {
        Ok(s) => {
            print!("{}", s.render());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
