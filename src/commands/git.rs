//! The git side of the CLI: `lint --staged/--rev/--app`, `diff`, `hook`.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde_json::json;

use lanes_git::{GitError, Repo, Source};
use lanes_model::cache::ParseCache;
use lanes_model::traffic::{diff as traffic_diff, traffic_of, Traffic, TrafficDiff};
use lanes_model::Index;

use crate::args::LintArgs;
use lanes_lint::config_file::Settings;

/// `lanes diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old side: a revision (default `HEAD`), or `A..B`, or `A...B` (from the merge base of
    /// A and B to B).
    pub a: Option<String>,
    /// The new side: a revision (default: the index).
    pub b: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Only files under these paths (relative to the current directory; default: the whole
    /// repository).
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Do not read or update the parse cache in `$GIT_COMMON_DIR/lanes/`.
    #[arg(long)]
    pub no_cache: bool,
}

/// Output formats of `lanes diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One line per changed route, then lanes and Deployments added or removed.
    Human,
    /// A Markdown table for a pull-request comment.
    Markdown,
    /// One JSON object.
    Json,
}

/// `lanes hook`.
#[derive(Debug, clap::Args)]
pub struct HookArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: HookAction,
}

/// `lanes hook install|uninstall`.
#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Write the pre-commit hook (in `core.hooksPath`, else the common git directory's hooks/).
    Install {
        /// Replace a pre-commit hook lanes did not write (kept as a numbered
        /// pre-commit.lanes-backup.N; `uninstall` puts it back).
        #[arg(long)]
        force: bool,
    },
    /// Remove lanes' pre-commit hook and restore the hook it replaced, if any (a hook lanes did
    /// not write is left alone).
    Uninstall,
}

fn fail(e: impl Display) -> i32 {
    eprintln!("error: {}", super::terminal_safe(&e.to_string()));
    2
}

fn open_repo() -> Result<(Repo, PathBuf), GitError> {
    let cwd = std::env::current_dir().map_err(|e| GitError::Io("current directory".into(), e))?;
    Ok((Repo::discover(&cwd)?, cwd))
}

fn prefixes(
    repo: &Repo,
    cwd: &Path,
    paths: &[PathBuf],
    default_cwd: bool,
) -> Result<Vec<String>, GitError> {
    if paths.is_empty() {
        return Ok(vec![if default_cwd {
            repo.prefix_for(cwd, Path::new("."))?
        } else {
            String::new()
        }]);
    }
    paths.iter().map(|p| repo.prefix_for(cwd, p)).collect()
}

fn read(
    repo: &Repo,
    source: &Source,
    prefixes: &[String],
) -> Result<Vec<(String, Vec<u8>)>, GitError> {
    let mut files = BTreeMap::new();
    for p in prefixes {
        for (path, bytes) in repo.files(source, p)? {
            files.insert(path, bytes);
        }
    }
    Ok(files.into_iter().collect())
}

/// The index to lint in a git mode, `Ok(None)` when no git flag is given, `Err(exit code)` after
/// printing a one-line error. `plain_names`: name files by repository path only (for the
/// GitHub and SARIF formats); otherwise `:path` (index) or `REV:path`.
///
/// The parse cache comes back with the index: the caller lints with it and then saves it.
/// An `--app` source that is a kustomize root: the tree of its commit checked out to a
/// temporary folder, to render with the engine Argo CD runs.
pub struct AppRender {
    /// The temporary checkout (removed when dropped).
    pub checkout: tempfile::TempDir,
    /// The source path's folder inside the checkout.
    pub dir: PathBuf,
    /// The revision label files are named with (`REV:path`), unless `plain`.
    pub label: String,
    /// Name files by repository path only.
    pub plain: bool,
    /// A Helm chart source: the Application's `helm:` options (`None`: a kustomize root).
    pub helm: Option<lanes_model::render::HelmOptions>,
}

