//! Opening a repository and reading YAML files from the index or any revision.

use std::path::{Component, Path, PathBuf};

use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

use crate::GitError;

/// Files read from git: `(repository path, bytes)`.
pub(crate) type Files = Vec<(String, Vec<u8>)>;

/// The variables git sets for hooks (and that users may set by hand). Read once from the process
/// environment by [`GitEnv::from_process`]; tests build one directly.
#[derive(Clone, Debug, Default)]
pub struct GitEnv {
    /// `GIT_DIR`: the repository (or linked worktree) git directory.
    pub git_dir: Option<PathBuf>,
    /// `GIT_WORK_TREE`: the work tree that goes with `GIT_DIR`.
    pub work_tree: Option<PathBuf>,
    /// `GIT_INDEX_FILE`: the index to read instead of `$GIT_DIR/index` (git points it at a
    /// temporary index during `git commit -a` and `git commit PATH`).
    pub index_file: Option<PathBuf>,
}

impl GitEnv {
    /// Read `GIT_DIR`, `GIT_WORK_TREE` and `GIT_INDEX_FILE`; empty values count as unset.
    pub(crate) fn from_process() -> GitEnv {
        let get = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        GitEnv {
            git_dir: get("GIT_DIR"),
            work_tree: get("GIT_WORK_TREE"),
            index_file: get("GIT_INDEX_FILE"),
        }
    }
}

/// Where to read files from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The index: what the next commit will contain.
    Index,
    /// A revision (`main`, `v1.2`, a SHA, `HEAD~1`, `origin/main`…), read from the object
    /// database without checkout.
    Rev(String),
}

impl Source {
    /// The display prefix of files read from this source: `:` for the index (git's own
    /// `:path` notation) and `REV:` for a revision, so a diagnostic reads
    /// `main:argo-cd/swimlane/mock-route.yaml:34:11`.
    pub fn display_name(&self, path: &str) -> String {
        match self {
            Source::Index => format!(":{path}"),
            Source::Rev(r) => format!("{r}:{path}"),
        }
    }
}

/// An open repository.
pub struct Repo {
    repo: Repository,
    index_file: Option<PathBuf>,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("git_dir", &self.repo.path())
            .field("index_file", &self.index_file)
            .finish()
    }
}

impl Repo {
    /// Open the repository around `path`, honouring `GIT_DIR`, `GIT_WORK_TREE` and
    /// `GIT_INDEX_FILE` from the process environment.
    pub fn discover(path: &Path) -> Result<Repo, GitError> {
        Repo::discover_with(path, &GitEnv::from_process())
    }

    /// Open the repository around `path` with explicit git variables. With `git_dir` set, that
    /// directory is opened as is (no search), as git does.
    pub fn discover_with(path: &Path, env: &GitEnv) -> Result<Repo, GitError> {
        let repo = match &env.git_dir {
            Some(dir) => {
                let dir = absolute(dir);
                Repository::open(&dir).map_err(|_| GitError::NotARepo(dir.clone()))?
            }
            None => Repository::discover(path).map_err(|e| {
                if e.code() == git2::ErrorCode::NotFound {
                    GitError::NotARepo(path.to_path_buf())
                } else {
                    GitError::Git(e)
                }
            })?,
        };
        if let Some(wt) = &env.work_tree {
            repo.set_workdir(&absolute(wt), false)?;
        }
        let index_file = env.index_file.as_ref().map(|f| absolute(f));
        Ok(Repo { repo, index_file })
    }

    /// Open exactly this repository, ignoring the environment.
    pub fn open(path: &Path) -> Result<Repo, GitError> {
        Repo::discover_with(path, &GitEnv::default())
    }

    /// The underlying git2 repository.
    pub fn git2(&self) -> &Repository {
        &self.repo
    }

    /// The work tree, canonicalized (`None` for a bare repository).
    pub fn workdir(&self) -> Option<PathBuf> {
        self.repo
            .workdir()
            .map(|w| w.canonicalize().unwrap_or_else(|_| w.to_path_buf()))
    }

