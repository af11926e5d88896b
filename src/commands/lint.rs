//! `lanes lint`: the arguments become [`lanes::LintOptions`]; the facade loads, renders,
//! lints and formats; this module prints and picks the exit code.

use std::io::{IsTerminal, Write};

use lanes::{FixMode, Format, Lint, LintOptions, RenderOptions, Report, Target};

use crate::args::{self, LintArgs};

pub(super) fn run(args: &LintArgs) -> i32 {
    let git_mode = args.staged || args.rev.is_some() || args.app.is_some();
    let target = if let Some(file) = &args.app {
        Target::App {
            file: file.clone(),
            repo_url: args.repo.clone(),
        }
    } else if let Some(rev) = &args.rev {
        Target::Rev(rev.clone())
    } else if args.staged {
        Target::Staged
    } else {
        Target::WorkTree
    };
    let format = format_of(args.format);
    let opts = LintOptions {
        paths: args.paths.clone(),
        target,
        config_file: args.config.clone(),
        selection: lanes::Selection {
            select: args.select.clone(),
            extend_select: args.extend_select.clone(),
            ignore: args.ignore.clone(),
        },
        // --fix works on the files as written.
        render: args.render && !args.fix,
        repository_names: format.is_ci(),
        stdin_name: args.stdin_filename.clone(),
        no_cache: args.no_cache,
    };
    if git_mode && args.fix {
        eprintln!("error: --fix works on the work tree; it cannot be combined with --staged, --rev or --app");
        return 2;
    }
    let mut lint = match Lint::open(&opts) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {}", super::terminal_safe(&e.to_string()));
            return 2;
        }
    };
    if lint.nothing_selected() {
        if args.explain_files {
            eprint!("{}", lint.explain_files());
        }
        eprintln!("error: nothing to lint: no file selected holds Kubernetes manifests lanes reads (see --explain-files)");
        return 2;
    }
    if args.explain_files && !(args.fix && args.render) {
        eprint!("{}", lint.explain_files());
    }
    let color = color_of(args);
    // CI formats name files by their path from the repository root, wherever lanes runs;
    // git modes already do.
    let base = if format.is_ci() {
        lint.report_base()
    } else {
        None
    };
    if args.fix {
        return fix(args, &lint, format, color, base);
    }
    let report = lint.check();
    let code = print_report(args, &report, &lint.index, format, color, base);
    // Best effort, after the output: a cache that cannot be written only costs speed next time.
    lint.save_cache();
    // The process exits next: freeing millions of nodes one by one would only cost time.
    std::mem::forget(lint);
    std::mem::forget(report);
    code
}

fn fix(
    args: &LintArgs,
    lint: &Lint,
    format: Format,
    color: bool,
    base: Option<std::path::PathBuf>,
) -> i32 {
    let mode = if args.unsafe_fixes {
        FixMode::Unsafe
    } else {
        FixMode::Safe
    };
    let outcome = lint.fix(mode);
    if let Some(why) = &outcome.input_failure {
        eprintln!(
            "error: {why}: an input failed to read or parse; no fix was applied and nothing was written"
        );
        let code = print_report(
            args,
            &outcome.remaining,
            &outcome.index,
            format,
            color,
            base,
        );
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
        let _ = std::io::stdout()
            .lock()
            .write_all(lanes::fix_diff(&outcome).as_bytes());
        if !args.quiet {
            eprintln!(
                "would fix {total} finding(s) in {} file(s){}; nothing written (dry run)",
                outcome.files.len(),
                list(&summary)
            );
        }
        return exit_code(args, &outcome.remaining);
    }
    // The writer edits a symlinked manifest through the link (inside the root only).
    if let Err(e) = lanes::ops::write(&lint.write_root(), &lanes::fix_changeset(&outcome)) {
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
    print_report(
        args,
        &outcome.remaining,
        &outcome.index,
        format,
        color,
        base,
    )
}

fn format_of(f: args::Format) -> Format {
    match f {
        args::Format::Human => Format::Human,
        args::Format::Concise => Format::Concise,
        args::Format::Json => Format::Json,
        args::Format::Github => Format::Github,
        args::Format::Sarif => Format::Sarif,
        args::Format::Junit => Format::Junit,
        args::Format::Gitlab => Format::Gitlab,
        args::Format::JsonLines => Format::JsonLines,
    }
}

fn color_of(args: &LintArgs) -> bool {
    let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
    args.color.enabled(to_terminal, |k| std::env::var(k).ok())
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(" ({})", items.join(", "))
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
    index: &lanes::Index,
    format: Format,
    color: bool,
    base: Option<std::path::PathBuf>,
) -> i32 {
    let code = exit_code(args, report);
    let opts = RenderOptions {
        color,
        quiet: args.quiet,
        statistics: args.statistics,
        exit_code: code,
        base,
    };
    let out = lanes::render(report, index, format, &opts);
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
