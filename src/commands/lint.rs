use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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
    let mut settings = match super::config::settings(&paths[0], args.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let selection = lanes_lint::config::Selection {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    if let Err(e) = selection.apply(&mut settings.config) {
        eprintln!("error: {e}");
        return 2;
    }
    let git_mode = args.staged || args.rev.is_some() || args.app.is_some();
    if git_mode && args.fix {
        eprintln!("error: --fix works on the work tree; it cannot be combined with --staged, --rev or --app");
        return 2;
    }
    let plain_names = args.format.is_ci();
    let (index, cache) = match super::git::lint_index(args, plain_names) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => (load(&paths, &settings), ParseCache::disabled()),
        Err(code) => return code,
    };
    let config = &settings.config;
    let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
    let color = args.color.enabled(to_terminal, |k| std::env::var(k).ok());
    // CI formats name files by their path from the repository root, wherever lanes runs;
    // git modes already do.
    let root = (args.format.is_ci() && !git_mode).then(|| repo_root(&paths[0], &settings));
    if args.fix {
        let mode = if args.unsafe_fixes {
            FixMode::Unsafe
        } else {
            FixMode::Safe
        };
        let outcome = fix_all(&index, config, mode);
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
            if !args.quiet {
                eprintln!(
                    "would fix {total} finding(s) in {} file(s){}; nothing written (dry run)",
                    outcome.files.len(),
                    list(&summary)
                );
            }
            return exit_code(args, &outcome.remaining);
        }
        // Write through symbolic links: replace the file a link points to, not the link.
        let changeset = lanes_ops::Changeset {
            changes: outcome
                .files
                .iter()
                .map(|f| lanes_ops::FileChange {
                    path: std::fs::canonicalize(&f.name).unwrap_or_else(|_| PathBuf::from(&f.name)),
                    display: f.name.clone(),
                    before: Some(f.original.clone()),
                    after: Some(f.text.clone()),
                })
                .collect(),
        };
        if let Err(e) = changeset.write_atomic() {
            eprintln!("error: cannot write fixed files: {e}");
            return 2;
        }
        if total > 0 && !args.quiet {
            eprintln!(
                "fixed {total} finding(s) in {} file(s){}",
                outcome.files.len(),
                list(&summary)
            );
        }
        return print_report(
            args,
            &outcome.remaining,
            &outcome.index,
            color,
            root.as_deref(),
        );
    }
    let report = lanes_lint::lint_cached(&index, config, &cache);
    let code = print_report(args, &report, &index, color, root.as_deref());
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

/// The directory CI paths are relative to: the git work tree holding the first path, else the
/// directory of `lanes.toml`, else the current directory.
fn repo_root(first: &Path, settings: &Settings) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let start = if first.is_dir() {
        first.to_path_buf()
    } else {
        first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    if let Some(dir) = lanes_git::Repo::discover(&start)
        .ok()
        .and_then(|r| r.workdir())
    {
        return dir;
    }
    match &settings.file {
        Some(f) => std::path::absolute(f)
            .ok()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .unwrap_or(cwd),
        None => cwd,
    }
}

/// The exit code: the report's, with `--exit-zero` turning findings (not input failures) into 0.
fn exit_code(args: &LintArgs, report: &Report) -> i32 {
    match report.exit_code() {
        1 if args.exit_zero => 0,
        c => c,
    }
}

fn print_report(
    args: &LintArgs,
    report: &Report,
    index: &Index,
    color: bool,
    root: Option<&Path>,
) -> i32 {
    let code = exit_code(args, report);
    let rebased;
    let report = match root {
        Some(root) => {
            let mut r = Report {
                diagnostics: report.diagnostics.clone(),
                files: report.files,
                documents: report.documents,
            };
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            lanes_lint::render_ci::rebase_paths(&mut r, &cwd, root);
            rebased = r;
            &rebased
        }
        None => report,
    };
    let summary = |s: &mut String| {
        if !args.quiet {
            s.push_str(&lanes_lint::render::summary_line(report));
        }
    };
    let out = match (args.format, args.statistics) {
        (Format::Json, true) | (Format::JsonLines, true) => lanes_lint::stats::json(report),
        (Format::Json, false) => lanes_lint::render::json(report),
        (Format::JsonLines, false) => lanes_lint::render::json_lines(report),
        (_, true) => {
            let mut s = lanes_lint::stats::human(report);
            summary(&mut s);
            super::terminal_safe(&s).into_owned()
        }
        (Format::Human, false) => {
            let mut s = lanes_lint::render::human(&terminal_safe_report(report), index, color);
            if args.quiet {
                // The renderer ends with the summary line.
                let summary = lanes_lint::render::summary_line(report);
                if s.ends_with(&summary) {
                    s.truncate(s.len() - summary.len());
                }
            }
            s
        }
        (Format::Concise, false) => {
            let mut s = lanes_lint::render::concise(&terminal_safe_report(report));
            summary(&mut s);
            s
        }
        (Format::Github, false) => lanes_lint::render::github(report),
        (Format::Sarif, false) => lanes_lint::render::sarif_with(report, Some(index), code),
        (Format::Junit, false) => lanes_lint::render::junit(report),
        (Format::Gitlab, false) => lanes_lint::render::gitlab(report, Some(index)),
    };
    match &args.output_file {
        Some(path) => {
            if let Err(e) = std::fs::write(path, out.as_bytes()) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return 2;
            }
        }
        None => {
            if super::write_stdout(out.as_bytes()) == 2 {
                return 2;
            }
        }
    }
    code
}

/// The report with control characters in file names and messages escaped, for the formats
/// people read in a terminal.
fn terminal_safe_report(report: &Report) -> Report {
    let safe = |s: &str| super::terminal_safe(s).into_owned();
    Report {
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let mut d = d.clone();
                d.file = safe(&d.file);
                d.message = safe(&d.message);
                d.help = d.help.as_deref().map(safe);
                d.label = d.label.as_deref().map(safe);
                for r in &mut d.related {
                    r.file = safe(&r.file);
                    r.message = safe(&r.message);
                }
                d
            })
            .collect(),
        files: report.files,
        documents: report.documents,
    }
}
