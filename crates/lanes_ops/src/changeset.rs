//! A set of file changes: unified diffs for `--dry-run`, and an all-or-nothing atomic writer.
//!
//! The writer ([`Changeset::write_with`]):
//!
//! * takes an exclusive lock, a file created with `O_CREAT|O_EXCL` as git does for
//!   `index.lock` ([`LOCK_FILE`]); a second writer retries a few times, then refuses, naming
//!   the lock file. A lock left by a process that no longer exists is taken over;
//! * resolves every target and refuses any that is (or whose directory is, through a symbolic
//!   link) outside the root; a symlinked manifest is edited through the link: the file it
//!   points to is rewritten, and the link stays;
//! * stages each new text in a `.lanes-tmp-*` file next to its target, with the target's mode
//!   and owner (new files take the mode of a sibling manifest, else 0666 under the umask),
//!   fsynced;
//! * writes and fsyncs a journal ([`JOURNAL_FILE`]) naming every target, the hash of its old
//!   and new content and its temporary file;
//! * right before each rename checks, by content hash, that the target still holds what was
//!   read, and that it still resolves inside the root; renames (files with several hard links,
//!   or whose owner cannot be kept, are overwritten in place from the staged copy instead, so
//!   the links and the owner stay);
//! * fsyncs the directories, removes the journal, releases the lock.
//!
//! A failure rolls back what was already replaced. A process killed half way leaves the
//! journal: [`recover`], which every lanes command runs first, rolls the change forward (every
//! new text is staged and fsynced before the journal exists) or, when nothing was replaced yet
//! and a staged file is missing, back.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// One file's change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Where the file is (as it will be opened).
    pub path: PathBuf,
    /// Name shown in diffs and summaries (relative to the repository root).
    pub display: String,
    /// The text read from disk; `None` for a new file.
    pub before: Option<String>,
    /// The new text; `None` to delete the file.
    pub after: Option<String>,
}

impl FileChange {
    /// What happens to the file: `create`, `delete` or `modify`.
    pub fn action(&self) -> &'static str {
        match (&self.before, &self.after) {
            (None, _) => "create",
            (_, None) => "delete",
            _ => "modify",
        }
    }
}

/// The lock file, in the state directory (the git directory in a repository, else the root).
pub const LOCK_FILE: &str = "lanes.lock";
/// The journal of a multi-file write in progress, next to the lock.
pub const JOURNAL_FILE: &str = "lanes-journal.json";
/// The prefix of staged files (next to their targets).
pub const TEMP_PREFIX: &str = ".lanes-tmp-";

/// Why a changeset was not written. When this is returned, no file was changed (except
/// [`WriteError::Interrupted`], a test hook).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file is no longer what was read.
    #[error("{0}: file changed on disk between reading and writing; nothing was written")]
    ChangedOnDisk(String),
    /// A file to be created already exists.
    #[error("{0}: target file already exists; nothing was written")]
    TargetExists(String),
    /// Another writer holds the lock.
    #[error("another lanes process is writing (lock file {0}); nothing was written. If no lanes process is running, remove that file")]
    Locked(String),
    /// The lock was taken by a lanes process on another host (a shared or network drive):
    /// whether that process still runs cannot be told from here, so the lock is never taken
    /// over automatically.
    #[error("the lock file {path} is held by lanes process {pid} on host {host}, taken {age} ago; a process on another host cannot be checked from here, so lanes does not take the lock over. If no lanes process is running on {host}, remove {path}; nothing was written")]
    LockedElsewhere {
        /// The lock file.
        path: String,
        /// The host named in it.
        host: String,
        /// The pid named in it.
        pid: u32,
        /// How long ago it was taken (`3h12m`).
        age: String,
    },
    /// A target resolves outside the root.
    #[error("{path}: resolves to {resolved}, outside the root {root}; nothing was written")]
    Outside {
        /// The file as shown.
        path: String,
        /// Where it resolves to.
        resolved: String,
        /// The root.
        root: String,
    },
    /// An interrupted write was found and could not be recovered automatically.
    #[error("{0}")]
    Recovery(String),
    /// An I/O failure; every file was left (or put back) as it was.
    #[error("{path}: {source}; nothing was written")]
    Io {
        /// The file.
        path: String,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// Test hook ([`WriteOptions::crash_after`]): the write stopped as if the process had been
    /// killed; the journal, the staged files and the lock are left behind.
    #[error("write interrupted (test hook)")]
    Interrupted,
}

fn io(path: impl std::fmt::Display, source: std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.to_string(),
        source,
    }
}

/// Changes to several files that land together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changeset {
    /// The changes, in a stable order.
    pub changes: Vec<FileChange>,
}

/// Where and how [`Changeset::write_with`] writes.
pub struct WriteOptions<'a> {
    /// Every file written must resolve inside this directory.
    pub root: PathBuf,
    /// Where the lock and the journal live: the git directory in a repository (so that two
    /// writers in one work tree agree), else the root.
    pub state_dir: PathBuf,
    /// How many times to retry a held lock (20 ms apart) before refusing.
    pub lock_retries: u32,
    /// Test hook: called under the lock right before the changed-on-disk check of the `i`-th
    /// file to commit.
    #[doc(hidden)]
    pub before_commit: Option<&'a dyn Fn(usize)>,
    /// Test hook: stop after this many files were committed (0: right after the journal was
    /// written), as if the process had been killed.
    #[doc(hidden)]
    pub crash_after: Option<usize>,
}

impl WriteOptions<'_> {
    /// Write inside `root`, with the lock and the journal in `state_dir`.
    pub fn new(root: impl Into<PathBuf>, state_dir: impl Into<PathBuf>) -> WriteOptions<'static> {
        WriteOptions {
            root: root.into(),
            state_dir: state_dir.into(),
            lock_retries: 50,
            before_commit: None,
            crash_after: None,
        }
    }
}

