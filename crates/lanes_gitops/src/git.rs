//! The git sources of a lint run (`--staged`, `--rev`, `--app`) and of `lanes diff`: files read
//! straight from the object database, judged by their work-tree location.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lanes_git::{GitError, Repo, Source};
use lanes_lint::config_file::Settings;
use lanes_model::cache::ParseCache;
use lanes_model::traffic::{diff as traffic_diff, traffic_of, Traffic, TrafficDiff};
use lanes_model::Index;

/// Open the repository around the current directory.
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

/// An `--app` source that is a kustomize root or a chart: the tree of its commit checked out to
/// a temporary folder, to render with the engine Argo CD runs.
pub(crate) struct AppRender {
    /// The temporary checkout (removed when dropped).
    pub(crate) checkout: tempfile::TempDir,
    /// The source path's folder inside the checkout.
    pub(crate) dir: PathBuf,
    /// The revision label files are named with (`REV:path`), unless `plain`.
    pub(crate) label: String,
    /// Name files by repository path only.
    pub(crate) plain: bool,
    /// A Helm chart source: the Application's `helm:` options (`None`: a kustomize root).
    pub(crate) helm: Option<lanes_model::render::HelmOptions>,
}

impl AppRender {
    /// The display name of a file of the checkout (`REV:path`), `None` outside it.
    pub(crate) fn display(&self, p: &Path) -> Option<String> {
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

/// What a git source loaded: the index, its parse cache, and the `--app` sources to render
/// (their files are not in the index).
pub(crate) type Loaded = (Index, ParseCache, Vec<AppRender>);

/// Which git source a lint run reads.
pub(crate) enum GitSource<'a> {
    Staged,
    Rev(&'a str),
    App {
        file: &'a Path,
        repo_url: Option<&'a str>,
    },
}

/// Load a git source. `plain`: name files by repository path only (CI formats); otherwise
/// `:path` (index) or `REV:path`. The parse cache comes back with the index: the caller lints
/// with it and then saves it.
pub(crate) fn load(
    source: &GitSource<'_>,
    paths: &[PathBuf],
    plain: bool,
    no_cache: bool,
    settings: &Settings,
) -> Result<Loaded, GitError> {
    let (repo, cwd) = open_repo()?;
    let cache = parse_cache(&repo, no_cache);
    let mut renders = Vec::new();
    let index = load_source(
        source,
        paths,
        plain,
        &repo,
        &cwd,
        &cache,
        settings,
        &mut renders,
    )?;
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

#[allow(clippy::too_many_arguments)]
fn load_source(
    source: &GitSource<'_>,
    paths: &[PathBuf],
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
    if let GitSource::App { file, repo_url } = source {
        let app_file = *file;
        confined(repo, app_file)?;
        let text = std::fs::read_to_string(app_file)
            .map_err(|e| GitError::Io(format!("cannot read {}", app_file.display()), e))?;
        let apps = lanes_git::argo::parse_applications(&app_file.to_string_lossy(), &text)?;
        let mut blobs = BTreeMap::new();
        for app in &apps {
            for src in repo.resolve_app(app, *repo_url)? {
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
    let source = match source {
        GitSource::Rev(r) => Source::Rev((*r).to_string()),
        _ => Source::Index,
    };
    let prefixes = prefixes(repo, cwd, paths, true)?;
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
    crate::universes::assign(&mut index, settings, repo.workdir().as_deref());
    Ok(traffic_of(&index))
}

/// How traffic splits differ between two sides of the repository around the current
/// directory. `a`: a revision (default `HEAD`), or `A..B`, or `A...B` (from the merge base of
/// A and B to B); `b`: a revision (default: the index). `paths` (relative to the current
/// directory) limit the files read; the file set is `lanes lint`'s (`lanes.toml`
/// include/exclude, charts, patches).
pub fn traffic_diff_of(
    a: Option<&str>,
    b: Option<&str>,
    paths: &[PathBuf],
    no_cache: bool,
) -> Result<TrafficDiff, GitError> {
    let (repo, cwd) = open_repo()?;
    let (a, b) = match (a, b) {
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
    let prefixes = prefixes(&repo, &cwd, paths, false)?;
    let cache = parse_cache(&repo, no_cache);
    let settings = crate::config::settings(&cwd, None).map_err(|e| GitError::App(e.to_string()))?;
    let d = traffic_diff(
        &traffic(&repo, &a, &prefixes, &cache, &settings)?,
        &traffic(&repo, &b, &prefixes, &cache, &settings)?,
    );
    // Best effort: a cache that cannot be written only costs speed next time.
    let _ = cache.save();
    Ok(d)
}

fn or_head(s: &str) -> String {
    if s.is_empty() {
        "HEAD".into()
    } else {
        s.to_string()
    }
}