    /// The index: `GIT_INDEX_FILE` when set, else the repository's (a linked worktree has its
    /// own). Errors on a bare repository.
    pub fn index(&self, what: &'static str) -> Result<git2::Index, GitError> {
        if let Some(f) = &self.index_file {
            let mut idx = git2::Index::open(f)?;
            self.repo.set_index(&mut idx)?;
            return Ok(idx);
        }
        if self.repo.is_bare() {
            return Err(GitError::Bare(what, self.repo.path().to_path_buf()));
        }
        Ok(self.repo.index()?)
    }

    /// Where lanes keeps its parse cache for this repository: `lanes/` in the common git
    /// directory, shared by linked worktrees and never part of the work tree.
    pub fn cache_dir(&self) -> PathBuf {
        self.repo.commondir().join("lanes")
    }

    /// The path of the index file (for the lock check).
    pub(crate) fn index_path(&self) -> PathBuf {
        self.index_file
            .clone()
            .unwrap_or_else(|| self.repo.path().join("index"))
    }

    /// Turn a path given on the command line (relative to `cwd`) into a repository path prefix
    /// (`argo-cd/swimlane`, or empty for the whole repository). In a bare repository paths are
    /// taken as repository paths.
    pub fn prefix_for(&self, cwd: &Path, path: &Path) -> Result<String, GitError> {
        let shown = path.to_string_lossy().to_string();
        let Some(wd) = self.workdir() else {
            return Ok(clean_repo_path(&shown));
        };
        let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
        let abs = normalize(&cwd.join(path));
        let rel = abs.strip_prefix(&wd).map_err(|_| {
            GitError::BadPath(shown.clone(), "outside the repository work tree".into())
        })?;
        let s = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect::<Vec<_>>()
            .join("/");
        Ok(s)
    }

    /// Whether HEAD points at a branch with no commits yet.
    pub fn head_is_unborn(&self) -> bool {
        matches!(self.repo.head(), Err(e) if e.code() == git2::ErrorCode::UnbornBranch)
    }

    /// Resolve a revision to a commit (or tree) id.
    pub fn resolve(&self, rev: &str) -> Result<Oid, GitError> {
        let obj = self
            .repo
            .revparse_single(rev)
            .map_err(|e| GitError::BadRev {
                rev: rev.to_string(),
                reason: short_reason(&e),
            })?;
        let tree = obj.peel(ObjectType::Tree).map_err(|e| GitError::BadRev {
            rev: rev.to_string(),
            reason: short_reason(&e),
        })?;
        match obj.peel(ObjectType::Commit) {
            Ok(c) => Ok(c.id()),
            Err(_) => Ok(tree.id()),
        }
    }

    /// The merge base of two revisions (for `A...B`).
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Oid, GitError> {
        let (x, y) = (self.resolve(a)?, self.resolve(b)?);
        self.repo.merge_base(x, y).map_err(|e| GitError::BadRev {
            rev: format!("{a}...{b}"),
            reason: short_reason(&e),
        })
    }

    /// Every `*.yaml` / `*.yml` file of a source under `prefix` (a repository path; empty for
    /// all), as `(repository path, bytes)`, sorted by path.
    pub fn files(&self, source: &Source, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        match source {
            Source::Index => self.staged_files(prefix),
            Source::Rev(r) => self.tree_files(r, prefix),
        }
    }