impl Changeset {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| c.before == c.after)
    }

    /// A unified diff of every change (`a/` and `b/` headers, three lines of context, and
    /// `\ No newline at end of file` where a side lacks its final newline).
    ///
    /// As git does (`core.quotePath`), control characters in the file names of the headers are
    /// escaped ([`lanes_model::terminal::terminal_safe`]), while the diff lines stay faithful,
    /// byte for byte, to the files.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for c in &self.changes {
            let before = c.before.as_deref().unwrap_or("");
            let after = c.after.as_deref().unwrap_or("");
            if c.before.is_some() && before == after {
                continue;
            }
            let name = lanes_model::terminal::terminal_safe(&c.display);
            let a = if c.before.is_some() {
                format!("a/{name}")
            } else {
                "/dev/null".to_string()
            };
            let b = if c.after.is_some() {
                format!("b/{name}")
            } else {
                "/dev/null".to_string()
            };
            let diff = similar::TextDiff::from_lines(before, after);
            let text = diff
                .unified_diff()
                .context_radius(3)
                .missing_newline_hint(true)
                .header(&a, &b)
                .to_string();
            out.push_str(&text);
        }
        out
    }

    /// One line per file: `create mock-v3.yaml`, `modify mock-route.yaml`, ...
    pub fn summary(&self) -> Vec<String> {
        self.changes
            .iter()
            .filter(|c| c.before != c.after)
            .map(|c| format!("{} {}", c.action(), c.display))
            .collect()
    }

    /// [`Changeset::write_with`], rooted at the deepest directory that holds every target
    /// (lock and journal there too). Callers that know the repository use `write_with`.
    pub fn write_atomic(&self) -> Result<(), WriteError> {
        let mut root: Option<PathBuf> = None;
        for c in self.changes.iter().filter(|c| c.before != c.after) {
            let abs = std::path::absolute(&c.path).map_err(|e| io(&c.display, e))?;
            let (base, _) = existing_ancestor(parent_dir(&abs).unwrap_or(&abs));
            let base = base.canonicalize().map_err(|e| io(&c.display, e))?;
            root = Some(match root {
                None => base,
                Some(r) => common_ancestor(&r, &base),
            });
        }
        let Some(root) = root else { return Ok(()) };
        self.write_with(&WriteOptions::new(root.clone(), root))
    }

    /// Write every change, or none (see the module documentation for the protocol).
    pub fn write_with(&self, opts: &WriteOptions<'_>) -> Result<(), WriteError> {
        let changes: Vec<&FileChange> = self
            .changes
            .iter()
            .filter(|c| c.before != c.after)
            .collect();
        if changes.is_empty() {
            return Ok(());
        }
        let root = opts
            .root
            .canonicalize()
            .map_err(|e| io(opts.root.display(), e))?;
        let lock = Lock::acquire(&opts.state_dir, opts.lock_retries)?;
        // An interrupted earlier write is finished first; the checks below then see its result.
        recover_locked(&opts.state_dir)?;
        // 1. Verify, under the lock.
        let mut targets = Vec::with_capacity(changes.len());
        for c in &changes {
            targets.push(Target::resolve(c, &root)?);
        }
        let mut dirs: Vec<PathBuf> = targets
            .iter()
            .filter_map(|t| parent_dir(&t.real).map(Path::to_path_buf))
            .collect();
        dirs.push(root.clone());
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            clean_stray_temps(d);
        }
        // 2. Stage.
        let mut created_dirs: Vec<PathBuf> = Vec::new();
        for (i, t) in targets.iter_mut().enumerate() {
            if let Err(e) = t.stage(i, &mut created_dirs) {
                discard(&targets, &created_dirs);
                return Err(e);
            }
        }
        // 3. Journal.
        let journal = Journal {
            version: 1,
            entries: targets.iter().map(Target::entry).collect(),
            created_dirs: created_dirs
                .iter()
                .map(|d| d.to_string_lossy().into_owned())
                .collect(),
        };
        if let Err(e) = journal.write(&opts.state_dir) {
            discard(&targets, &created_dirs);
            return Err(e);
        }
        // 4. Commit.
        let mut done = 0;
        for i in 0..targets.len() {
            if opts.crash_after == Some(done) {
                std::mem::forget(lock);
                return Err(WriteError::Interrupted);
            }
            if let Some(hook) = opts.before_commit {
                hook(i);
            }
            let t = &targets[i];
            let result = t.recheck(&root).and_then(|()| match injected_failure(i) {
                true => Err(io(&t.display, std::io::Error::other("injected failure"))),
                false => t.commit(),
            });
            if let Err(e) = result {
                for d in targets[..done].iter().rev() {
                    d.restore();
                }
                discard(&targets[done..], &created_dirs);
                sync_dirs(&dirs);
                Journal::remove(&opts.state_dir);
                return Err(e);
            }
            done += 1;
        }
        if opts.crash_after == Some(done) {
            std::mem::forget(lock);
            return Err(WriteError::Interrupted);
        }
        // 5. Make the renames durable, then drop the journal.
        let mut sync: Vec<PathBuf> = dirs;
        for d in &created_dirs {
            if let Some(p) = d.parent() {
                sync.push(p.to_path_buf());
            }
            sync.push(d.clone());
        }
        sync_dirs(&sync);
        Journal::remove(&opts.state_dir);
        drop(lock);
        Ok(())
    }
}

/// What [`recover`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recovered {
    /// The interrupted change was completed; the files it touched.
    Forward(Vec<String>),
    /// The interrupted change was undone (nothing had been replaced yet); the files it named.
    Back(Vec<String>),
}

/// Finish or undo a write that was interrupted (a journal in `state_dir`), under the lock.
/// `Ok(None)`: there was nothing to recover.
pub fn recover(state_dir: &Path) -> Result<Option<Recovered>, WriteError> {
    if !state_dir.join(JOURNAL_FILE).exists() {
        return Ok(None);
    }
    let _lock = Lock::acquire(state_dir, 50)?;
    recover_locked(state_dir)
}

/// What [`recover_tree`] did: the interrupted change it finished or undid, and the stray
/// staged files it removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    /// The interrupted multi-file change, if a journal was found.
    pub journal: Option<Recovered>,
    /// Staged files a killed writer left behind, removed (as found, under the root).
    pub removed: Vec<PathBuf>,
}

/// What every command that reads a repository runs first: finish or undo an interrupted write
/// (a journal in `state_dir`, as [`recover`]) and remove every stray staged file
/// (`.lanes-tmp-*`) that a killed writer left anywhere under the `sweep` paths (a folder: with
/// its subfolders; a file: the folder it is in, without them). In a repository, `sweep` is its
/// work tree.
///
/// The tree is walked without following symbolic links (a link named like a staged file is
/// not removed, a linked folder is not entered) and without entering `.git`. Nothing is
/// written when there is nothing to recover; otherwise the work happens under the lock. A
/// staged file is kept when a live writer may still need it: while another process holds the
/// lock (then the sweep is left to a later command, without waiting), when the process named
/// in its file name is alive on this host, when it lies below another root's lock file (a
/// writer rooted in a subfolder) that is not provably stale, or when a journal that could not
/// be recovered names it (recovery then fails with that journal's message).
pub fn recover_tree(sweep: &[PathBuf], state_dir: &Path) -> Result<Recovery, WriteError> {
    let strays = find_strays(sweep, state_dir);
    let journal = state_dir.join(JOURNAL_FILE).exists();
    if strays.is_empty() && !journal {
        return Ok(Recovery::default());
    }
    let lock = match Lock::acquire(state_dir, if journal { 50 } else { 0 }) {
        Ok(l) => l,
        // A live writer holds the lock: its staged files are its own; a later command sweeps.
        Err(WriteError::Locked(_) | WriteError::LockedElsewhere { .. }) if !journal => {
            return Ok(Recovery::default())
        }
        Err(e) => return Err(e),
    };
    let journal = recover_locked(state_dir)?;
    let mut removed = Vec::new();
    for p in find_strays(sweep, state_dir) {
        if fs::remove_file(&p).is_ok() {
            removed.push(p);
        }
    }
    if !removed.is_empty() {
        let dirs: Vec<PathBuf> = removed
            .iter()
            .filter_map(|p| parent_dir(p).map(Path::to_path_buf))
            .collect();
        sync_dirs(&dirs);
    }
    drop(lock);
    Ok(Recovery { journal, removed })
}

/// Whether `name` is a staged file's name, and its writer (the pid in the name) is not alive
/// on this host.
fn is_stray_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
        return false;
    };
    match rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) {
        Some(pid) => pid != std::process::id() && !pid_alive(pid),
        // Not a name lanes makes: left alone.
        None => false,
    }
}

