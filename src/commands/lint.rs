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
    let root = super::safety::lint_root(&paths);
    let top = super::safety::work_tree(&paths[0]);
    let mut settings =
        match super::config::settings(&paths[0], args.config.as_deref(), top.as_deref()) {
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
    if git_mode && args.render {
        eprintln!("error: --render works on the work tree; it cannot be combined with --staged, --rev or --app");
        return 2;
    }
    let plain_names = args.format.is_ci();
    let (mut index, cache, app_renders) = match super::git::lint_index(args, plain_names, &settings)
    {
        Ok(Some(loaded)) => loaded,
        Ok(None) => (
            load(args, &paths, &settings),
            ParseCache::disabled(),
            Vec::new(),
        ),
        Err(code) => return code,
    };
    let git_root = if git_mode {
        work_tree_root(&[PathBuf::from(".")])
    } else {
        None
    };
    assign_universes(&mut index, &settings, git_root.as_deref());
    // A git mode given paths (or an Application) that yield nothing: say so, never "0 files".
    let named = !args.paths.is_empty() || args.app.is_some();
    if git_mode
        && named
        && index.files.is_empty()
        && app_renders.is_empty()
        && index.notes.is_empty()
        && index.input_errors.is_empty()
    {
        if args.explain_files {
            eprint!("{}", explain_files(&index));
        }
        eprintln!("error: nothing to lint: no file selected holds Kubernetes manifests lanes reads (see --explain-files)");
        return 2;
    }
    if !app_renders.is_empty() {
        return lint_app_renders(
            args,
            index,
            &app_renders,
            &settings,
            git_root.as_deref(),
            color_of(args),
        );
    }
    if args.explain_files && (git_mode || !args.render) {
        eprint!("{}", explain_files(&index));
    }
    let config = &settings.config;
    let color = color_of(args);
    // CI formats name files by their path from the repository root, wherever lanes runs;
    // git modes already do.
    let ci_base = (args.format.is_ci() && !git_mode).then(|| ci_base(&paths[0], &settings));
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
            let code = print_report(
                args,
                &outcome.remaining,
                &outcome.index,
                color,
                ci_base.as_deref(),
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
            ci_base.as_deref(),
        );
    }
    if args.render && !git_mode {
        let (mut index, rendered) = render(index, None);
        assign_universes(&mut index, &settings, None);
        if args.explain_files {
            eprint!("{}", explain_files(&index));
        }
        let mut report = lanes_lint::lint(&index, config);
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default();
        let display =
            |p: &std::path::Path| lanes_model::load::display(p.strip_prefix(&cwd).unwrap_or(p));
        let sources =
            lanes_lint::remap::remap(&mut report, &index, &rendered, &display, index.files.len());
        index.files.extend(sources.files);
        return print_report(args, &report, &index, color, ci_base.as_deref());
    }
    let report = lanes_lint::lint_cached(&index, config, &cache);
    let code = print_report(args, &report, &index, color, ci_base.as_deref());
    // Best effort, after the output: a cache that cannot be written only costs speed next time.
    let _ = cache.save();
    // The process exits next: freeing millions of nodes one by one would only cost time.
    std::mem::forget(index);
    std::mem::forget(report);
    code
}

fn color_of(args: &LintArgs) -> bool {
    let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
    args.color.enabled(to_terminal, |k| std::env::var(k).ok())
}

/// `--app` with kustomize-root sources: each was checked out at its commit to a temporary
/// folder; render it as `--render` does, lint it with the Application's other sources, move
/// findings back to the source files, and name them `REV:path` as the other git files are.
fn lint_app_renders(
    args: &LintArgs,
    index: Index,
    renders: &[super::git::AppRender],
    settings: &Settings,
    git_root: Option<&Path>,
    color: bool,
) -> i32 {
    let Index {
        files,
        input_errors,
        mut notes,
        mut decisions,
        ..
    } = index;
    let mut dirs = Vec::new();
    for r in renders {
        let root = std::fs::canonicalize(r.checkout.path()).unwrap_or_default();
        let dir = std::fs::canonicalize(&r.dir).unwrap_or_else(|_| r.dir.clone());
        let opts = lanes_model::load::LoadOptions {
            root: Some(&root),
            ..lanes_model::load::LoadOptions::new()
        };
        let loaded = lanes_model::load::load_with(std::slice::from_ref(&dir), &opts);
        // Argo CD applies the render's output only: the checkout's files are not linted as
        // written (the kustomization's decision, or the chart's note, is what render needs).
        if r.helm.is_some() {
            notes.extend(loaded.notes);
        }
        decisions.extend(loaded.decisions);
        dirs.push((dir, r.helm.clone()));
    }
    let mut index = Index::new(files, input_errors);
    index.notes = notes;
    index.decisions = decisions;
    let (mut index, rendered) = render(index, Some(&dirs));
    assign_universes(&mut index, settings, git_root);
    let rename = |s: &str| -> String {
        let mut out = s.to_string();
        for r in renders {
            for root in [
                std::fs::canonicalize(r.checkout.path()).unwrap_or_default(),
                r.checkout.path().to_path_buf(),
            ] {
                let prefix = format!("{}/", root.display());
                if out.contains(&prefix) {
                    let to = if r.plain {
                        String::new()
                    } else {
                        format!("{}:", r.label)
                    };
                    out = out.replace(&prefix, &to);
                }
            }
        }
        out
    };
    for d in &mut index.decisions {
        d.name = rename(&d.name);
        d.reason = rename(&d.reason);
    }
    index.decisions.sort();
    if args.explain_files {
        eprint!("{}", explain_files(&index));
    }
    let mut report = lanes_lint::lint(&index, &settings.config);
    let display = |p: &Path| {
        renders
            .iter()
            .find_map(|r| r.display(p))
            .unwrap_or_else(|| lanes_model::load::display(p))
    };
    let sources =
        lanes_lint::remap::remap(&mut report, &index, &rendered, &display, index.files.len());
    index.files.extend(sources.files);
    for d in &mut report.diagnostics {
        d.file = rename(&d.file);
        d.message = rename(&d.message);
        d.help = d.help.as_deref().map(rename);
        for rel in &mut d.related {
            rel.file = rename(&rel.file);
            rel.message = rename(&rel.message);
        }
    }
    print_report(args, &report, &index, color, None)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(" ({})", items.join(", "))
    }
}