impl AppRender {
    /// The display name of a file of the checkout (`REV:path`), `None` outside it.
    pub fn display(&self, p: &Path) -> Option<String> {
        let root = std::fs::canonicalize(self.checkout.path()).ok()?;
        let rel = p
            .strip_prefix(&root)
            .or_else(|_| p.strip_prefix(self.checkout.path()))
            .ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        Some(if self.plain {
            rel
        } else {
            Source::Rev(self.label.clone()).display_name(&rel)
        })
    }
}

/// What a git mode loaded: the index, its parse cache, and the `--app` kustomize roots to
/// render (their files are not in the index).
pub type Loaded = (Index, ParseCache, Vec<AppRender>);

pub fn lint_index(
    args: &LintArgs,
    plain_names: bool,
    settings: &Settings,
) -> Result<Option<Loaded>, i32> {
    if !args.staged && args.rev.is_none() && args.app.is_none() {
        return Ok(None);
    }
    lint_index_inner(args, plain_names, settings)
        .map(Some)
        .map_err(fail)
}

fn lint_index_inner(args: &LintArgs, plain: bool, settings: &Settings) -> Result<Loaded, GitError> {
    let (repo, cwd) = open_repo()?;
    let cache = parse_cache(&repo, args.no_cache);
    let mut renders = Vec::new();
    let index = lint_index_load(args, plain, &repo, &cwd, &cache, settings, &mut renders)?;
    Ok((index, cache, renders))
}

/// Candidates for [`lanes_model::files::classify`] from `(repository path, display name,
/// bytes)`: judged by their work-tree location (so `lanes.toml` globs match as in the work
/// tree); a path named on the command line is explicit.
fn candidates(
    repo: &Repo,
    files: Vec<(String, String, Vec<u8>)>,
    named: &[String],
) -> Vec<lanes_model::files::Candidate> {
    let workdir = repo.workdir().unwrap_or_default();
    files
        .into_iter()
        .map(|(path, name, bytes)| lanes_model::files::Candidate {
            explicit: named.iter().any(|n| !n.is_empty() && *n == path),
            path: workdir.join(&path),
            name,
            bytes,
        })
        .collect()
}

/// Load git candidates through the one file-set decision.
fn load_git(
    repo: &Repo,
    files: Vec<(String, String, Vec<u8>)>,
    named: &[String],
    settings: &Settings,
    cache: &ParseCache,
) -> Index {
    let keep = |p: &Path| settings.includes(p);
    lanes_model::load::load_candidates(candidates(repo, files, named), &keep, cache)
}

/// The repository's parse cache, or a disabled one for `--no-cache`.
fn parse_cache(repo: &Repo, no_cache: bool) -> ParseCache {
    if no_cache {
        ParseCache::disabled()
    } else {
        ParseCache::open(&repo.cache_dir())
    }
}