/// Every stray staged file under the `sweep` paths (see [`recover_tree`]), plus a journal's
/// half-written copy in `state_dir`.
fn find_strays(sweep: &[PathBuf], state_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let tmp = state_dir.join(format!("{JOURNAL_FILE}.tmp"));
    if fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_file()) {
        out.push(tmp);
    }
    let state = state_dir.canonicalize().ok();
    // (folder, with its subfolders, a named root)
    let mut stack: Vec<(PathBuf, bool, bool)> = sweep
        .iter()
        .filter_map(|p| match fs::metadata(p) {
            Ok(m) if m.is_dir() => Some((p.clone(), true, true)),
            Ok(_) => Some((parent_dir(p)?.to_path_buf(), false, true)),
            Err(_) => None,
        })
        .collect();
    while let Some((dir, deep, first)) = stack.pop() {
        let Ok(rd) = fs::read_dir(&dir) else { continue };
        let entries: Vec<fs::DirEntry> = rd.filter_map(|e| e.ok()).collect();
        // A subfolder with its own lock file is another root's (a writer rooted there, outside
        // a repository): its staged files are its writer's unless that lock is stale.
        if !first
            && entries.iter().any(|e| e.file_name() == LOCK_FILE)
            && state.as_deref() != dir.canonicalize().ok().as_deref()
        {
            let text = fs::read_to_string(dir.join(LOCK_FILE)).unwrap_or_default();
            if !holder_is_gone(&text) {
                continue;
            }
        }
        for e in entries {
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name();
            if ft.is_dir() {
                if deep && name != ".git" {
                    stack.push((e.path(), true, false));
                }
            } else if ft.is_file() && is_stray_name(&name.to_string_lossy()) {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn recover_locked(state_dir: &Path) -> Result<Option<Recovered>, WriteError> {
    let path = state_dir.join(JOURNAL_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path.display(), e)),
    };
    let journal: Journal = serde_json::from_str(&text).map_err(|e| {
        WriteError::Recovery(format!(
            "{}: unreadable journal of an interrupted write ({e}); check the files it names and remove it",
            path.display()
        ))
    })?;
    let mut pending = Vec::new();
    let mut done = 0;
    let mut stuck = Vec::new();
    for e in &journal.entries {
        let target = Path::new(&e.target);
        let now = hash_file(target);
        if now == e.new_hash {
            done += 1;
            continue;
        }
        let staged = match &e.temp {
            Some(t) => hash_file(Path::new(t)) == e.new_hash,
            None => true,
        };
        // An in-place overwrite cut short leaves a torn file: its staged copy completes it.
        if (now == e.old_hash || e.in_place) && staged {
            pending.push(e);
        } else {
            stuck.push(e.display.clone());
        }
    }
    let names: Vec<String> = journal.entries.iter().map(|e| e.display.clone()).collect();
    let dirs: Vec<PathBuf> = journal
        .entries
        .iter()
        .filter_map(|e| parent_dir(Path::new(&e.target)).map(Path::to_path_buf))
        .collect();
    if stuck.is_empty() {
        for e in pending {
            let target = Path::new(&e.target);
            let r = match (&e.temp, e.in_place) {
                (None, _) => fs::remove_file(target),
                (Some(t), false) => fs::rename(t, target),
                (Some(t), true) => overwrite_in_place(target, Path::new(t)),
            };
            r.map_err(|err| {
                WriteError::Recovery(format!(
                    "{}: cannot complete the interrupted write ({err}); the journal {} is kept",
                    e.display,
                    path.display()
                ))
            })?;
        }
        sync_dirs(&dirs);
        Journal::remove(state_dir);
        for d in &dirs {
            clean_stray_temps(d);
        }
        return Ok(Some(Recovered::Forward(names)));
    }
    if done == 0 {
        for e in &journal.entries {
            if let Some(t) = &e.temp {
                let _ = fs::remove_file(t);
            }
        }
        for d in journal.created_dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
        Journal::remove(state_dir);
        for d in &dirs {
            clean_stray_temps(d);
        }
        return Ok(Some(Recovered::Back(names)));
    }
    Err(WriteError::Recovery(format!(
        "an interrupted write (journal {}) cannot be completed: {} changed since; check these files and remove the journal",
        path.display(),
        stuck.join(", ")
    )))
}

/// The journal of a write in progress.
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    version: u32,
    entries: Vec<Entry>,
    created_dirs: Vec<String>,
}

/// One target in the journal. Hashes are xxh3-128 of the content, `None` for no file.
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    target: String,
    display: String,
    old_hash: Option<String>,
    new_hash: Option<String>,
    /// The staged new text (`None` to delete the target).
    temp: Option<String>,
    /// Copy the staged text into the target (hard links, foreign owner) instead of renaming.
    in_place: bool,
}

impl Journal {
    fn write(&self, state_dir: &Path) -> Result<(), WriteError> {
        let path = state_dir.join(JOURNAL_FILE);
        let tmp = state_dir.join(format!("{JOURNAL_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).map_err(|e| io(path.display(), e.into()))?;
        let r = (|| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            fs::rename(&tmp, &path)?;
            fs::File::open(state_dir)?.sync_all()
        })();
        r.map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io(path.display(), e)
        })
    }

    fn remove(state_dir: &Path) {
        let _ = fs::remove_file(state_dir.join(JOURNAL_FILE));
        if let Ok(d) = fs::File::open(state_dir) {
            let _ = d.sync_all();
        }
    }
}

/// The exclusive write lock: a file created with `O_CREAT|O_EXCL`, holding the owner's pid,
/// host name and the time it was taken ([`LockInfo`]), removed on drop.
struct Lock {
    path: PathBuf,
}

/// What a lock file says about its holder. Written as `PID\nhost HOST\nstarted SECS\n`
/// (seconds since the Unix epoch); a file of older lanes versions holds only `PID\n`, which
/// reads as a holder on this host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockInfo {
    /// The holder's process id.
    pub pid: u32,
    /// The holder's host name (`None`: an old, pid-only lock file, taken to be this host's).
    pub host: Option<String>,
    /// When the lock was taken, in seconds since the Unix epoch (`None` in old lock files).
    pub started: Option<u64>,
}

impl LockInfo {
    /// This process's lock, taken now.
    fn mine() -> LockInfo {
        LockInfo {
            pid: std::process::id(),
            host: Some(host_name()),
            started: Some(unix_now()),
        }
    }

    /// Read a lock file's text; `None` when it names no pid (empty, or being written).
    pub fn parse(text: &str) -> Option<LockInfo> {
        let mut lines = text.lines();
        let pid = lines.next()?.trim().parse::<u32>().ok()?;
        let mut info = LockInfo {
            pid,
            host: None,
            started: None,
        };
        for line in lines {
            match line.split_once(' ') {
                Some(("host", h)) if !h.trim().is_empty() => info.host = Some(h.trim().into()),
                Some(("started", t)) => info.started = t.trim().parse().ok(),
                _ => {}
            }
        }
        Some(info)
    }

    fn render(&self) -> String {
        let mut s = format!("{}\n", self.pid);
        if let Some(h) = &self.host {
            s.push_str(&format!("host {h}\n"));
        }
        if let Some(t) = self.started {
            s.push_str(&format!("started {t}\n"));
        }
        s
    }

    /// Whether the holder runs on another host (an old pid-only file is this host's).
    fn elsewhere(&self) -> bool {
        self.host.as_deref().is_some_and(|h| h != host_name())
    }
}

/// This machine's host name (`gethostname`), `unknown` when it cannot be read.
pub fn host_name() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname NUL-terminates or truncates.
        let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if r == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            let name = String::from_utf8_lossy(&buf[..end]).trim().to_string();
            if !name.is_empty() {
                return name;
            }
        }
        "unknown".into()
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").unwrap_or_else(|_| "unknown".into())
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `45s`, `12m05s`, `3h12m`, `2d04h`.
fn format_age(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s => format!("{}d{:02}h", s / 86_400, s % 86_400 / 3600),
    }
}

impl Lock {
    fn acquire(state_dir: &Path, retries: u32) -> Result<Lock, WriteError> {
        let path = state_dir.join(LOCK_FILE);
        let mut attempt = 0;
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    // One write: a reader sees all of it or nothing.
                    let _ = f.write_all(LockInfo::mine().render().as_bytes());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if take_over_stale(&path) {
                        continue;
                    }
                    if attempt >= retries {
                        return Err(held(&path));
                    }
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(io(path.display(), e)),
            }
        }
    }
}