/// Load the paths (work tree): one file-set decision for every mode
/// ([`lanes_model::files::classify`]); `lanes.toml` `include`/`exclude` apply to walked files.
fn load(args: &LintArgs, paths: &[PathBuf], settings: &Settings) -> Index {
    let root = work_tree_root(paths);
    let keep = |p: &std::path::Path| settings.includes(p);
    let opts = lanes_model::load::LoadOptions {
        root: root.as_deref(),
        keep: &keep,
        named: !args.paths.is_empty(),
        stdin_name: args.stdin_filename.as_deref(),
        ..lanes_model::load::LoadOptions::new()
    };
    lanes_model::load::load_with(paths, &opts)
}

/// The work tree of the repository holding the first path (symbolic links leaving it are not
/// followed), if any.
fn work_tree_root(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.iter().find(|p| p.as_os_str() != "-")?;
    let start = if first.is_dir() {
        first.clone()
    } else {
        first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf)
    };
    let start = std::fs::canonicalize(&start).ok()?;
    lanes_git::Repo::discover(&start).ok()?.workdir()
}

/// `--render`: build every kustomize root no other kustomization includes, render every Helm
/// chart when helm is on PATH, and lint the output in place of the files it came from.
///
/// `only`: render just the kustomize roots under these (canonical) folders, and no chart (the
/// `--app` kustomize sources).
fn render(
    index: Index,
    only: Option<&[(PathBuf, Option<lanes_model::render::HelmOptions>)]>,
) -> (Index, Vec<lanes_lint::remap::RenderedFile>) {
    use lanes_model::files::{Action, Decision, CODE_CHART, CODE_RENDER_FAILED};
    use lanes_model::render::{helm_template, kustomize_build, origin_of, top_roots};
    use lanes_model::InputError;
    use std::collections::HashMap;
    let Index {
        mut files,
        input_errors,
        mut notes,
        mut decisions,
        ..
    } = index;
    let kustomizations: Vec<(PathBuf, String, String)> = decisions
        .iter()
        .filter(|d| d.reason.starts_with("kustomization"))
        .filter_map(|d| {
            let p = PathBuf::from(&d.name);
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.parent()?.to_path_buf(), text, d.name.clone()))
        })
        .collect();
    let pairs: Vec<(PathBuf, String)> = kustomizations
        .iter()
        .map(|(d, t, _)| (d.clone(), t.clone()))
        .collect();
    let patch_files: Vec<PathBuf> = decisions
        .iter()
        .filter(|d| d.reason.starts_with("kustomize patch"))
        .filter_map(|d| std::fs::canonicalize(&d.name).ok())
        .collect();
    let mut rendered = Vec::new();
    let mut covered: HashMap<PathBuf, String> = HashMap::new();
    let mut add = |files: &mut Vec<lanes_yaml::ParsedFile>,
                   name: String,
                   root_file: String,
                   r: lanes_model::render::Rendered| {
        let parsed = lanes_yaml::parse(lanes_yaml::SourceFile::new(name, r.text));
        if let Some(base) = &r.origin_base {
            for doc in &parsed.docs {
                if let Some(p) = doc.root().and_then(|n| origin_of(n, base)) {
                    covered.insert(p, root_file.clone());
                }
            }
        }
        // Patches of this root (its folder and below): where a rendered value that the
        // source object lacks was set.
        let root_dir = std::path::Path::new(&root_file).parent().and_then(|d| {
            std::fs::canonicalize(if d.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                d
            })
            .ok()
        });
        let patches = patch_files
            .iter()
            .filter(|p| root_dir.as_ref().is_some_and(|d| p.starts_with(d)))
            .cloned()
            .collect();
        rendered.push(lanes_lint::remap::RenderedFile {
            file: files.len(),
            root_file,
            command: r.command,
            origin_base: r.origin_base,
            patches,
        });
        files.push(parsed);
    };
    // `--app`: exactly the Application's source folders (Argo CD builds the source path, not
    // other kustomizations below it).
    let roots = match only {
        None => top_roots(&pairs),
        Some(o) => pairs
            .iter()
            .map(|(d, _)| d.clone())
            .filter(|d| {
                let d = std::fs::canonicalize(d).unwrap_or_else(|_| d.clone());
                o.iter().any(|(w, _)| d == *w)
            })
            .collect(),
    };
    for dir in roots {
        let kfile = kustomizations
            .iter()
            .find(|(d, _, _)| *d == dir)
            .map(|(_, _, n)| n.clone())
            .unwrap_or_default();
        match kustomize_build(&dir) {
            Ok(r) => {
                decisions.push(Decision {
                    name: kfile.clone(),
                    action: Action::Rendered,
                    reason: format!("kustomize root, rendered with `{}`", r.command),
                });
                add(&mut files, format!("{kfile} (rendered)"), kfile, r);
            }
            Err(message) => notes.push(InputError {
                file: kfile,
                line: 1,
                column: 1,
                message,
                code: CODE_RENDER_FAILED,
            }),
        }
    }
    let mut kept_notes = Vec::new();
    for n in notes {
        if n.code != CODE_CHART || !lanes_model::render::helm_available() {
            kept_notes.push(n);
            continue;
        }
        let chart = PathBuf::from(&n.file);
        let dir = chart.parent().map(PathBuf::from).unwrap_or_default();
        let release = dir
            .file_name()
            .map_or("release".into(), |s| s.to_string_lossy().into_owned());
        // `--app`: only the Application's chart sources, with its values and parameters.
        let canonical = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        let opts = match only {
            None => Default::default(),
            Some(o) => match o.iter().find(|(w, _)| *w == canonical) {
                Some((_, Some(opts))) => opts.clone(),
                _ => {
                    kept_notes.push(n);
                    continue;
                }
            },
        };
        match helm_template(&dir, &release, &opts) {
            Ok(r) => {
                decisions.push(Decision {
                    name: n.file.clone(),
                    action: Action::Rendered,
                    reason: format!("Helm chart, rendered with `{}`", r.command),
                });
                add(
                    &mut files,
                    format!("{} (rendered)", n.file),
                    n.file.clone(),
                    r,
                );
            }
            Err(message) => kept_notes.push(InputError {
                code: CODE_RENDER_FAILED,
                message,
                ..n
            }),
        }
    }
    // The files the rendered output came from are linted through it, not again as written.
    let first_rendered = rendered.first().map_or(files.len(), |r| r.file);
    let mut keep_file = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let abs = std::fs::canonicalize(f.source.name()).ok();
        keep_file.push(i >= first_rendered || abs.is_none_or(|a| !covered.contains_key(&a)));
    }
    let mut out = Vec::with_capacity(files.len());
    let mut new_pos = vec![0; files.len()];
    for (i, f) in files.into_iter().enumerate() {
        if keep_file[i] {
            new_pos[i] = out.len();
            out.push(f);
        }
    }
    for r in &mut rendered {
        r.file = new_pos[r.file];
    }
    let linted: std::collections::BTreeSet<&str> = out.iter().map(|f| f.source.name()).collect();
    let source_of = |n: &str| {
        let p = std::fs::canonicalize(n).ok()?;
        covered.get(&p).cloned()
    };
    lanes_model::files::mark_rendered(&mut decisions, &linted, &source_of);
    decisions.sort();
    let mut index = Index::new(out, input_errors);
    index.notes = kept_notes;
    index.decisions = decisions;
    (index, rendered)
}

