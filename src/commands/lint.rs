use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::args::{Format, LintArgs};

pub fn run(args: &LintArgs) -> i32 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let plain_names = matches!(args.format, Format::Github | Format::Sarif);
    let index = match super::git::lint_index(args, plain_names) {
        Ok(Some(index)) => index,
        Ok(None) => lanes_model::load::load(&paths),
        Err(code) => return code,
    };
    let config = lanes_lint::Config::default();
    let report = lanes_lint::lint(&index, &config);
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let out = match args.format {
        Format::Human => lanes_lint::render::human(&report, &index, color),
        Format::Concise => {
            let mut s = lanes_lint::render::concise(&report);
            s.push_str(&lanes_lint::render::summary_line(&report));
            s
        }
        Format::Json => lanes_lint::render::json(&report),
        Format::Github => lanes_lint::render::github(&report),
        Format::Sarif => lanes_lint::render::sarif(&report),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    report.exit_code()
}