/// The refusal for a lock that stayed held: naming the host when it is another one's.
fn held(path: &Path) -> WriteError {
    let info = fs::read_to_string(path)
        .ok()
        .as_deref()
        .and_then(LockInfo::parse);
    match info {
        Some(i) if i.elsewhere() => {
            let started = i.started.or_else(|| {
                let m = fs::metadata(path).ok()?.modified().ok()?;
                Some(m.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs())
            });
            WriteError::LockedElsewhere {
                path: path.display().to_string(),
                host: i.host.unwrap_or_default(),
                pid: i.pid,
                age: started.map_or_else(
                    || "an unknown time".into(),
                    |t| format_age(unix_now().saturating_sub(t)),
                ),
            }
        }
        _ => WriteError::Locked(path.display().to_string()),
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether a process with this pid exists on this host (other than this process: `false`).
fn pid_alive(pid: u32) -> bool {
    if pid == 0 || i32::try_from(pid).is_err() {
        return false;
    }
    #[cfg(unix)]
    {
        // SAFETY: kill with signal 0 only checks whether the process exists.
        let r = unsafe { libc::kill(pid as i32, 0) };
        !(r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH))
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Whether the process that holds a lock is gone: it ran on this host (or the file is an old
/// pid-only one) and no process has its pid. A holder on another host is never "gone": its
/// pid means nothing here.
fn holder_is_gone(text: &str) -> bool {
    let Some(info) = LockInfo::parse(text) else {
        return false;
    };
    if info.elsewhere() || info.pid == std::process::id() {
        return false;
    }
    !pid_alive(info.pid)
}

/// Remove a lock whose holder is gone. The lock is renamed aside first, and put back if it
/// turned out to be another (live) writer's fresh lock.
fn take_over_stale(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else {
        return false;
    };
    if !holder_is_gone(&text) {
        return false;
    }
    let aside = path.with_extension(format!("stale-{}", std::process::id()));
    if fs::rename(path, &aside).is_err() {
        return false;
    }
    let same = fs::read_to_string(&aside).is_ok_and(|t| t == text);
    if !same {
        let _ = fs::hard_link(&aside, path);
    }
    let _ = fs::remove_file(&aside);
    same
}

/// File metadata that a rewrite keeps.
#[derive(Clone, Copy, Debug, Default)]
struct Meta {
    mode: Option<u32>,
    owner: Option<(u32, u32)>,
    links: u64,
}

impl Meta {
    #[cfg(unix)]
    fn of(m: &fs::Metadata) -> Meta {
        use std::os::unix::fs::MetadataExt;
        Meta {
            mode: Some(m.mode() & 0o7777),
            owner: Some((m.uid(), m.gid())),
            links: m.nlink(),
        }
    }

    #[cfg(not(unix))]
    fn of(_: &fs::Metadata) -> Meta {
        Meta {
            links: 1,
            ..Meta::default()
        }
    }

    /// Give `f` this mode and owner. `Ok(false)`: the owner could not be kept.
    fn apply(&self, f: &fs::File) -> std::io::Result<bool> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            if let Some(mode) = self.mode {
                f.set_permissions(fs::Permissions::from_mode(mode))?;
            }
            if let Some((uid, gid)) = self.owner {
                let m = f.metadata()?;
                if (m.uid(), m.gid()) != (uid, gid)
                    && std::os::unix::fs::fchown(f, Some(uid), Some(gid)).is_err()
                {
                    return Ok(false);
                }
            }
        }
        #[cfg(not(unix))]
        let _ = f;
        Ok(true)
    }
}

/// One change, resolved and checked.
struct Target<'c> {
    change: &'c FileChange,
    display: String,
    /// The file written: the target of a symbolic link, inside the root.
    real: PathBuf,
    old_hash: Option<String>,
    new_hash: Option<String>,
    meta: Meta,
    temp: Option<PathBuf>,
    in_place: bool,
}

impl<'c> Target<'c> {
    fn resolve(c: &'c FileChange, root: &Path) -> Result<Target<'c>, WriteError> {
        let real = confine(&c.path, root, &c.display, c.after.is_some())?;
        let mut meta = Meta::default();
        match &c.before {
            Some(before) => match fs::read(&real) {
                Ok(now) if now == before.as_bytes() => {
                    meta = Meta::of(&fs::metadata(&real).map_err(|e| io(&c.display, e))?);
                }
                Ok(_) => return Err(WriteError::ChangedOnDisk(c.display.clone())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(WriteError::ChangedOnDisk(c.display.clone()))
                }
                Err(e) => return Err(io(&c.display, e)),
            },
            None => {
                if fs::symlink_metadata(&real).is_ok() {
                    return Err(WriteError::TargetExists(c.display.clone()));
                }
                meta.mode = sibling_mode(parent_dir(&real).unwrap_or(Path::new(".")));
                meta.links = 1;
            }
        }
        Ok(Target {
            change: c,
            display: c.display.clone(),
            real,
            old_hash: c.before.as_deref().map(|t| hash(t.as_bytes())),
            new_hash: c.after.as_deref().map(|t| hash(t.as_bytes())),
            in_place: meta.links > 1,
            meta,
            temp: None,
        })
    }

    fn stage(&mut self, i: usize, created_dirs: &mut Vec<PathBuf>) -> Result<(), WriteError> {
        let Some(after) = &self.change.after else {
            return Ok(());
        };
        let dir = parent_dir(&self.real)
            .unwrap_or(Path::new("."))
            .to_path_buf();
        if !dir.exists() {
            let mut missing = Vec::new();
            let mut cur = Some(dir.as_path());
            while let Some(d) = cur {
                if d.as_os_str().is_empty() || d.exists() {
                    break;
                }
                missing.push(d.to_path_buf());
                cur = d.parent();
            }
            fs::create_dir_all(&dir).map_err(|e| io(&self.display, e))?;
            // Outermost last: removed innermost first.
            created_dirs.extend(missing);
        }
        let (path, keeps_owner) =
            write_temp(&dir, i, after.as_bytes(), &self.meta).map_err(|e| io(&self.display, e))?;
        if !keeps_owner {
            self.in_place = true;
        }
        self.temp = Some(path);
        Ok(())
    }

    fn entry(&self) -> Entry {
        Entry {
            target: self.real.to_string_lossy().into_owned(),
            display: self.display.clone(),
            old_hash: self.old_hash.clone(),
            new_hash: self.new_hash.clone(),
            temp: self.temp.as_ref().map(|t| t.to_string_lossy().into_owned()),
            in_place: self.in_place,
        }
    }

    /// Right before the commit, under the lock: still inside the root, still what was read.
    fn recheck(&self, root: &Path) -> Result<(), WriteError> {
        let real = confine(
            &self.change.path,
            root,
            &self.display,
            self.change.after.is_some(),
        )?;
        if real != self.real || hash_file(&self.real) != self.old_hash {
            return Err(match self.old_hash {
                None => WriteError::TargetExists(self.display.clone()),
                Some(_) => WriteError::ChangedOnDisk(self.display.clone()),
            });
        }
        Ok(())
    }

    fn commit(&self) -> Result<(), WriteError> {
        let r = match (&self.temp, self.old_hash.is_some()) {
            (None, _) => fs::remove_file(&self.real),
            (Some(t), _) if self.in_place => overwrite_in_place(&self.real, t),
            (Some(t), true) => fs::rename(t, &self.real),
            // A new file: a hard link cannot replace a file that appeared meanwhile.
            (Some(t), false) => fs::hard_link(t, &self.real)
                .or_else(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => Err(e),
                    _ => fs::rename(t, &self.real),
                })
                .and_then(|()| match fs::remove_file(t) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }),
        };
        r.map_err(|e| io(&self.display, e))
    }

    /// Put a committed change back from the text kept in memory, with the original metadata
    /// (best effort; used only when a later commit failed).
    fn restore(&self) {
        match &self.change.before {
            None => {
                let _ = fs::remove_file(&self.real);
            }
            Some(before) => {
                let dir = parent_dir(&self.real).unwrap_or(Path::new("."));
                let put = write_temp(dir, usize::MAX, before.as_bytes(), &self.meta).and_then(
                    |(t, _)| {
                        if self.in_place {
                            overwrite_in_place(&self.real, &t)
                        } else {
                            fs::rename(&t, &self.real)
                        }
                    },
                );
                if put.is_err() {
                    let _ = fs::write(&self.real, before);
                }
            }
        }
    }
}