/// Each file's universe (the one decision, shared with `diff` and the writing commands).
fn assign_universes(index: &mut Index, settings: &Settings, git_root: Option<&std::path::Path>) {
    super::universes::assign(index, settings, git_root);
}

/// `--explain-files`: one line per file.
fn explain_files(index: &Index) -> String {
    let width = index
        .decisions
        .iter()
        .map(|d| d.name.len())
        .max()
        .unwrap_or(0)
        .min(72);
    let mut out = String::new();
    for d in &index.decisions {
        out.push_str(&format!(
            "{:<12} {:<width$}  {}\n",
            d.action.as_str(),
            d.name,
            d.reason
        ));
    }
    let linted = index
        .decisions
        .iter()
        .filter(|d| d.action == lanes_model::files::Action::Lint)
        .count();
    let sources = index
        .decisions
        .iter()
        .filter(|d| d.action == lanes_model::files::Action::Source)
        .count();
    let through = if sources > 0 {
        format!(", {sources} through a render")
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} file(s) considered, {linted} linted{through}\n",
        index.decisions.len()
    ));
    out
}

/// The directory CI paths are relative to: the git work tree holding the first path, else the
/// directory of `lanes.toml`, else the current directory.
fn ci_base(first: &Path, settings: &Settings) -> PathBuf {
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
