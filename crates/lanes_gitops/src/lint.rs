//! A lint run: which files, with which configuration, loaded from the work tree or from git,
//! rendered when asked, then linted into a [`Report`].

use std::path::{Path, PathBuf};

use lanes_lint::config::Selection;
use lanes_lint::config_file::Settings;
use lanes_lint::fix::{FixMode, FixOutcome};
use lanes_lint::remap::RenderedFile;
use lanes_lint::Report;
use lanes_model::cache::ParseCache;
use lanes_model::Index;

use crate::git::{AppRender, GitSource};
use crate::Error;

/// What a lint run reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// The files of the work tree (the paths as they are on disk).
    #[default]
    WorkTree,
    /// The git index (what the next commit will contain), under the paths (relative to the
    /// current directory). Files are named `:path`.
    Staged,
    /// The tree of a revision (branch, tag, SHA, `HEAD~1`), without checking it out. Files are
    /// named `REV:path`.
    Rev(String),
    /// What an Argo CD Application (in this file) syncs from this repository: each source's
    /// `path` at its `targetRevision`, resolved as Argo CD resolves it.
    App {
        /// The file holding the Application(s).
        file: PathBuf,
        /// This repository's URL, for matching `repoURL` (default: the remotes' URLs).
        repo_url: Option<String>,
    },
}

/// How to lint: the paths, the source, the configuration and the rule selection.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Files or directories (empty: the current directory), or `-` for standard input.
    pub paths: Vec<PathBuf>,
    /// Work tree or a git source.
    pub target: Target,
    /// Use this config file instead of looking for `lanes.toml` from the first path upwards
    /// (up to the repository root).
    pub config_file: Option<PathBuf>,
    /// `--select` / `--extend-select` / `--ignore`, applied on top of `lanes.toml`.
    pub selection: Selection,
    /// Render kustomize roots and Helm charts and lint the output; findings point back at the
    /// source files. Work tree only.
    pub render: bool,
    /// Git sources: name files by their repository path only (`apps/x.yaml`, as CI formats
    /// want), not `:path` / `REV:path`.
    pub repository_names: bool,
    /// The name standard input gets in findings (default `<stdin>`).
    pub stdin_name: Option<String>,
    /// Git sources: do not read or update the parse cache in `$GIT_COMMON_DIR/lanes/`.
    pub no_cache: bool,
}

impl LintOptions {
    /// Lint these paths of the work tree with the `lanes.toml` found above them.
    pub fn paths<P: Into<PathBuf>>(paths: impl IntoIterator<Item = P>) -> LintOptions {
        LintOptions {
            paths: paths.into_iter().map(Into::into).collect(),
            ..LintOptions::default()
        }
    }
}

/// How findings of rendered output are named back at their sources.
enum Rendering {
    None,
    /// `--render`: sources named from the current directory.
    WorkTree(Vec<RenderedFile>),
    /// `--app` with kustomize or chart sources: named `REV:path` from their checkouts.
    App(Vec<RenderedFile>, Vec<AppRender>),
}

/// A loaded lint run: the effective settings and the index of every file, ready to
/// [`check`](Lint::check) or [`fix`](Lint::fix).
pub struct Lint {
    /// The effective configuration (`lanes.toml`, defaults, the selection).
    pub settings: Settings,
    /// Every file read, with the decisions taken on the way (see [`Lint::explain_files`]).
    pub index: Index,
    paths: Vec<PathBuf>,
    git: bool,
    nothing_selected: bool,
    cache: ParseCache,
    rendering: Rendering,
}