/// Resolve where a change writes: through symbolic links (the file a link points to), and the
/// directory of a new file; refuse anything outside `root` (already canonical).
fn confine(path: &Path, root: &Path, display: &str, follow: bool) -> Result<PathBuf, WriteError> {
    let abs = std::path::absolute(path).map_err(|e| io(display, e))?;
    let real = match fs::symlink_metadata(&abs) {
        // Deleting a symbolic link removes the link, not the file it points to.
        Ok(m) if m.file_type().is_symlink() && !follow => {
            let (Some(dir), Some(name)) = (abs.parent(), abs.file_name()) else {
                return Err(outside(display, &abs, root));
            };
            dir.canonicalize().map_err(|e| io(display, e))?.join(name)
        }
        Ok(_) => abs.canonicalize().map_err(|e| io(display, e))?,
        Err(_) => {
            let (base, rest) = existing_ancestor(&abs);
            if rest
                .iter()
                .any(|c| !matches!(Path::new(c).components().next(), Some(Component::Normal(_))))
            {
                return Err(outside(display, &abs, root));
            }
            let mut real = base.canonicalize().map_err(|e| io(display, e))?;
            for c in rest {
                real.push(c);
            }
            real
        }
    };
    if !real.starts_with(root) || real == root {
        return Err(outside(display, &real, root));
    }
    Ok(real)
}

fn outside(display: &str, resolved: &Path, root: &Path) -> WriteError {
    WriteError::Outside {
        path: display.to_string(),
        resolved: resolved.display().to_string(),
        root: root.display().to_string(),
    }
}

/// The deepest existing ancestor of `abs` (or `abs` itself) and the names below it.
fn existing_ancestor(abs: &Path) -> (PathBuf, Vec<std::ffi::OsString>) {
    let mut base = abs.to_path_buf();
    let mut rest = Vec::new();
    while fs::symlink_metadata(&base).is_err() {
        match (base.file_name(), base.parent()) {
            (Some(n), Some(p)) => {
                rest.push(n.to_os_string());
                base = p.to_path_buf();
            }
            _ => break,
        }
    }
    rest.reverse();
    (base, rest)
}

fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for (x, y) in a.components().zip(b.components()) {
        if x != y {
            break;
        }
        out.push(x);
    }
    out
}

/// The mode of a manifest next to a new file (the first `.yaml`/`.yml` by name).
fn sibling_mode(dir: &Path) -> Option<u32> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    names.sort();
    names
        .iter()
        .filter_map(|p| fs::metadata(p).ok())
        .find(|m| m.is_file())
        .and_then(|m| Meta::of(&m).mode)
}

/// Write `bytes` to a new `.lanes-tmp-*` file in `dir` with `meta`'s mode and owner, fsynced.
/// Returns the path and whether the owner could be kept.
fn write_temp(dir: &Path, i: usize, bytes: &[u8], meta: &Meta) -> std::io::Result<(PathBuf, bool)> {
    let mut n = 0u32;
    loop {
        let path = dir.join(format!("{TEMP_PREFIX}{}-{i}-{n}", std::process::id()));
        let mut o = fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o666);
        }
        let mut f = match o.open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => {
                n += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        let r = (|| {
            f.write_all(bytes)?;
            let kept = meta.apply(&f)?;
            f.sync_all()?;
            Ok(kept)
        })();
        return match r {
            Ok(kept) => Ok((path, kept)),
            Err(e) => {
                let _ = fs::remove_file(&path);
                Err(e)
            }
        };
    }
}

/// Copy the staged text into the existing file (same inode: hard links and owner stay), then
/// drop the staged copy.
fn overwrite_in_place(target: &Path, staged: &Path) -> std::io::Result<()> {
    let bytes = fs::read(staged)?;
    let mut f = fs::OpenOptions::new().write(true).open(target)?;
    f.write_all(&bytes)?;
    f.set_len(bytes.len() as u64)?;
    f.sync_all()?;
    fs::remove_file(staged)
}

/// Remove the staged files of `targets` and the directories created for them.
fn discard(targets: &[Target<'_>], created_dirs: &[PathBuf]) {
    for t in targets {
        if let Some(p) = &t.temp {
            let _ = fs::remove_file(p);
        }
    }
    for d in created_dirs {
        let _ = fs::remove_dir(d);
    }
}

/// Remove `.lanes-tmp-*` files left in `dir` by a process that died (callers hold the lock, and
/// a file whose writer is alive is kept).
fn clean_stray_temps(dir: &Path) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.filter_map(|e| e.ok()) {
        if is_stray_name(&e.file_name().to_string_lossy())
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = fs::remove_file(e.path());
        }
    }
}

fn sync_dirs(dirs: &[PathBuf]) {
    let mut dirs = dirs.to_vec();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        if let Ok(f) = fs::File::open(&d) {
            let _ = f.sync_all();
        }
    }
}

fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// The content hash of a file, `None` when there is no file.
fn hash_file(path: &Path) -> Option<String> {
    fs::read(path).ok().map(|b| hash(&b))
}

