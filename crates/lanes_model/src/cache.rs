//! A persistent parse cache: one file of parse snapshots ([`lanes_yaml::snapshot`]) keyed by a
//! 128-bit hash of each file's text, so that a file whose text has not changed since an earlier
//! run is decoded instead of parsed (about a third of the cost).
//!
//! The cache is an optimisation only. Any problem with it (missing, unreadable, written by
//! another version, truncated by a crash, a damaged record) makes lanes parse as if it were
//! absent; it can never change a result. A hit is exact: the key is a hash of the whole text,
//! every record carries a checksum, and the snapshot decoder checks every offset against the
//! text.
//!
//! The same file records *facts* about a text for other layers (`lanes_lint` records "every
//! document of this text passes the JSON Schemas", so unchanged files skip validation): a fact
//! is a record with an empty payload under the text's key XOR the fact's 128-bit id.
//!
//! Layout: a header (magic, snapshot format, lanes version), then records
//! `[key: u128][len: u32][checksum: u64][snapshot: len bytes]`. New records are appended in one
//! write each; when more than half of the file is records this run did not use, the file is
//! rewritten with only the used ones (temporary file + rename), so it stays about the size of
//! the trees it is used on.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use lanes_yaml::{snapshot, ParsedFile, SourceFile};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

const MAGIC: &[u8; 8] = b"LANESPC\0";
const FILE_NAME: &str = "parse-cache";
const RECORD_HEAD: usize = 16 + 4 + 8;

/// Counters of one run, for `--statistics`-style reporting and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Files decoded from the cache.
    pub hits: usize,
    /// Files parsed (and snapshotted for the next run when clean).
    pub misses: usize,
}

/// The cache of one directory (usually `$GIT_COMMON_DIR/lanes`), or a disabled cache.
pub struct ParseCache {
    dir: Option<PathBuf>,
    data: Vec<u8>,
    /// Whether `data` is this version's header followed by whole records (else the next save
    /// rewrites the file).
    header_ok: bool,
    records: HashMap<u128, Range<usize>>,
    used: Mutex<HashSet<u128>>,
    fresh: Mutex<HashMap<u128, Vec<u8>>>,
    fresh_facts: Mutex<HashSet<u128>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseCache")
            .field("dir", &self.dir)
            .field("records", &self.records.len())
            .finish()
    }
}

fn header() -> Vec<u8> {
    let mut h = MAGIC.to_vec();
    h.extend_from_slice(&snapshot::FORMAT.to_le_bytes());
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    h.push(version.len() as u8);
    h.extend_from_slice(version);
    h
}