impl Lint {
    /// Read the configuration and load the files. A git target opens the repository around
    /// the current directory.
    pub fn open(opts: &LintOptions) -> Result<Lint, Error> {
        let paths = if opts.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            opts.paths.clone()
        };
        let top = crate::root::repository_root(&paths);
        let mut settings =
            crate::config::settings_within(&paths[0], opts.config_file.as_deref(), top.as_deref())?;
        opts.selection
            .apply(&mut settings.config)
            .map_err(Error::Selection)?;
        let source = match &opts.target {
            Target::WorkTree => None,
            Target::Staged => Some(GitSource::Staged),
            Target::Rev(r) => Some(GitSource::Rev(r)),
            Target::App { file, repo_url } => Some(GitSource::App {
                file,
                repo_url: repo_url.as_deref(),
            }),
        };
        let git = source.is_some();
        if git && opts.render {
            return Err(Error::Usage(
                "--render works on the work tree; it cannot be combined with --staged, --rev or --app".into(),
            ));
        }
        let (index, cache, renders) = match &source {
            Some(s) => crate::git::load(
                s,
                &opts.paths,
                opts.repository_names,
                opts.no_cache,
                &settings,
            )?,
            None => (
                load(opts, &paths, &settings),
                ParseCache::disabled(),
                Vec::new(),
            ),
        };
        // A git source given paths (or an Application) that yield nothing: say so, never
        // "0 files".
        let named = !opts.paths.is_empty() || matches!(opts.target, Target::App { .. });
        let nothing_selected = git
            && named
            && index.files.is_empty()
            && renders.is_empty()
            && index.notes.is_empty()
            && index.input_errors.is_empty();
        let (mut index, rendering) = if !renders.is_empty() {
            let (index, rendered) = render_apps(index, &renders);
            (index, Rendering::App(rendered, renders))
        } else if opts.render {
            let (index, rendered) = render(index, None);
            (index, Rendering::WorkTree(rendered))
        } else {
            (index, Rendering::None)
        };
        let git_root = if git {
            crate::root::repository_root(&[PathBuf::from(".")])
        } else {
            None
        };
        assign_universes(&mut index, &settings, git_root.as_deref());
        if let Rendering::App(_, renders) = &rendering {
            for d in &mut index.decisions {
                d.name = rename(renders, &d.name);
                d.reason = rename(renders, &d.reason);
            }
            index.decisions.sort();
        }
        Ok(Lint {
            settings,
            index,
            paths,
            git,
            nothing_selected,
            cache,
            rendering,
        })
    }

    /// Whether this is a git source given paths (or an Application) that selected no file
    /// lanes reads: a caller should say so rather than report "0 files".
    pub fn nothing_selected(&self) -> bool {
        self.nothing_selected
    }

    /// Whether the files come from git (the index, a revision or an Application).
    pub fn is_git(&self) -> bool {
        self.git
    }

    /// What was done with each file considered and why, one line each, then a count.
    pub fn explain_files(&self) -> String {
        explain_files(&self.index)
    }

    /// The directory CI formats (SARIF, GitHub, JUnit, GitLab) should name files from (see
    /// [`crate::root::report_base`]); `None` for git sources, whose names already are
    /// repository paths.
    pub fn report_base(&self) -> Option<PathBuf> {
        (!self.git).then(|| crate::root::report_base(&self.paths, &self.settings))
    }

    /// The root `--fix` writes in ([`crate::root::write_root`]).
    pub fn write_root(&self) -> PathBuf {
        crate::root::write_root(&self.paths)
    }

    /// Run every enabled rule. Findings in rendered output are moved back to the files they
    /// came from (those files join [`Lint::index`], for snippets).
    pub fn check(&mut self) -> Report {
        let config = &self.settings.config;
        match &self.rendering {
            Rendering::None => lanes_lint::lint_cached(&self.index, config, &self.cache),
            Rendering::WorkTree(rendered) => {
                let mut report = lanes_lint::lint(&self.index, config);
                let cwd = std::env::current_dir()
                    .and_then(std::fs::canonicalize)
                    .unwrap_or_default();
                let display =
                    |p: &Path| lanes_model::load::display(p.strip_prefix(&cwd).unwrap_or(p));
                let n = self.index.files.len();
                let sources =
                    lanes_lint::remap::remap(&mut report, &self.index, rendered, &display, n);
                self.index.files.extend(sources.files);
                report
            }
            Rendering::App(rendered, renders) => {
                let mut report = lanes_lint::lint(&self.index, config);
                let display = |p: &Path| {
                    renders
                        .iter()
                        .find_map(|r| r.display(p))
                        .unwrap_or_else(|| lanes_model::load::display(p))
                };
                let n = self.index.files.len();
                let sources =
                    lanes_lint::remap::remap(&mut report, &self.index, rendered, &display, n);
                self.index.files.extend(sources.files);
                for d in &mut report.diagnostics {
                    d.file = rename(renders, &d.file);
                    d.message = rename(renders, &d.message);
                    d.help = d.help.as_deref().map(|h| rename(renders, h));
                    for rel in &mut d.related {
                        rel.file = rename(renders, &rel.file);
                        rel.message = rename(renders, &rel.message);
                    }
                }
                report
            }
        }
    }

    /// Apply fixes (safe ones, or also unsafe ones) in memory, re-linting until nothing more
    /// applies. Nothing is written: see [`crate::fix_changeset`].
    pub fn fix(&self, mode: FixMode) -> FixOutcome {
        lanes_lint::fix::fix_all(&self.index, &self.settings.config, mode)
    }

    /// Save the parse cache of a git source (best effort: a cache that cannot be written only
    /// costs speed next time).
    pub fn save_cache(&self) {
        let _ = self.cache.save();
    }
}

/// `REV:path` names for the files of `--app` checkouts.
fn rename(renders: &[AppRender], s: &str) -> String {
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
}

/// `--app` with kustomize-root (or chart) sources: each was checked out at its commit to a
/// temporary folder; render it as `--render` does, with the Application's other sources.
fn render_apps(index: Index, renders: &[AppRender]) -> (Index, Vec<RenderedFile>) {
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
    render(index, Some(&dirs))
}

/// Load the paths (work tree): one file-set decision for every mode
/// ([`lanes_model::files::classify`]); `lanes.toml` `include`/`exclude` apply to walked files.
fn load(opts: &LintOptions, paths: &[PathBuf], settings: &Settings) -> Index {
    let root = crate::root::repository_root(paths);
    let keep = |p: &Path| settings.includes(p);
    let load_opts = lanes_model::load::LoadOptions {
        root: root.as_deref(),
        keep: &keep,
        named: !opts.paths.is_empty(),
        stdin_name: opts.stdin_name.as_deref(),
        ..lanes_model::load::LoadOptions::new()
    };
    lanes_model::load::load_with(paths, &load_opts)
}

/// `--render`: build every kustomize root no other kustomization includes, render every Helm
/// chart when helm is on PATH, and lint the output in place of the files it came from.
///
/// `only`: render just the kustomize roots under these (canonical) folders, and no chart (the
/// `--app` kustomize sources).
fn render(
    index: Index,
    only: Option<&[(PathBuf, Option<lanes_model::render::HelmOptions>)]>,
) -> (Index, Vec<RenderedFile>) {
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
        rendered.push(RenderedFile {
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
    crate::universes::assign(index, settings, git_root);
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