fn lint_index_load(
    args: &LintArgs,
    plain: bool,
    repo: &Repo,
    cwd: &Path,
    cache: &ParseCache,
    settings: &Settings,
    renders: &mut Vec<AppRender>,
) -> Result<Index, GitError> {
    let name = |source: &Source, path: String| {
        if plain {
            path
        } else {
            source.display_name(&path)
        }
    };
    if let Some(app_file) = &args.app {
        confined(repo, app_file)?;
        let text = std::fs::read_to_string(app_file)
            .map_err(|e| GitError::Io(format!("cannot read {}", app_file.display()), e))?;
        let apps = lanes_git::argo::parse_applications(&app_file.to_string_lossy(), &text)?;
        let mut blobs = BTreeMap::new();
        for app in &apps {
            for src in repo.resolve_app(app, args.repo.as_deref())? {
                let path = src.source.path.clone().unwrap_or_default();
                let path = if path == "." { String::new() } else { path };
                let files = repo.tree_files_at(src.commit, &src.label, &path)?;
                // Argo CD renders a kustomize root or chart whole; a plain directory source
                // applies what `directory.recurse/include/exclude` select.
                let rel = |p: &str| -> String {
                    p.strip_prefix(&path)
                        .unwrap_or(p)
                        .trim_start_matches('/')
                        .to_string()
                };
                // A kustomize root is always rendered (as Argo CD does), from a temporary
                // checkout of the tree at the source's commit: its bases may be anywhere.
                // A chart is rendered the same way, with the Application's values and
                // parameters, when helm is on PATH (else it is reported, not linted).
                let kustomize = files.iter().map(|(p, _)| rel(p)).any(|r| {
                    !r.contains('/') && lanes_model::files::is_kustomization(Path::new(&r))
                });
                let chart = files.iter().any(|(p, _)| rel(p) == "Chart.yaml");
                if kustomize || (chart && lanes_model::render::helm_available()) {
                    let checkout = tempfile::tempdir().map_err(|e| {
                        GitError::Io("cannot create a temporary checkout".into(), e)
                    })?;
                    repo.checkout_to(src.commit, checkout.path())?;
                    let dir = checkout.path().join(&path);
                    renders.push(AppRender {
                        checkout,
                        dir,
                        label: src.label.clone(),
                        plain,
                        helm: (!kustomize).then(|| src.source.helm.clone()),
                    });
                    continue;
                }
                let rendered = chart;
                for (p, bytes) in files {
                    if !src.source.directory.keeps(&rel(&p), rendered) {
                        continue;
                    }
                    let source = Source::Rev(src.label.clone());
                    blobs.insert(p.clone(), (name(&source, p), bytes));
                }
            }
        }
        let files = blobs.into_iter().map(|(p, (n, b))| (p, n, b)).collect();
        return Ok(load_git(repo, files, &[], settings, cache));
    }
    let source = match &args.rev {
        Some(r) => Source::Rev(r.clone()),
        None => Source::Index,
    };
    let prefixes = prefixes(repo, cwd, &args.paths, true)?;
    let files = read(repo, &source, &prefixes)?
        .into_iter()
        .map(|(p, b)| (p.clone(), name(&source, p), b))
        .collect();
    Ok(load_git(repo, files, &prefixes, settings, cache))
}

/// Refuse an `--app` file that is a symbolic link leaving the repository (never read through
/// such a link).
fn confined(repo: &Repo, file: &Path) -> Result<(), GitError> {
    let is_link = std::fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_symlink());
    let (Some(root), true) = (repo.workdir(), is_link) else {
        return Ok(());
    };
    match std::fs::canonicalize(file) {
        Ok(t) if t.starts_with(&root) => Ok(()),
        _ => Err(GitError::App(format!(
            "{} is a symbolic link that leaves the repository; not followed",
            file.display()
        ))),
    }
}

/// `lanes diff`: exit 0 no change, 1 traffic changed, 2 error.
pub fn diff(args: &DiffArgs) -> i32 {
    match diff_inner(args) {
        Ok((d, out)) => {
            print!("{out}");
            i32::from(!d.is_empty())
        }
        Err(e) => fail(e),
    }
}

fn traffic(
    repo: &Repo,
    source: &Source,
    prefixes: &[String],
    cache: &ParseCache,
    settings: &Settings,
) -> Result<Traffic, GitError> {
    if *source == Source::Rev("HEAD".into()) && repo.head_is_unborn() {
        return Ok(Traffic::default());
    }
    let files = read(repo, source, prefixes)?
        .into_iter()
        .map(|(p, b)| (p.clone(), source.display_name(&p), b))
        .collect();
    // The same universes as `lanes lint`: a split of `reviews` in one universe is not
    // `reviews` of another.
    let mut index = load_git(repo, files, prefixes, settings, cache);
    super::universes::assign(&mut index, settings, repo.workdir().as_deref());
    Ok(traffic_of(&index))
}