    /// Every YAML file in the index under `prefix`: the staged content, whether or not it
    /// changed (cross-file references need all files). Staged deletions are absent; unstaged
    /// edits are ignored because blobs are read, not the work tree. Conflicted entries
    /// (stages 1–3), symlinks and submodules are skipped.
    pub fn staged_files(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        let index = self.index("reading the index")?;
        let prefix = clean_repo_path(prefix);
        // git's own shortcut (`reuse_worktree_file` in diff.c): a work-tree file whose stat data
        // still matches its index entry holds the staged bytes, and reading it is cheaper than
        // inflating the blob. Only used when no content filter can apply (see `Reuse`).
        let reuse = Reuse::new(self);
        let mut attributes = false;
        let mut wanted = Vec::new();
        for e in index.iter() {
            attributes |= e.path == b".gitattributes" || e.path.ends_with(b"/.gitattributes");
            let stage = (e.flags >> 12) & 0x3;
            if stage != 0 || !is_regular(e.mode) {
                continue;
            }
            let path = String::from_utf8_lossy(&e.path).into_owned();
            if under(&path, &prefix) && lanes_model::files::is_candidate(Path::new(&path)) {
                let stat = reuse.as_ref().and_then(|r| r.stat_of(&e));
                wanted.push(Wanted {
                    path,
                    id: e.id,
                    stat,
                });
            }
        }
        if attributes {
            // Any `.gitattributes` may filter or convert: read every file from its blob.
            wanted.iter_mut().for_each(|w| w.stat = None);
        }
        self.read_blobs(wanted)
    }

    /// Every YAML file of a revision's tree under `prefix`, straight from the object database.
    /// A prefix that does not exist at that revision is [`GitError::PathMissing`].
    pub fn tree_files(&self, rev: &str, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        let oid = self.resolve(rev)?;
        let tree = self.repo.find_object(oid, None)?.peel_to_tree()?;
        self.tree_files_of(&tree, rev, prefix)
    }

    /// [`Repo::tree_files`] for an already resolved commit or tree id.
    pub fn tree_files_at(
        &self,
        oid: Oid,
        rev_label: &str,
        prefix: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        let tree = self.repo.find_object(oid, None)?.peel_to_tree()?;
        self.tree_files_of(&tree, rev_label, prefix)
    }

    /// Write every regular file of the tree of `oid` under `dir` (a temporary checkout for
    /// rendering a revision; symbolic links and submodules are not written).
    pub fn checkout_to(&self, oid: Oid, dir: &Path) -> Result<(), GitError> {
        let tree = self.repo.find_object(oid, None)?.peel_to_tree()?;
        let mut wanted = Vec::new();
        tree.walk(TreeWalkMode::PreOrder, |root, entry| {
            if entry.kind() == Some(ObjectType::Blob) && is_regular(entry.filemode() as u32) {
                let name = String::from_utf8_lossy(entry.name_bytes());
                wanted.push(Wanted::blob(format!("{root}{name}"), entry.id()));
            }
            TreeWalkResult::Ok
        })?;
        for (path, bytes) in self.read_blobs(wanted)? {
            let target = dir.join(clean_repo_path(&path));
            if !target.starts_with(dir) || path.split('/').any(|c| c == "..") {
                continue;
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| GitError::Io(format!("cannot create {}", parent.display()), e))?;
            }
            std::fs::write(&target, bytes)
                .map_err(|e| GitError::Io(format!("cannot write {}", target.display()), e))?;
        }
        Ok(())
    }

    fn tree_files_of(
        &self,
        tree: &git2::Tree<'_>,
        rev: &str,
        prefix: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        let prefix = clean_repo_path(prefix);
        let missing = || GitError::PathMissing {
            rev: rev.to_string(),
            path: prefix.clone(),
        };
        let mut wanted = Vec::new();
        let sub;
        let walk_root = if prefix.is_empty() {
            tree
        } else {
            let entry = tree.get_path(Path::new(&prefix)).map_err(|_| missing())?;
            match entry.kind() {
                Some(ObjectType::Blob) => {
                    if is_regular(entry.filemode() as u32) {
                        wanted.push(Wanted::blob(prefix.clone(), entry.id()));
                    }
                    return self.read_blobs(wanted);
                }
                Some(ObjectType::Tree) => {
                    sub = self.repo.find_tree(entry.id())?;
                    &sub
                }
                _ => return Err(missing()),
            }
        };
        let base = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        };
        walk_root.walk(TreeWalkMode::PreOrder, |root, entry| {
            if entry.kind() == Some(ObjectType::Blob) && is_regular(entry.filemode() as u32) {
                let name = String::from_utf8_lossy(entry.name_bytes());
                let path = format!("{base}{root}{name}");
                if lanes_model::files::is_candidate(Path::new(&path)) {
                    wanted.push(Wanted::blob(path, entry.id()));
                }
            }
            TreeWalkResult::Ok
        })?;
        self.read_blobs(wanted)
    }

    fn read_blobs(&self, mut wanted: Vec<Wanted>) -> Result<Vec<(String, Vec<u8>)>, GitError> {
        wanted.sort_by(|a, b| a.path.cmp(&b.path));
        fast_reads();
        // Inflating thousands of loose objects is the bulk of the read: split it over threads,
        // each with its own handle on the object database (git2 handles are not shared).
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        if threads < 2 || wanted.len() < 256 {
            return read_chunk(&self.repo, &wanted);
        }
        let chunk = wanted.len().div_ceil(threads);
        let git_dir = self.repo.path().to_path_buf();
        let results: Vec<Result<Files, GitError>> = std::thread::scope(|s| {
            let handles: Vec<_> = wanted
                .chunks(chunk)
                .map(|part| {
                    let git_dir = &git_dir;
                    s.spawn(move || {
                        let repo = Repository::open(git_dir)?;
                        read_chunk(&repo, part)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(GitError::App("reader thread panicked".into())))
                })
                .collect()
        });
        let mut out = Vec::with_capacity(wanted.len());
        for r in results {
            out.extend(r?);
        }
        Ok(out)
    }

    /// The URLs of every configured remote, as `(remote name, url)`.
    pub(crate) fn remote_urls(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Ok(names) = self.repo.remotes() {
            for name in names.iter().flatten().flatten() {
                if let Ok(r) = self.repo.find_remote(name) {
                    if let Ok(u) = r.url() {
                        out.push((name.to_string(), u.to_string()));
                    }
                }
            }
        }
        out
    }
}