impl ParseCache {
    /// A cache that stores nothing: every file is parsed.
    pub fn disabled() -> ParseCache {
        ParseCache {
            dir: None,
            data: Vec::new(),
            header_ok: false,
            records: HashMap::new(),
            used: Mutex::new(HashSet::new()),
            fresh: Mutex::new(HashMap::new()),
            fresh_facts: Mutex::new(HashSet::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// Open the cache kept in `dir` (the directory need not exist yet; it is created on
    /// [`ParseCache::save`]). Never fails: an unusable file counts as empty.
    pub fn open(dir: &Path) -> ParseCache {
        let mut cache = ParseCache::disabled();
        cache.dir = Some(dir.to_path_buf());
        let Ok(data) = std::fs::read(dir.join(FILE_NAME)) else {
            return cache;
        };
        let head = header();
        if !data.starts_with(&head) {
            return cache;
        }
        let mut at = head.len();
        // Records up to the first incomplete one (a write cut short by a crash).
        while let Some(h) = data.get(at..at + RECORD_HEAD) {
            let key = u128::from_le_bytes(h[..16].try_into().unwrap_or_default());
            let len = u32::from_le_bytes(h[16..20].try_into().unwrap_or_default()) as usize;
            let start = at + RECORD_HEAD;
            let Some(end) = start.checked_add(len).filter(|e| *e <= data.len()) else {
                break;
            };
            cache.records.insert(key, at..end);
            at = end;
        }
        // Trailing bytes that are not a whole record: use what is intact, rewrite on save.
        cache.header_ok = at == data.len();
        cache.data = data;
        cache
    }

    /// Whether this cache reads or writes anything.
    pub fn is_enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// Parse a file, or decode it from the cache when its exact text was seen before.
    pub fn parse(&self, source: SourceFile) -> ParsedFile {
        if self.dir.is_none() {
            return lanes_yaml::parse(source);
        }
        let key = xxh3_128(source.text().as_bytes());
        let source = match self.lookup(key) {
            Some(snap) => match snapshot::decode_or_return(source, snap) {
                Ok(parsed) => {
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    lock(&self.used).insert(key);
                    return parsed;
                }
                Err(source) => source,
            },
            None => source,
        };
        self.misses.fetch_add(1, Ordering::Relaxed);
        let parsed = lanes_yaml::parse(source);
        if let Some(snap) = snapshot::encode(&parsed) {
            lock(&self.fresh).insert(key, snap);
        }
        parsed
    }

    /// The snapshot stored under `key`, if its record is intact.
    fn lookup(&self, key: u128) -> Option<&[u8]> {
        let r = self.records.get(&key)?;
        let rec = &self.data[r.clone()];
        let sum = u64::from_le_bytes(rec[20..28].try_into().ok()?);
        let snap = &rec[RECORD_HEAD..];
        (xxh3_64(snap) == sum).then_some(snap)
    }

    /// Whether `fact` was recorded for exactly this text (by this or an earlier run).
    pub fn has_fact(&self, text: &str, fact: u128) -> bool {
        if self.dir.is_none() {
            return false;
        }
        let key = xxh3_128(text.as_bytes()) ^ fact;
        if lock(&self.fresh_facts).contains(&key) {
            return true;
        }
        let intact = self.lookup(key).is_some_and(<[u8]>::is_empty);
        if intact {
            lock(&self.used).insert(key);
        }
        intact
    }

    /// Record `fact` for this text; it is stored by the next [`ParseCache::save`].
    pub fn add_fact(&self, text: &str, fact: u128) {
        if self.dir.is_some() {
            lock(&self.fresh_facts).insert(xxh3_128(text.as_bytes()) ^ fact);
        }
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// Store what this run parsed. Appends the new snapshots, or rewrites the file with only the
    /// records this run used when the file is missing, from another version, or mostly stale.
    /// Errors are returned for the caller to ignore or report; the cache is never required.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let snaps = lock(&self.fresh);
        let facts = lock(&self.fresh_facts);
        let mut fresh: Vec<(u128, &[u8])> = snaps.iter().map(|(k, v)| (*k, v.as_slice())).collect();
        fresh.extend(facts.iter().map(|k| (*k, &[][..])));
        fresh.sort_by_key(|(k, _)| *k);
        fresh.dedup_by_key(|(k, _)| *k);
        let used = lock(&self.used);
        let live: usize = used
            .iter()
            .filter_map(|k| self.records.get(k))
            .map(|r| r.len())
            .sum::<usize>()
            + fresh
                .iter()
                .map(|(_, s)| s.len() + RECORD_HEAD)
                .sum::<usize>();
        let rewrite = !self.header_ok || self.data.len() > 2 * live + (1 << 20);
        if fresh.is_empty() && !rewrite {
            return Ok(());
        }
        std::fs::create_dir_all(dir)?;
        let path = dir.join(FILE_NAME);
        let mut out = Vec::new();
        if rewrite {
            out.extend_from_slice(&header());
            let mut keys: Vec<&u128> = used
                .iter()
                .filter(|k| fresh.binary_search_by_key(*k, |(f, _)| *f).is_err())
                .collect();
            keys.sort();
            for k in keys {
                if let Some(r) = self.records.get(k) {
                    out.extend_from_slice(&self.data[r.clone()]);
                }
            }
        }
        for (k, snap) in &fresh {
            let Ok(len) = u32::try_from(snap.len()) else {
                continue;
            };
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&xxh3_64(snap).to_le_bytes());
            out.extend_from_slice(snap);
        }
        if rewrite {
            let tmp = dir.join(format!("{FILE_NAME}.{}.tmp", std::process::id()));
            let written = std::fs::write(&tmp, &out).and_then(|()| std::fs::rename(&tmp, &path));
            if written.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            written
        } else {
            // One write per run: concurrent runs append whole batches; a batch cut short by a
            // crash is dropped by the next open.
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)?
                .write_all(&out)
        }
    }
}

/// A 128-bit fact id for [`ParseCache::has_fact`], derived from a description of the fact and
/// of everything its truth depends on (versions, rule inputs).
pub fn fact_id(description: &str) -> u128 {
    xxh3_128(description.as_bytes())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