fn diff_inner(args: &DiffArgs) -> Result<(TrafficDiff, String), GitError> {
    let (repo, cwd) = open_repo()?;
    let (a, b) = match (args.a.as_deref(), args.b.as_deref()) {
        (Some(range), None) if range.contains("...") => {
            let (x, y) = range.split_once("...").unwrap_or_default();
            let (x, y) = (or_head(x), or_head(y));
            let base = repo.merge_base(&x, &y)?;
            (Source::Rev(base.to_string()), Source::Rev(y))
        }
        (Some(range), None) if range.contains("..") => {
            let (x, y) = range.split_once("..").unwrap_or_default();
            (Source::Rev(or_head(x)), Source::Rev(or_head(y)))
        }
        (a, b) => (
            Source::Rev(a.unwrap_or("HEAD").to_string()),
            b.map_or(Source::Index, |b| Source::Rev(b.to_string())),
        ),
    };
    let prefixes = prefixes(&repo, &cwd, &args.paths, false)?;
    let cache = parse_cache(&repo, args.no_cache);
    // The same file set as `lanes lint`: `lanes.toml` include/exclude, charts, patches.
    let top = super::safety::work_tree(&cwd);
    let settings = super::config::settings(&cwd, None, top.as_deref())
        .map_err(|e| GitError::App(e.to_string()))?;
    let d = traffic_diff(
        &traffic(&repo, &a, &prefixes, &cache, &settings)?,
        &traffic(&repo, &b, &prefixes, &cache, &settings)?,
    );
    // Best effort: a cache that cannot be written only costs speed next time.
    let _ = cache.save();
    // Resource, route and lane names come from the files: escaped for the terminal (JSON
    // escapes by its own rules).
    let out = match args.format {
        DiffFormat::Human => super::terminal_safe(&d.human()).into_owned(),
        DiffFormat::Markdown => super::terminal_safe(&d.markdown()).into_owned(),
        DiffFormat::Json => {
            let routes: Vec<_> = d
                .routes
                .iter()
                .map(|r| {
                    json!({
                        "resource": r.resource,
                        "route": r.route,
                        "line": r.line(),
                        "lanes": r.lanes.iter().map(|l| json!({
                            "lane": l.lane, "before": l.before, "after": l.after,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let v = json!({
                "changed": !d.is_empty(),
                "routes": routes,
                "lanes_added": d.lanes_added,
                "lanes_removed": d.lanes_removed,
                "deployments_added": d.deployments_added,
                "deployments_removed": d.deployments_removed,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
    };
    Ok((d, out))
}

fn or_head(s: &str) -> String {
    if s.is_empty() {
        "HEAD".into()
    } else {
        s.to_string()
    }
}

/// `lanes hook install|uninstall`.
pub fn hook(args: &HookArgs) -> i32 {
    let run = || -> Result<String, GitError> {
        let (repo, _) = open_repo()?;
        match args.action {
            HookAction::Install { force } => {
                let exe = std::env::current_exe()
                    .map_err(|e| GitError::Io("cannot locate the lanes binary".into(), e))?;
                Ok(match lanes_git::hook::install(&repo, &exe, force)? {
                    lanes_git::hook::Installed::Created(p) => {
                        format!("installed pre-commit hook {}", p.display())
                    }
                    lanes_git::hook::Installed::Updated(p) => {
                        format!("updated lanes' pre-commit hook {}", p.display())
                    }
                    lanes_git::hook::Installed::Replaced(p, b) => format!(
                        "replaced pre-commit hook {} (the old one is kept as {})",
                        p.display(),
                        b.display()
                    ),
                })
            }
            HookAction::Uninstall => Ok(match lanes_git::hook::uninstall(&repo)? {
                Some(u) => match u.restored {
                    Some(b) => format!(
                        "removed lanes' pre-commit hook {} and restored the hook it replaced (from {})",
                        u.removed.display(),
                        b.display()
                    ),
                    None => format!("removed lanes' pre-commit hook {}", u.removed.display()),
                },
                None => "no pre-commit hook installed; nothing to do".into(),
            }),
        }
    };
    match run() {
        Ok(msg) => {
            println!("{}", super::terminal_safe(&msg));
            0
        }
        Err(e) => fail(e),
    }
}