#[cfg(test)]
thread_local! {
    /// Tests: make the commit of the change at this position fail.
    static FAIL_AT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

#[cfg(test)]
fn injected_failure(i: usize) -> bool {
    FAIL_AT.with(|f| f.get() == Some(i))
}

#[cfg(not(test))]
fn injected_failure(_: usize) -> bool {
    false
}

fn parent_dir(path: &Path) -> Option<&Path> {
    match path.parent() {
        Some(p) if p.as_os_str().is_empty() => Some(Path::new(".")),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &Path, before: Option<&str>, after: Option<&str>) -> FileChange {
        FileChange {
            path: path.to_path_buf(),
            display: path.file_name().unwrap().to_string_lossy().into_owned(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn diff_marks_missing_final_newline() {
        let cs = Changeset {
            changes: vec![FileChange {
                path: "x.yaml".into(),
                display: "x.yaml".into(),
                before: Some("a: 1\nb: 2".into()),
                after: Some("a: 1\nb: 3".into()),
            }],
        };
        let d = cs.diff();
        assert!(d.starts_with("--- a/x.yaml\n+++ b/x.yaml\n"), "{d}");
        assert!(
            d.contains("-b: 2\n\\ No newline at end of file\n+b: 3\n\\ No newline at end of file"),
            "{d}"
        );
        assert_eq!(cs.summary(), vec!["modify x.yaml"]);
    }

    #[test]
    fn writes_all_files_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("sub/b.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&a, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&b, None, Some("b: 1")),
            ],
        };
        cs.write_atomic().unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 2\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b: 1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&a).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".lanes-tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn refuses_when_a_file_changed_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("b.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&b, "b: edited meanwhile\n").unwrap();
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&b, Some("b: 1\n"), Some("b: 2\n")),
            ],
        };
        let e = cs.write_atomic().unwrap_err();
        assert!(matches!(e, WriteError::ChangedOnDisk(_)), "{e}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b: edited meanwhile\n");
    }

    #[test]
    fn refuses_to_overwrite_a_new_file_target() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let n = dir.path().join("n.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&n, "mine\n").unwrap();
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&n, None, Some("new\n")),
            ],
        };
        assert!(matches!(
            cs.write_atomic().unwrap_err(),
            WriteError::TargetExists(_)
        ));
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
        assert_eq!(fs::read_to_string(&n).unwrap(), "mine\n");
    }

    #[test]
    fn unreadable_target_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        // The second change deletes a file that is a directory: staging passes (nothing to
        // stage for a delete) and the commit fails after `a` was replaced.
        let d = dir.path().join("d.yaml");
        fs::create_dir(&d).unwrap();
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                FileChange {
                    path: d.clone(),
                    display: "d.yaml".into(),
                    before: None,
                    after: None,
                },
            ],
        };
        // before == after (both None) is filtered; use a real delete of a directory instead.
        let cs = Changeset {
            changes: vec![
                cs.changes[0].clone(),
                FileChange {
                    before: Some(String::new()),
                    ..cs.changes[1].clone()
                },
            ],
        };
        // Verification reads the directory and fails, so nothing is written.
        assert!(cs.write_atomic().is_err());
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
    }

    #[test]
    fn a_failed_rename_rolls_back_the_files_already_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("b.yaml");
        let c = dir.path().join("new/c.yaml");
        let d = dir.path().join("d.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&b, "b: 1\n").unwrap();
        fs::write(&d, "d: 1\n").unwrap();
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&c, None, Some("c: 1\n")),
                change(&d, Some("d: 1\n"), None),
                change(&b, Some("b: 1\n"), Some("b: 2\n")),
            ],
        };
        FAIL_AT.with(|f| f.set(Some(3)));
        let e = cs.write_atomic().unwrap_err();
        FAIL_AT.with(|f| f.set(None));
        assert!(e.to_string().contains("injected failure"), "{e}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b: 1\n");
        assert_eq!(fs::read_to_string(&d).unwrap(), "d: 1\n");
        assert!(!c.exists());
        assert!(!dir.path().join("new").exists());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(".lanes-tmp")),
            "{names:?}"
        );
    }

    #[test]
    fn deletes_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1").unwrap();
        let cs = Changeset {
            changes: vec![change(&a, Some("a: 1"), None)],
        };
        assert!(cs.diff().contains("+++ /dev/null"));
        cs.write_atomic().unwrap();
        assert!(!a.exists());
    }

    /// A pid no process can have (above the largest `pid_max`).
    const DEAD_PID: &str = "4194400\n";

    fn opts(root: &Path) -> WriteOptions<'static> {
        let mut o = WriteOptions::new(root, root);
        o.lock_retries = 0;
        o
    }

    fn read(p: &Path) -> String {
        fs::read_to_string(p).unwrap()
    }

    fn temps(root: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(TEMP_PREFIX)
                {
                    out.push(p);
                }
            }
        }
        out
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    fn set_mode(p: &Path, m: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    }

    #[test]
    fn a_held_lock_refuses_with_the_lock_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        // A live holder: this very process.
        fs::write(
            dir.path().join(LOCK_FILE),
            format!("{}\n", std::process::id()),
        )
        .unwrap();
        let cs = Changeset {
            changes: vec![change(&a, Some("a: 1\n"), Some("a: 2\n"))],
        };
        let e = cs.write_with(&opts(dir.path())).unwrap_err();
        assert!(matches!(e, WriteError::Locked(_)), "{e}");
        assert!(e.to_string().contains(LOCK_FILE), "{e}");
        assert_eq!(read(&a), "a: 1\n");
    }

    #[test]
    fn a_stale_lock_of_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(dir.path().join(LOCK_FILE), DEAD_PID).unwrap();
        let cs = Changeset {
            changes: vec![change(&a, Some("a: 1\n"), Some("a: 2\n"))],
        };
        cs.write_with(&opts(dir.path())).unwrap();
        assert_eq!(read(&a), "a: 2\n");
        assert!(!dir.path().join(LOCK_FILE).exists());
    }

    /// Two writers at once, made deterministic by the hook: the second starts while the first
    /// holds the lock, and is refused; the first lands whole.
    #[test]
    fn a_second_writer_is_refused_while_the_first_writes() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("b.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&b, "b: 1\n").unwrap();
        let second = Changeset {
            changes: vec![change(&a, Some("a: 1\n"), Some("a: 99\n"))],
        };
        let refused = std::cell::RefCell::new(None);
        let hook = |i: usize| {
            if i == 0 {
                *refused.borrow_mut() = Some(second.write_with(&opts(dir.path())));
            }
        };
        let first = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&b, Some("b: 1\n"), Some("b: 2\n")),
            ],
        };
        let mut o = opts(dir.path());
        o.before_commit = Some(&hook);
        first.write_with(&o).unwrap();
        let r = refused.into_inner().expect("the hook ran");
        assert!(matches!(r, Err(WriteError::Locked(_))), "{r:?}");
        assert_eq!(read(&a), "a: 2\n");
        assert_eq!(read(&b), "b: 2\n");
    }

    /// An editor saves the second file after the first was renamed: the check under the lock,
    /// right before the rename, sees it by content hash; the first file is put back and the
    /// editor's save is kept.
    #[test]
    fn an_edit_that_lands_during_the_write_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("b.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&b, "b: 1\n").unwrap();
        let hook = |i: usize| {
            if i == 1 {
                fs::write(&b, "b: saved by an editor\n").unwrap();
            }
        };
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&b, Some("b: 1\n"), Some("b: 2\n")),
            ],
        };
        let mut o = opts(dir.path());
        o.before_commit = Some(&hook);
        let e = cs.write_with(&o).unwrap_err();
        assert!(
            matches!(e, WriteError::ChangedOnDisk(ref f) if f == "b.yaml"),
            "{e}"
        );
        assert_eq!(read(&a), "a: 1\n");
        assert_eq!(read(&b), "b: saved by an editor\n");
        assert!(temps(dir.path()).is_empty());
        assert!(!dir.path().join(JOURNAL_FILE).exists());
        assert!(!dir.path().join(LOCK_FILE).exists());
    }

    /// The tree of [`crash_set`]: before and after.
    fn crash_tree(root: &Path) -> Changeset {
        fs::write(root.join("a.yaml"), "a: 1\n").unwrap();
        fs::write(root.join("b.yaml"), "b: 1\n").unwrap();
        fs::write(root.join("d.yaml"), "d: 1\n").unwrap();
        fs::write(root.join("h.yaml"), "h: 1\n").unwrap();
        fs::hard_link(root.join("h.yaml"), root.join("h-link.yaml")).unwrap();
        Changeset {
            changes: vec![
                change(&root.join("a.yaml"), Some("a: 1\n"), Some("a: 2\n")),
                change(&root.join("new/c.yaml"), None, Some("c: 1\n")),
                change(&root.join("d.yaml"), Some("d: 1\n"), None),
                change(&root.join("h.yaml"), Some("h: 1\n"), Some("h: 2\n")),
                change(&root.join("b.yaml"), Some("b: 1\n"), Some("b: 2\n")),
            ],
        }
    }

    fn is_new(root: &Path) -> bool {
        read(&root.join("a.yaml")) == "a: 2\n"
            && read(&root.join("b.yaml")) == "b: 2\n"
            && read(&root.join("new/c.yaml")) == "c: 1\n"
            && !root.join("d.yaml").exists()
            && read(&root.join("h.yaml")) == "h: 2\n"
            && read(&root.join("h-link.yaml")) == "h: 2\n"
    }

    fn is_old(root: &Path) -> bool {
        read(&root.join("a.yaml")) == "a: 1\n"
            && read(&root.join("b.yaml")) == "b: 1\n"
            && !root.join("new").exists()
            && read(&root.join("d.yaml")) == "d: 1\n"
            && read(&root.join("h.yaml")) == "h: 1\n"
            && read(&root.join("h-link.yaml")) == "h: 1\n"
    }

    /// Killed at every step of a five-file write (after the journal, after each commit): the
    /// next recovery leaves the tree entirely new, with no journal, lock or temporary file.
    #[test]
    fn a_write_killed_at_any_step_is_rolled_forward_by_recovery() {
        for k in 0..=5 {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            let cs = crash_tree(root);
            let mut o = opts(root);
            o.crash_after = Some(k);
            assert!(matches!(cs.write_with(&o), Err(WriteError::Interrupted)));
            assert!(root.join(JOURNAL_FILE).exists(), "step {k}");
            // The killed process's lock stays behind, with its pid.
            fs::write(root.join(LOCK_FILE), DEAD_PID).unwrap();
            let r = recover(root).unwrap();
            assert!(
                matches!(r, Some(Recovered::Forward(ref f)) if f.len() == 5),
                "step {k}: {r:?}"
            );
            assert!(is_new(root), "step {k}");
            assert!(temps(root).is_empty(), "step {k}: {:?}", temps(root));
            assert!(!root.join(JOURNAL_FILE).exists());
            assert!(!root.join(LOCK_FILE).exists());
            assert_eq!(recover(root).unwrap(), None);
        }
    }

    /// Killed in the middle of an in-place overwrite (a hard-linked file): the torn file is
    /// completed from its staged copy.
    #[test]
    fn a_torn_in_place_overwrite_is_completed_by_recovery() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let cs = crash_tree(root);
        let mut o = opts(root);
        o.crash_after = Some(3);
        assert!(cs.write_with(&o).is_err());
        fs::write(root.join("h.yaml"), "h: 2\nhalf wri").unwrap();
        fs::write(root.join(LOCK_FILE), DEAD_PID).unwrap();
        assert!(matches!(
            recover(root).unwrap(),
            Some(Recovered::Forward(_))
        ));
        assert!(is_new(root));
    }

    /// Killed before any rename, with a staged file lost: recovery rolls back.
    #[test]
    fn a_write_killed_before_any_rename_with_a_staged_file_lost_is_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let cs = crash_tree(root);
        let mut o = opts(root);
        o.crash_after = Some(0);
        assert!(cs.write_with(&o).is_err());
        fs::remove_file(&temps(root)[0]).unwrap();
        fs::write(root.join(LOCK_FILE), DEAD_PID).unwrap();
        let r = recover(root).unwrap();
        assert!(matches!(r, Some(Recovered::Back(_))), "{r:?}");
        assert!(is_old(root));
        assert!(temps(root).is_empty());
    }

    /// The next write finds the journal itself (the binary also recovers first).
    #[test]
    fn the_next_write_recovers_first_and_sees_the_result() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let cs = crash_tree(root);
        let mut o = opts(root);
        o.crash_after = Some(2);
        assert!(cs.write_with(&o).is_err());
        fs::write(root.join(LOCK_FILE), DEAD_PID).unwrap();
        // Planned from the old text: refused, since recovery made it new.
        let again = Changeset {
            changes: vec![change(&root.join("a.yaml"), Some("a: 1\n"), Some("a: 3\n"))],
        };
        assert!(matches!(
            again.write_with(&opts(root)),
            Err(WriteError::ChangedOnDisk(_))
        ));
        assert!(is_new(root));
    }

    #[cfg(unix)]
    #[test]
    fn modes_are_kept_on_write_and_restore_and_new_files_take_a_siblings_mode() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let a = root.join("a.yaml");
        let b = root.join("b.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&b, "b: 1\n").unwrap();
        set_mode(&a, 0o644);
        set_mode(&b, 0o640);
        // Restored after a failed commit: back with 0644, not 0600.
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&b, Some("b: 1\n"), Some("b: 2\n")),
            ],
        };
        FAIL_AT.with(|f| f.set(Some(1)));
        assert!(cs.write_with(&opts(root)).is_err());
        FAIL_AT.with(|f| f.set(None));
        assert_eq!(read(&a), "a: 1\n");
        assert_eq!(mode(&a), 0o644);
        cs.write_with(&opts(root)).unwrap();
        assert_eq!((mode(&a), mode(&b)), (0o644, 0o640));
        // A new file: the mode of the first manifest beside it.
        let n = root.join("n.yaml");
        Changeset {
            changes: vec![change(&n, None, Some("n: 1\n"))],
        }
        .write_with(&opts(root))
        .unwrap();
        assert_eq!(mode(&n), 0o644);
        // No sibling: what the umask makes of 0666, like any editor's new file.
        let fresh = root.join("fresh/x.yaml");
        let probe = root.join("probe");
        fs::write(&probe, "").unwrap();
        Changeset {
            changes: vec![change(&fresh, None, Some("x: 1\n"))],
        }
        .write_with(&opts(root))
        .unwrap();
        assert_eq!(mode(&fresh), mode(&probe));
    }

    #[cfg(unix)]
    #[test]
    fn the_owner_is_kept() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        // Only root can give a file away; as another user the owner is ours anyway.
        let me = fs::metadata(&a).unwrap().uid();
        let other = if me == 0 { 4321 } else { me };
        let _ = std::os::unix::fs::chown(&a, Some(other), Some(other));
        let owner = {
            let m = fs::metadata(&a).unwrap();
            (m.uid(), m.gid())
        };
        Changeset {
            changes: vec![change(&a, Some("a: 1\n"), Some("a: 2\n"))],
        }
        .write_with(&opts(dir.path()))
        .unwrap();
        let m = fs::metadata(&a).unwrap();
        assert_eq!((m.uid(), m.gid()), owner);
        assert_eq!(read(&a), "a: 2\n");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_the_root_are_written_through_and_hard_links_stay() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("real")).unwrap();
        let real = root.join("real/a.yaml");
        fs::write(&real, "a: 1\n").unwrap();
        let link = root.join("a.yaml");
        std::os::unix::fs::symlink("real/a.yaml", &link).unwrap();
        let h = root.join("h.yaml");
        fs::write(&h, "h: 1\n").unwrap();
        fs::hard_link(&h, root.join("real/h.yaml")).unwrap();
        let ino = fs::metadata(&h).unwrap().ino();
        Changeset {
            changes: vec![
                change(&link, Some("a: 1\n"), Some("a: 2\n")),
                change(&h, Some("h: 1\n"), Some("h: 2\n")),
            ],
        }
        .write_with(&opts(root))
        .unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(read(&real), "a: 2\n");
        assert_eq!(fs::metadata(&h).unwrap().ino(), ino);
        assert_eq!(read(&root.join("real/h.yaml")), "h: 2\n");
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link_that_leaves_the_root() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let victim = outside.path().join("victim.yaml");
        fs::write(&victim, "v: 1\n").unwrap();
        std::os::unix::fs::symlink(&victim, root.join("v.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join(".lanes")).unwrap();
        let a = root.join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        // A symlinked manifest pointing outside.
        let cs = Changeset {
            changes: vec![
                change(&a, Some("a: 1\n"), Some("a: 2\n")),
                change(&root.join("v.yaml"), Some("v: 1\n"), Some("v: 2\n")),
            ],
        };
        let e = cs.write_with(&opts(root)).unwrap_err();
        assert!(matches!(e, WriteError::Outside { .. }), "{e}");
        // A new file in a symlinked directory pointing outside (`plan --save`).
        let cs = Changeset {
            changes: vec![change(&root.join(".lanes/plan-g.json"), None, Some("{}\n"))],
        };
        let e = cs.write_with(&opts(root)).unwrap_err();
        assert!(matches!(e, WriteError::Outside { .. }), "{e}");
        // `..` in a new file's path.
        let cs = Changeset {
            changes: vec![change(&root.join("x/../../esc.yaml"), None, Some("e: 1\n"))],
        };
        assert!(cs.write_with(&opts(root)).is_err());
        assert_eq!(read(&a), "a: 1\n");
        assert_eq!(read(&victim), "v: 1\n");
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 1);
        assert!(!dir.path().parent().unwrap().join("esc.yaml").exists());
    }

    #[test]
    fn stray_temporary_files_are_cleaned_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(dir.path().join(".lanes-tmp-4194400-0-0"), "half").unwrap();
        Changeset {
            changes: vec![change(&a, Some("a: 1\n"), Some("a: 2\n"))],
        }
        .write_with(&opts(dir.path()))
        .unwrap();
        assert!(temps(dir.path()).is_empty());
    }

    /// A stray staged file of a dead writer (the pid in its name exists on no process).
    const STRAY: &str = ".lanes-tmp-4194400-0-0";

    fn put(p: &Path, text: &str) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// Recovery finds staged files a killed writer left anywhere under the root (not only in
    /// the folders a later write touches), without following links or entering `.git`, and
    /// keeps those a live writer may still need.
    #[cfg(unix)]
    #[test]
    fn recovery_removes_stray_staged_files_anywhere_under_the_root_but_no_live_writers() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let gone = [
            root.join(STRAY),
            root.join("deep/er/.lanes-tmp-4194400-3-1"),
        ];
        for p in &gone {
            put(p, "half");
        }
        let mine = format!(".lanes-tmp-{}-0-0", std::process::id());
        let kept = [
            // The git directory is never part of the tree.
            root.join(".git").join(STRAY),
            // A live writer's (this process).
            root.join("live").join(&mine),
            // Not a name lanes makes.
            root.join(".lanes-tmp-notes"),
            // Below another root's lock, held by a live process: that writer's.
            root.join("other/sub").join(STRAY),
        ];
        for p in &kept {
            put(p, "keep");
        }
        fs::write(
            root.join("other").join(LOCK_FILE),
            format!("{}\n", std::process::id()),
        )
        .unwrap();
        // Links: a link named like a staged file, and a linked folder leading outside.
        let victim = outside.path().join("victim");
        fs::write(&victim, "v").unwrap();
        fs::write(outside.path().join(STRAY), "outside").unwrap();
        std::os::unix::fs::symlink(&victim, root.join(".lanes-tmp-4194400-9-9")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("out")).unwrap();
        // And the half-written copy of a journal, in the state directory.
        fs::write(root.join(format!("{JOURNAL_FILE}.tmp")), "{").unwrap();

        let r = recover_tree(&[root.to_path_buf()], root).unwrap();
        let mut want: Vec<PathBuf> = gone.to_vec();
        want.push(root.join(format!("{JOURNAL_FILE}.tmp")));
        want.sort();
        let mut got = r.removed.clone();
        got.sort();
        assert_eq!(got, want);
        assert_eq!(r.journal, None);
        for p in &gone {
            assert!(!p.exists(), "{}", p.display());
        }
        for p in &kept {
            assert!(p.exists(), "{}", p.display());
        }
        assert!(fs::symlink_metadata(root.join(".lanes-tmp-4194400-9-9")).is_ok());
        assert_eq!(read(&victim), "v");
        assert!(outside.path().join(STRAY).exists());
        assert!(!root.join(LOCK_FILE).exists());
        // Nothing left: nothing is done (and nothing written) the next time.
        assert_eq!(
            recover_tree(&[root.to_path_buf()], root).unwrap(),
            Recovery::default()
        );
    }

    /// While another process holds the lock its staged files may be in use: recovery leaves
    /// them (without waiting or failing) to a later command, and writes nothing.
    #[test]
    fn stray_staged_files_are_left_alone_while_a_live_writer_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        put(&root.join("a").join(STRAY), "half");
        let lock = root.join(LOCK_FILE);
        fs::write(&lock, format!("{}\n", std::process::id())).unwrap();
        assert_eq!(
            recover_tree(&[root.to_path_buf()], root).unwrap(),
            Recovery::default()
        );
        assert!(root.join("a").join(STRAY).exists());
        assert_eq!(read(&lock), format!("{}\n", std::process::id()));
        fs::remove_file(&lock).unwrap();
        assert_eq!(
            recover_tree(&[root.to_path_buf()], root)
                .unwrap()
                .removed
                .len(),
            1
        );
        assert!(!root.join("a").join(STRAY).exists());
    }

    /// A journal that cannot be recovered keeps every staged file: its own, and any other.
    #[test]
    fn a_journal_that_cannot_be_recovered_keeps_every_staged_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let cs = crash_tree(root);
        let mut o = opts(root);
        o.crash_after = Some(2);
        assert!(cs.write_with(&o).is_err());
        fs::write(root.join(LOCK_FILE), DEAD_PID).unwrap();
        // b.yaml (not committed yet) was edited meanwhile: neither old nor new.
        fs::write(root.join("b.yaml"), "b: edited\n").unwrap();
        put(&root.join("x").join(STRAY), "half");
        let staged = temps(root);
        let e = recover_tree(&[root.to_path_buf()], root).unwrap_err();
        assert!(matches!(e, WriteError::Recovery(_)), "{e}");
        assert_eq!(temps(root), staged);
        assert!(root.join(JOURNAL_FILE).exists());
    }

    /// The lock names this host, the pid and when it was taken.
    #[test]
    fn the_lock_records_host_pid_and_start_time() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        let seen = std::cell::RefCell::new(None);
        let hook = |_: usize| {
            let text = fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
            *seen.borrow_mut() = LockInfo::parse(&text);
        };
        let mut o = opts(dir.path());
        o.before_commit = Some(&hook);
        Changeset {
            changes: vec![change(&a, Some("a: 1\n"), Some("a: 2\n"))],
        }
        .write_with(&o)
        .unwrap();
        let info = seen.into_inner().expect("the lock was read");
        assert_eq!(info.pid, std::process::id());
        assert_eq!(info.host.as_deref(), Some(host_name().as_str()));
        let started = info.started.unwrap();
        assert!(unix_now().abs_diff(started) < 600, "{started}");
        // Old pid-only files still read.
        assert_eq!(
            LockInfo::parse("123\n"),
            Some(LockInfo {
                pid: 123,
                host: None,
                started: None
            })
        );
    }

    /// A lock taken on another host (a network drive) is never taken over, even when its pid
    /// exists on no process here: the refusal names the host, the pid, the age and the file to
    /// remove. The same lock of this host is taken over.
    #[test]
    fn a_lock_from_another_host_is_never_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        let lock = dir.path().join(LOCK_FILE);
        let text = format!(
            "4194400\nhost build-7.elsewhere.example\nstarted {}\n",
            unix_now() - 3725
        );
        fs::write(&lock, &text).unwrap();
        let cs = Changeset {
            changes: vec![change(&a, Some("a: 1\n"), Some("a: 2\n"))],
        };
        let e = cs.write_with(&opts(dir.path())).unwrap_err();
        assert!(matches!(e, WriteError::LockedElsewhere { .. }), "{e}");
        let msg = e.to_string();
        for part in [
            "build-7.elsewhere.example",
            "4194400",
            "1h02m",
            &lock.display().to_string(),
            "nothing was written",
        ] {
            assert!(msg.contains(part), "{part}: {msg}");
        }
        assert_eq!(read(&a), "a: 1\n");
        assert_eq!(read(&lock), text);
        // Recovery does not take it over either.
        put(&dir.path().join(STRAY), "half");
        assert_eq!(
            recover_tree(&[dir.path().to_path_buf()], dir.path()).unwrap(),
            Recovery::default()
        );
        assert_eq!(read(&lock), text);
        // This host's dead writer: taken over.
        fs::write(&lock, format!("4194400\nhost {}\nstarted 1\n", host_name())).unwrap();
        cs.write_with(&opts(dir.path())).unwrap();
        assert_eq!(read(&a), "a: 2\n");
        assert!(!lock.exists());
    }

    #[test]
    fn ages_read_as_people_say_them() {
        assert_eq!(format_age(45), "45s");
        assert_eq!(format_age(725), "12m05s");
        assert_eq!(format_age(3725), "1h02m");
        assert_eq!(format_age(2 * 86_400 + 4 * 3600), "2d04h");
    }

    /// The file names in a diff's headers are escaped; its lines stay byte-faithful.
    #[test]
    fn diff_headers_escape_control_characters_and_lines_stay_faithful() {
        let cs = Changeset {
            changes: vec![FileChange {
                path: "x.yaml".into(),
                display: "x\u{1b}]0;pwned\u{7}.yaml".into(),
                before: Some("a: \"\u{1b}[2J\"\r\n".into()),
                after: Some("a: 2\r\n".into()),
            }],
        };
        let d = cs.diff();
        assert!(
            d.starts_with("--- a/x\\x1b]0;pwned\\x07.yaml\n+++ b/x\\x1b]0;pwned\\x07.yaml\n"),
            "{d}"
        );
        assert!(d.contains("-a: \"\u{1b}[2J\"\r\n+a: 2\r\n"), "{d:?}");
    }

    /// A named file sweeps only the folder it is in (outside a repository, `lanes lint
    /// ~/x.yaml` never walks the whole home folder).
    #[test]
    fn a_named_file_sweeps_its_folder_without_subfolders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let a = root.join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        put(&root.join(STRAY), "half");
        put(&root.join("sub").join(STRAY), "half");
        let r = recover_tree(&[a], root).unwrap();
        assert_eq!(r.removed, vec![root.join(STRAY)]);
        assert!(root.join("sub").join(STRAY).exists());
    }
}
