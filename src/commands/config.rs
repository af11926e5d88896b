use std::path::Path;

/// `lanes config [PATH] [--config FILE]`: the effective configuration with the origin of
/// every value.
pub(super) fn run(path: Option<&Path>, explicit: Option<&Path>) -> i32 {
    let start = path.unwrap_or(Path::new("."));
    match lanes::config::settings(start, explicit) {
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