/// libgit2 re-hashes every object it reads (SHA-1 with collision detection) and caches it.
/// lanes reads each blob once, like git itself does outside `fsck`, so both are turned off for
/// the process (these are libgit2-global settings).
fn fast_reads() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        git2::opts::strict_hash_verification(false);
        git2::opts::enable_caching(false);
    });
}

fn read_chunk(repo: &Repository, part: &[Wanted]) -> Result<Vec<(String, Vec<u8>)>, GitError> {
    let odb = repo.odb()?;
    let mut out = Vec::with_capacity(part.len());
    for w in part {
        if let Some(bytes) = w.stat.as_ref().and_then(WorktreeStat::read_if_clean) {
            out.push((w.path.clone(), bytes));
            continue;
        }
        let obj = odb.read(w.id)?;
        out.push((w.path.clone(), obj.data().to_vec()));
    }
    Ok(out)
}

/// A file to read: its repository path, its blob, and (for index entries that may be read from
/// the work tree) the stat data the index recorded for it.
struct Wanted {
    path: String,
    id: Oid,
    stat: Option<WorktreeStat>,
}

impl Wanted {
    fn blob(path: String, id: Oid) -> Wanted {
        Wanted {
            path,
            id,
            stat: None,
        }
    }
}

/// Whether index entries may be read from the work tree, and where the work tree is.
struct Reuse {
    workdir: PathBuf,
    /// The index file's own mtime: entries stamped at or after it are "racily clean" (the file
    /// may have changed within the same timestamp after it was staged), as git defines it.
    index_mtime: (i64, u32),
}

impl Reuse {
    /// `None` (always read blobs) for bare repositories, on platforms without Unix stat data,
    /// and whenever the bytes in the work tree may legitimately differ from the blob: any
    /// `core.autocrlf`/`core.eol` conversion, any `.gitattributes` (filters, `text`, `eol`,
    /// `ident`, `working-tree-encoding`; the caller checks the index for those files), or an
    /// attributes file configured outside the tree.
    fn new(repo: &Repo) -> Option<Reuse> {
        if !cfg!(unix) {
            return None;
        }
        let workdir = repo.repo.workdir()?.to_path_buf();
        let cfg = repo.repo.config().ok()?;
        let autocrlf = cfg.get_string("core.autocrlf").unwrap_or_default();
        if !matches!(autocrlf.to_ascii_lowercase().as_str(), "" | "false") {
            return None;
        }
        if cfg.get_string("core.eol").is_ok() || cfg.get_string("core.attributesfile").is_ok() {
            return None;
        }
        // Linked worktrees share `info/` with the main repository.
        if repo.repo.commondir().join("info/attributes").exists() {
            return None;
        }
        let meta = std::fs::metadata(repo.index_path()).ok()?;
        let index_mtime = mtime_of(&meta)?;
        Some(Reuse {
            workdir,
            index_mtime,
        })
    }

