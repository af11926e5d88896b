use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use lanes_lint::config_file::Settings;
use lanes_lint::fix::{fix_all, unified_diff, FixMode};
use lanes_lint::Report;
use lanes_model::cache::ParseCache;
use lanes_model::Index;

use crate::args::{Format, LintArgs};

pub fn run(args: &LintArgs) -> i32 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let root = super::safety::lint_root(&paths);
    if let Err(code) = super::safety::recover(&root) {
        return code;
    }
    let top = super::safety::work_tree(&paths[0]);
    let settings = match super::config::settings(&paths[0], args.config.as_deref(), top.as_deref())
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let git_mode = args.staged || args.rev.is_some() || args.app.is_some();
    if git_mode && args.fix {
        eprintln!("error: --fix works on the work tree; it cannot be combined with --staged, --rev or --app");
        return 2;
    }
    let plain_names = matches!(args.format, Format::Github | Format::Sarif);
    let (index, cache) = match super::git::lint_index(args, plain_names) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => (load(&paths, &settings), ParseCache::disabled()),
        Err(code) => return code,
    };
    let config = &settings.config;
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    if args.fix {
        let mode = if args.unsafe_fixes {
            FixMode::Unsafe
        } else {
            FixMode::Safe
        };
        let outcome = fix_all(&index, config, mode);
        if let Some(why) = &outcome.input_failure {
            eprintln!(
                "error: {why}: an input failed to read or parse; no fix was applied and nothing was written"
            );
            let code = print_report(args, &outcome.remaining, &outcome.index, color);
            return code.max(2);
        }
        if let Some(b) = outcome.broken.first() {
            eprintln!(
                "error: a fix would leave {} unparsable ({}); nothing was written",
                b.name, b.message
            );
            return 2;
        }
        let total: usize = outcome.applied.iter().map(|(_, n)| n).sum();
        let summary: Vec<String> = outcome
            .applied
            .iter()
            .map(|(c, n)| format!("{c} ×{n}"))
            .collect();
        if args.dry_run {
            let mut out = String::new();
            for f in &outcome.files {
                out.push_str(&unified_diff(&f.name, &f.original, &f.text));
            }
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            eprintln!(
                "would fix {total} finding(s) in {} file(s){}; nothing written (dry run)",
                outcome.files.len(),
                list(&summary)
            );
            return outcome.remaining.exit_code();
        }
        // The writer edits a symlinked manifest through the link (inside the root only).
        let changeset = lanes_ops::Changeset {
            changes: outcome
                .files
                .iter()
                .map(|f| lanes_ops::FileChange {
                    path: PathBuf::from(&f.name),
                    display: f.name.clone(),
                    before: Some(f.original.clone()),
                    after: Some(f.text.clone()),
                })
                .collect(),
        };
        if let Err(e) = changeset.write_with(&super::safety::write_options(&root)) {
            eprintln!("error: cannot write fixed files: {e}");
            return 2;
        }
        if total > 0 {
            eprintln!(
                "fixed {total} finding(s) in {} file(s){}",
                outcome.files.len(),
                list(&summary)
            );
        }
        return print_report(args, &outcome.remaining, &outcome.index, color);
    }
    let report = lanes_lint::lint_cached(&index, config, &cache);
    let code = print_report(args, &report, &index, color);
    // Best effort, after the output: a cache that cannot be written only costs speed next time.
    let _ = cache.save();
    // The process exits next: freeing millions of nodes one by one would only cost time.
    std::mem::forget(index);
    std::mem::forget(report);
    code
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(" ({})", items.join(", "))
    }
}

/// Load the paths: files named explicitly are always read; files found by walking a directory
/// must pass the config's `include`/`exclude`.
fn load(paths: &[PathBuf], settings: &Settings) -> Index {
    if settings.include.is_empty() && settings.exclude.is_empty() {
        return lanes_model::load::load(paths);
    }
    let mut keep = Vec::new();
    for p in paths {
        if p.is_file() || !p.exists() {
            keep.push(p.clone());
            continue;
        }
        let (files, _) = lanes_model::load::collect(std::slice::from_ref(p));
        keep.extend(files.into_iter().filter(|f| settings.includes(f)));
    }
    lanes_model::load::load(&keep)
}

fn print_report(args: &LintArgs, report: &Report, index: &Index, color: bool) -> i32 {
    let out = match (args.format, args.statistics) {
        (Format::Json, true) => lanes_lint::stats::json(report),
        (Format::Json, false) => lanes_lint::render::json(report),
        (_, true) => {
            let mut s = lanes_lint::stats::human(report);
            s.push_str(&lanes_lint::render::summary_line(report));
            s
        }
        (Format::Human, false) => lanes_lint::render::human(report, index, color),
        (Format::Concise, false) => {
            let mut s = lanes_lint::render::concise(report);
            s.push_str(&lanes_lint::render::summary_line(report));
            s
        }
        (Format::Github, false) => lanes_lint::render::github(report),
        (Format::Sarif, false) => lanes_lint::render::sarif(report),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    report.exit_code()
}