    fn stat_of(&self, e: &git2::IndexEntry) -> Option<WorktreeStat> {
        let mtime = (i64::from(e.mtime.seconds()), e.mtime.nanoseconds());
        if mtime >= self.index_mtime {
            return None;
        }
        let path = std::str::from_utf8(&e.path).ok()?;
        Some(WorktreeStat {
            file: self.workdir.join(path),
            mtime,
            ctime: (i64::from(e.ctime.seconds()), e.ctime.nanoseconds()),
            size: e.file_size,
            ino: e.ino,
            dev: e.dev,
            uid: e.uid,
            gid: e.gid,
        })
    }
}

/// The stat data an index entry recorded (git's `ie_match_stat` fields).
struct WorktreeStat {
    file: PathBuf,
    mtime: (i64, u32),
    ctime: (i64, u32),
    size: u32,
    ino: u32,
    dev: u32,
    uid: u32,
    gid: u32,
}

impl WorktreeStat {
    /// The work-tree bytes if the file still matches every recorded stat field, else `None`
    /// (the caller then reads the blob). Index fields are 32-bit, so they are compared with
    /// the low 32 bits of the live values, as git does.
    #[cfg(unix)]
    fn read_if_clean(&self) -> Option<Vec<u8>> {
        use std::io::Read;
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::fs::OpenOptionsExt;
        // One path lookup: open, then compare the open file's stat data. Non-blocking, so that
        // a FIFO put where the file was cannot hang a hook (its stat data never matches).
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&self.file)
            .ok()?;
        let meta = file.metadata().ok()?;
        let same = meta.file_type().is_file()
            && mtime_of(&meta)? == self.mtime
            && (meta.ctime(), meta.ctime_nsec() as u32) == self.ctime
            && meta.size() as u32 == self.size
            && meta.ino() as u32 == self.ino
            // libgit2 records no device (0), and git compares it only when built with
            // USE_STDEV; a recorded device must match.
            && (self.dev == 0 || meta.dev() as u32 == self.dev)
            && meta.uid() == self.uid
            && meta.gid() == self.gid;
        if !same {
            return None;
        }
        let mut bytes = Vec::with_capacity(meta.size() as usize);
        file.read_to_end(&mut bytes).ok()?;
        (bytes.len() as u64 == meta.size()).then_some(bytes)
    }

    #[cfg(not(unix))]
    fn read_if_clean(&self) -> Option<Vec<u8>> {
        None
    }
}

#[cfg(unix)]
fn mtime_of(meta: &std::fs::Metadata) -> Option<(i64, u32)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.mtime(), meta.mtime_nsec() as u32))
}

#[cfg(not(unix))]
fn mtime_of(_: &std::fs::Metadata) -> Option<(i64, u32)> {
    None
}

fn is_regular(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

fn under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.len() > prefix.len()
            && path.starts_with(prefix)
            && path.as_bytes()[prefix.len()] == b'/')
}

/// `./a//b/` → `a/b`; `.` → ``.
fn clean_repo_path(p: &str) -> String {
    p.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Relative values of git's variables are relative to the process's current directory.
fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub(crate) fn short_reason(e: &git2::Error) -> String {
    let m = e.message();
    let m = m.split(';').next().unwrap_or(m);
    m.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert!(under("a/b.yaml", ""));
        assert!(under("a/b.yaml", "a"));
        assert!(under("a/b.yaml", "a/b.yaml"));
        assert!(!under("ab/c.yaml", "a"));
        assert_eq!(clean_repo_path("./a//b/"), "a/b");
        assert_eq!(clean_repo_path("."), "");
    }
}
