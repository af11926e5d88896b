//! ASM versions and the upgrade paths between them.
//!
//! # Versions
//!
//! An ASM version is `<major>.<minor>.<patch>.<asm-patch>[-<sequence>-aliyun]` with an optional
//! leading `v`: `1.16.4.93`, `v1.18.0.158-gc6cf0b9c-aliyun`. Versions are ordered by the four
//! numbers; the build sequence is kept for display but does not order or distinguish releases.
//!
//! # Rules (from ASM's upgrade guide)
//!
//! * **Hot update**: only the asm-patch number changes (`1.18.0.158` → `1.18.0.160`). ASM applies
//!   it automatically (data-plane gateways and sidecars keep their version); it is the only
//!   method offered. A direct in-place hop is also allowed by [`check_direct`] (ASM recommends
//!   in place rather than canary for such changes); a canary hop is not.
//! * **In place**: goes only to the next minor version (`1.17` → `1.18`), or to a newer patch of
//!   the same minor (`1.18.0` → `1.18.2`). It cannot be rolled back. Longer jumps go one minor at
//!   a time.
//! * **Canary**: needs the Enterprise or Ultimate edition, and the source version must be
//!   `1.16.4.91` or later. It can be rolled back, and also covers a newer patch of the same
//!   minor. How far one canary hop may go is where ASM's two guides differ ([`CanaryReach`]):
//!   the canary-upgrade guide says "from version 1.22, you can upgrade to version 1.23 but not
//!   directly to version 1.24" (next minor only, [`CanaryReach::NextMinor`], the default: it
//!   never plans a hop the console refuses, and at worst costs one extra hop); the
//!   instance-upgrade guide's path table lists `1.16.4.93` → `1.18.0.158` as "canary release
//!   only", one minor skipped ([`CanaryReach::SkipOneMinor`], `[mesh] canary-skip-minor = true`).
//!   Whenever the readings would plan differently, the report says so in a note.
//! * Downgrades, major version changes and "upgrades" to the same version are refused.
//!
//! # Paths
//!
//! [`upgrade_paths`] lists each available method with its **shortest** path. Intermediate
//! versions are written `1.17.x` (any release of that minor). When the source is older than
//! `1.16.4.91` but older than 1.16 too, the canary method starts with in-place steps up to
//! `1.16.x (≥1.16.4.91)`: a 1.16 release at or after the canary minimum, from which canary
//! steps continue. Each [`Step`] says how it is taken; a method can be rolled back only if all
//! its steps can. A source on 1.16 itself but below `1.16.4.91` gets no canary method: it
//! reaches the minimum by a hot update or patch upgrade first (the report says so in a note).
//! With [`CanaryReach::SkipOneMinor`], among canary paths of equal length the skips come first
//! (`1.16` → `1.18.x` → `1.19`). Methods are listed shortest first; at equal length, the one that
//! can be rolled back first.
//!
//! The table is the instance-upgrade guide's reading ([`CanaryReach::SkipOneMinor`]); with the
//! default [`CanaryReach::NextMinor`] each canary path goes one minor per hop instead (row 1:
//! canary 1.17.x, 1.18.0.158), and the report notes that the guides differ.
//!
//! | # | from | to | edition | methods (steps) |
//! |---|------|----|---------|-----------------|
//! | 1 | 1.16.4.93 | 1.18.0.158 | enterprise | canary (1.18.0.158); in-place (1.17.x, 1.18.0.158) |
//! | 2 | 1.17.2.42 | 1.18.0.158 | enterprise | canary (1.18.0.158); in-place (1.18.0.158) |
//! | 3 | 1.15.3.25 | 1.18.0.158 | enterprise | canary (in-place 1.16.x (≥1.16.4.91), canary 1.18.0.158); in-place (1.16.x, 1.17.x, 1.18.0.158) |
//! | 4 | 1.16.4.93 | 1.18.0.158 | standard | in-place (1.17.x, 1.18.0.158); note: canary needs Enterprise or Ultimate |
//! | 5 | 1.16.4.90 | 1.18.0.158 | enterprise | in-place (1.17.x, 1.18.0.158); note: canary needs 1.16.4.91 or later |
//! | 6 | 1.16.4.91 | 1.18.0.158 | ultimate | canary (1.18.0.158); in-place (1.17.x, 1.18.0.158) |
//! | 7 | 1.16.4.93 | 1.19.2.10 | enterprise | canary (1.18.x, 1.19.2.10); in-place (1.17.x, 1.18.x, 1.19.2.10) |
//! | 8 | 1.18.0.158 | 1.18.0.160 | standard | hot update (1.18.0.160) |
//! | 9 | 1.18.0.158 | 1.18.2.20 | enterprise | canary (1.18.2.20); in-place (1.18.2.20) |
//! | 10 | 1.18.0.158 | 1.18.2.20 | standard | in-place (1.18.2.20) |
//! | 11 | 1.18.0.158 | 1.17.2.42 | enterprise | refused: downgrade |
//! | 12 | 1.18.0.158 | 2.0.0.1 | enterprise | refused: major version change |
//! | 13 | 1.18.0.158 | v1.18.0.158-gc6cf0b9c-aliyun | enterprise | refused: same version |
//! | 14 | 1.15.3.25 | 1.16.4.93 | ultimate | in-place (1.16.4.93); note: canary cannot reach it |
//! | 15 | 1.14.1.10 | 1.19.0.5 | enterprise | canary (in-place 1.15.x, in-place 1.16.x (≥1.16.4.91), canary 1.18.x, canary 1.19.0.5); in-place (1.15.x … 1.19.0.5, 5 steps) |
//! | 16 | 1.16.4.90 | 1.16.4.95 | enterprise | hot update (1.16.4.95) |
//! | 17 | 1.17.0.5 | 1.20.1.1 | enterprise | canary (1.19.x, 1.20.1.1); in-place (1.18.x, 1.19.x, 1.20.1.1) |
//!
//! Malformed versions (`1.18`, `1.18.0.x`, `1.18.0.158-foo`, empty) are refused by
//! [`AsmVersion::parse`] before any path is computed. Single hops can be checked with
//! [`check_hop`] (for example a canary `1.16` → `1.19` is refused in either reading, and
//! `1.22` → `1.24` by the canary-upgrade guide's).

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;

/// What an ASM version looks like, for error messages.
pub const VERSION_SHAPE: &str =
    "<major>.<minor>.<patch>.<asm-patch>[-<sequence>-aliyun], such as 1.18.0.158 or v1.18.0.158-gc6cf0b9c-aliyun";

/// An ASM version.
#[derive(Debug, Clone)]
pub struct AsmVersion {
    /// Major version (1).
    pub major: u32,
    /// Minor version (18 in 1.18.0.158).
    pub minor: u32,
    /// Istio patch version (0 in 1.18.0.158).
    pub patch: u32,
    /// ASM patch number (158 in 1.18.0.158).
    pub asm_patch: u32,
    /// Build sequence (`gc6cf0b9c` in `1.18.0.158-gc6cf0b9c-aliyun`), if given.
    pub sequence: Option<String>,
}

/// The oldest version a canary upgrade may start from.
pub const CANARY_MINIMUM: AsmVersion = AsmVersion {
    major: 1,
    minor: 16,
    patch: 4,
    asm_patch: 91,
    sequence: None,
};

/// A malformed version string.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid ASM version `{input}`: {problem}; expected {VERSION_SHAPE}")]
pub struct VersionError {
    /// The text given.
    pub input: String,
    /// What is wrong with it.
    pub problem: String,
}

impl AsmVersion {
    /// Create a version without a build sequence.
    pub fn new(major: u32, minor: u32, patch: u32, asm_patch: u32) -> Self {
        AsmVersion {
            major,
            minor,
            patch,
            asm_patch,
            sequence: None,
        }
    }

    /// Parse `<major>.<minor>.<patch>.<asm-patch>[-<sequence>-aliyun]`, with an optional
    /// leading `v` and surrounding spaces.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let err = |problem: String| VersionError {
            input: s.to_string(),
            problem,
        };
        let text = s.trim();
        if text.is_empty() {
            return Err(err("it is empty".to_string()));
        }
        let text = text.strip_prefix('v').unwrap_or(text);
        let (numbers, suffix) = match text.split_once('-') {
            Some((n, rest)) => (n, Some(rest)),
            None => (text, None),
        };
        let parts: Vec<&str> = numbers.split('.').collect();
        if parts.len() != 4 {
            return Err(err(format!(
                "found {} dot-separated number{} instead of 4",
                parts.len(),
                if parts.len() == 1 { "" } else { "s" }
            )));
        }
        let mut nums = [0u32; 4];
        for (slot, part) in nums.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(format!("`{part}` is not a number")));
            }
            *slot = part
                .parse()
                .map_err(|_| err(format!("`{part}` is too large")))?;
        }
        let sequence = match suffix {
            None => None,
            Some(rest) => {
                let seq = rest.strip_suffix("-aliyun").unwrap_or("");
                let ok = !seq.is_empty()
                    && seq
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
                if !ok {
                    return Err(err(format!(
                        "the suffix `-{rest}` is not -<sequence>-aliyun"
                    )));
                }
                Some(seq.to_string())
            }
        };
        Ok(AsmVersion {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            asm_patch: nums[3],
            sequence,
        })
    }

    /// Parse a version that may leave its last parts open, as plans write them: `1.24.x`,
    /// `1.22.6.x`, `1.24` (open parts count as 0 for ordering). Full versions parse as
    /// [`AsmVersion::parse`] does. Returns the version and whether a part was open.
    pub fn parse_open(s: &str) -> Result<(Self, bool), VersionError> {
        let text = s.trim();
        let t = text.strip_prefix('v').unwrap_or(text);
        let parts: Vec<&str> = t.split('.').collect();
        let open = parts.len() < 4 || parts.contains(&"x");
        if !open || t.contains('-') {
            return Self::parse(s).map(|v| (v, false));
        }
        let err = |problem: String| VersionError {
            input: s.to_string(),
            problem,
        };
        if parts.len() < 2 || parts.len() > 4 {
            return Err(err(format!(
                "found {} dot-separated parts; write at least <major>.<minor> (`1.24.x`)",
                parts.len()
            )));
        }
        let mut nums = [0u32; 4];
        let mut seen_x = false;
        for (i, p) in parts.iter().enumerate() {
            if *p == "x" {
                if i < 2 {
                    return Err(err("the major and minor versions cannot be open".into()));
                }
                seen_x = true;
                continue;
            }
            if seen_x {
                return Err(err("only the last parts can be open (`1.22.6.x`)".into()));
            }
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(format!("`{p}` is not a number")));
            }
            nums[i] = p.parse().map_err(|_| err(format!("`{p}` is too large")))?;
        }
        Ok((AsmVersion::new(nums[0], nums[1], nums[2], nums[3]), true))
    }

    fn key(&self) -> (u32, u32, u32, u32) {
        (self.major, self.minor, self.patch, self.asm_patch)
    }

    /// `major.minor`, e.g. `1.18`.
    pub fn minor_line(&self) -> String {
        format!("{}.{}", self.major, self.minor)
    }

    /// Whether a canary upgrade may start from this version (1.16.4.91 or later).
    pub fn canary_eligible(&self) -> bool {
        *self >= CANARY_MINIMUM
    }
}

impl PartialEq for AsmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for AsmVersion {}

impl PartialOrd for AsmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for AsmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for AsmVersion {
    /// `1.18.0.158`, or `1.18.0.158-gc6cf0b9c-aliyun` with a sequence (never a leading `v`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}",
            self.major, self.minor, self.patch, self.asm_patch
        )?;
        if let Some(s) = &self.sequence {
            write!(f, "-{s}-aliyun")?;
        }
        Ok(())
    }
}

impl FromStr for AsmVersion {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AsmVersion::parse(s)
    }
}

impl Serialize for AsmVersion {
    /// Serializes as its display string.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An ASM edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Standard edition (no canary upgrades).
    Standard,
    /// Enterprise edition (formerly Professional).
    Enterprise,
    /// Ultimate edition.
    Ultimate,
}

impl Edition {
    /// Whether canary upgrades are available in this edition.
    pub fn allows_canary(self) -> bool {
        matches!(self, Edition::Enterprise | Edition::Ultimate)
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Edition::Standard => "standard",
            Edition::Enterprise => "enterprise",
            Edition::Ultimate => "ultimate",
        })
    }
}

/// An unknown edition name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown ASM edition `{0}`: expected standard, enterprise or ultimate")]
pub struct EditionError(pub String);

impl FromStr for Edition {
    type Err = EditionError;

    /// Case-insensitive; `professional`/`pro` (the Enterprise edition's former name) are
    /// accepted as Enterprise.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "standard" => Ok(Edition::Standard),
            "enterprise" | "professional" | "pro" => Ok(Edition::Enterprise),
            "ultimate" => Ok(Edition::Ultimate),
            _ => Err(EditionError(s.to_string())),
        }
    }
}

/// How an upgrade step is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    /// In-place upgrade of the control plane.
    InPlace,
    /// Canary upgrade (old and new control planes side by side).
    Canary,
    /// Hot update, applied automatically.
    HotUpdate,
}

impl MethodKind {
    /// Whether a step of this kind can be rolled back.
    pub fn can_roll_back(self) -> bool {
        matches!(self, MethodKind::Canary)
    }
}

impl fmt::Display for MethodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MethodKind::InPlace => "in-place",
            MethodKind::Canary => "canary",
            MethodKind::HotUpdate => "hot update",
        })
    }
}

/// How far one canary hop may go: the two ASM guides disagree (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CanaryReach {
    /// The canary-upgrade guide: to the next minor version only ("from version 1.22, you can
    /// upgrade to version 1.23 but not directly to version 1.24"). The default.
    #[default]
    NextMinor,
    /// The instance-upgrade guide's path table: one minor version may be skipped
    /// (`1.16.4.93` → `1.18.0.158`, "canary release only").
    SkipOneMinor,
}

impl CanaryReach {
    /// The largest minor-version distance of one canary hop.
    pub fn max_minor_step(self) -> u32 {
        match self {
            CanaryReach::NextMinor => 1,
            CanaryReach::SkipOneMinor => 2,
        }
    }
}

/// The note a report carries when the guides' readings plan differently.
pub fn guides_differ_note(reach: CanaryReach) -> String {
    match reach {
        CanaryReach::NextMinor => "the ASM guides differ on canary skips: the canary-upgrade guide says \"from version 1.22, you can upgrade to version 1.23 but not directly to version 1.24\" (one minor per canary hop, planned here), while the instance-upgrade guide's path table lists 1.16.4.93 -> 1.18.0.158 as \"canary release only\" (one minor skipped); set `[mesh] canary-skip-minor = true` in lanes.toml to plan with the looser reading".to_string(),
        CanaryReach::SkipOneMinor => "the ASM guides differ on canary skips: planned with the instance-upgrade guide's path table (one minor may be skipped, `[mesh] canary-skip-minor = true`), but the canary-upgrade guide says \"from version 1.22, you can upgrade to version 1.23 but not directly to version 1.24\", so the console may refuse a skipping hop".to_string(),
    }
}

/// The oldest ASM version whose gateways support a canary deployment
/// (`asm.alibabacloud.com/enable-canary-deployment`): the gateway-canary guide's prerequisite.
pub const GATEWAY_CANARY_MINIMUM: AsmVersion = AsmVersion {
    major: 1,
    minor: 20,
    patch: 0,
    asm_patch: 0,
    sequence: None,
};

/// The state of a control-plane canary upgrade, as `lanes.toml` `[mesh] canary` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CanaryState {
    /// Both control planes run; namespaces may use `istio.io/rev: canary`.
    Running,
    /// The canary was promoted: ASM rewrote `canary` to `stable` in the cluster.
    Promoted,
    /// The old revision was unpublished (removed) after promotion.
    Unpublished,
}

impl FromStr for CanaryState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "running" => Ok(CanaryState::Running),
            "promoted" => Ok(CanaryState::Promoted),
            "unpublished" => Ok(CanaryState::Unpublished),
            _ => Err(format!(
                "unknown canary state \"{s}\"; expected \"running\", \"promoted\" or \"unpublished\""
            )),
        }
    }
}

impl fmt::Display for CanaryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CanaryState::Running => "running",
            CanaryState::Promoted => "promoted",
            CanaryState::Unpublished => "unpublished",
        })
    }
}

/// The revision name of a version as `istio.io/rev` writes it: `1.23.6.20` -> `1-23-6`.
pub fn revision_name(v: &AsmVersion) -> String {
    format!("{}-{}-{}", v.major, v.minor, v.patch)
}

/// Whether an `istio.io/rev` value has the shape of a revision name (`1-23-6`, `1-18-0-158`).
pub fn is_revision_name(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A revision name as a version, for ordering: `1-23-6` -> 1.23.6.0, `1-18-0-158` ->
/// 1.18.0.158. `None` for tags and malformed names.
pub fn revision_version(r: &str) -> Option<AsmVersion> {
    if !is_revision_name(r) {
        return None;
    }
    let n: Vec<u32> = r
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<Vec<u32>>>()?;
    Some(AsmVersion::new(
        n[0],
        n[1],
        n[2],
        n.get(3).copied().unwrap_or(0),
    ))
}

/// One step of an upgrade path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The version the step lands on: the target version, or an intermediate such as `1.17.x`.
    pub to: String,
    /// How the step is taken.
    pub kind: MethodKind,
    /// Whether the step can be rolled back.
    pub rollback: bool,
}

/// One way to upgrade, with its shortest path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Method {
    /// The method (a canary method may start with in-place steps; see the module docs).
    pub kind: MethodKind,
    /// The steps, in order; the last lands on the target version.
    pub steps: Vec<Step>,
    /// Whether every step can be rolled back.
    pub rollback: bool,
    /// Remarks on this method.
    pub notes: Vec<String>,
}

/// The upgrade methods from one version to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradeReport {
    /// The current version.
    pub from: AsmVersion,
    /// The wanted version.
    pub to: AsmVersion,
    /// The mesh's edition.
    pub edition: Edition,
    /// The available methods, shortest first.
    pub methods: Vec<Method>,
    /// Why no upgrade is possible, if so.
    pub refused: Option<String>,
    /// Remarks on methods that are not available.
    pub notes: Vec<String>,
}

/// Check a single direct hop from `from` to `to` by `kind` in `edition`, with the default
/// (stricter) canary reach; `Err` says why it is not allowed.
pub fn check_direct(
    from: &AsmVersion,
    to: &AsmVersion,
    kind: MethodKind,
    edition: Edition,
) -> Result<(), String> {
    check_hop(from, to, kind, edition, CanaryReach::default())
}

/// [`check_direct`] with an explicit canary reach.
pub fn check_hop(
    from: &AsmVersion,
    to: &AsmVersion,
    kind: MethodKind,
    edition: Edition,
    reach: CanaryReach,
) -> Result<(), String> {
    if let Some(reason) = refusal(from, to) {
        return Err(reason);
    }
    let same_release = (from.major, from.minor, from.patch) == (to.major, to.minor, to.patch);
    match kind {
        MethodKind::HotUpdate => {
            if same_release {
                Ok(())
            } else {
                Err(format!(
                    "a hot update only changes the asm-patch number; {from} -> {to} changes more"
                ))
            }
        }
        MethodKind::Canary if same_release => Err(format!(
            "{from} -> {to} only changes the asm-patch number: ASM applies that as a hot update, and recommends in place rather than canary for it"
        )),
        MethodKind::InPlace => {
            if to.minor - from.minor <= 1 {
                Ok(())
            } else {
                Err(format!(
                    "an in-place upgrade goes only to the next minor version ({} -> {}.{}), not to {}",
                    from.minor_line(),
                    from.major,
                    from.minor + 1,
                    to.minor_line()
                ))
            }
        }
        MethodKind::Canary => {
            if !edition.allows_canary() {
                Err(format!(
                    "canary upgrades need the Enterprise or Ultimate edition, not {edition}"
                ))
            } else if !from.canary_eligible() {
                Err(format!(
                    "canary upgrades need a source version of {CANARY_MINIMUM} or later; {from} is older"
                ))
            } else if to.minor - from.minor > reach.max_minor_step() {
                Err(match reach {
                    CanaryReach::SkipOneMinor => format!(
                        "a canary upgrade may skip at most one minor version ({} -> {}.{}), not {} -> {}",
                        from.minor_line(),
                        from.major,
                        from.minor + 2,
                        from.minor_line(),
                        to.minor_line()
                    ),
                    CanaryReach::NextMinor => format!(
                        "the canary-upgrade guide allows a canary upgrade only to the next minor version ({} -> {}.{}), not {} -> {} (\"from version 1.22, you can upgrade to version 1.23 but not directly to version 1.24\"); the instance-upgrade guide's table allows one skipped minor, which `[mesh] canary-skip-minor = true` selects",
                        from.minor_line(),
                        from.major,
                        from.minor + 1,
                        from.minor_line(),
                        to.minor_line()
                    ),
                })
            } else {
                Ok(())
            }
        }
    }
}

/// Why `from` -> `to` is refused outright, if it is.
fn refusal(from: &AsmVersion, to: &AsmVersion) -> Option<String> {
    if from.major != to.major {
        return Some(format!(
            "major version changes ({} -> {}) are not supported",
            from.major, to.major
        ));
    }
    match to.cmp(from) {
        Ordering::Less => Some(format!(
            "downgrades are not supported: {to} is older than {from}"
        )),
        Ordering::Equal => Some(format!("{to} is already the current version")),
        Ordering::Greater => None,
    }
}

fn any_of(major: u32, minor: u32) -> String {
    if major == CANARY_MINIMUM.major && minor == CANARY_MINIMUM.minor {
        format!("{major}.{minor}.x (≥{CANARY_MINIMUM})")
    } else {
        format!("{major}.{minor}.x")
    }
}

fn step(to: String, kind: MethodKind) -> Step {
    Step {
        to,
        kind,
        rollback: kind.can_roll_back(),
    }
}

/// Canary steps from minor `from_minor` (already canary-eligible) to `to`, skips first.
fn canary_hops(from_minor: u32, to: &AsmVersion, reach: CanaryReach) -> Vec<Step> {
    let mut out = Vec::new();
    let mut m = from_minor;
    let stride = reach.max_minor_step();
    while to.minor - m > stride {
        m += stride;
        out.push(step(format!("{}.{}.x", to.major, m), MethodKind::Canary));
    }
    out.push(step(to.to_string(), MethodKind::Canary));
    out
}

fn method(kind: MethodKind, steps: Vec<Step>, notes: Vec<String>) -> Method {
    let rollback = steps.iter().all(|s| s.rollback);
    Method {
        kind,
        steps,
        rollback,
        notes,
    }
}

/// The available upgrade methods from `from` to `to` in `edition`, each with its shortest
/// path (see the module docs for the rules and the path table), with the default (stricter)
/// canary reach.
pub fn upgrade_paths(from: &AsmVersion, to: &AsmVersion, edition: Edition) -> UpgradeReport {
    upgrade_paths_reach(from, to, edition, CanaryReach::default())
}

/// [`upgrade_paths`] with an explicit canary reach.
pub fn upgrade_paths_reach(
    from: &AsmVersion,
    to: &AsmVersion,
    edition: Edition,
    reach: CanaryReach,
) -> UpgradeReport {
    let mut report = UpgradeReport {
        from: from.clone(),
        to: to.clone(),
        edition,
        methods: Vec::new(),
        refused: refusal(from, to),
        notes: Vec::new(),
    };
    if report.refused.is_some() {
        return report;
    }
    if (from.major, from.minor, from.patch) == (to.major, to.minor, to.patch) {
        report.methods.push(method(
            MethodKind::HotUpdate,
            vec![step(to.to_string(), MethodKind::HotUpdate)],
            vec![
                "only the asm-patch number changes: ASM applies this hot update automatically; \
                 data-plane gateways and sidecars keep their version"
                    .to_string(),
                "to apply it before ASM does, upgrade in place (ASM recommends in place rather \
                 than canary when only the asm-patch changes)"
                    .to_string(),
            ],
        ));
        return report;
    }

    // In place: one minor at a time.
    let mut in_place = Vec::new();
    for m in from.minor + 1..to.minor {
        in_place.push(step(format!("{}.{m}.x", to.major), MethodKind::InPlace));
    }
    in_place.push(step(to.to_string(), MethodKind::InPlace));
    report.methods.push(method(
        MethodKind::InPlace,
        in_place,
        vec![
            "in-place upgrades go one minor version at a time and cannot be rolled back"
                .to_string(),
        ],
    ));

    // Canary.
    let canary_note = match reach {
        CanaryReach::SkipOneMinor => {
            "a canary upgrade may skip at most one minor version and can be rolled back"
        }
        CanaryReach::NextMinor => {
            "a canary upgrade goes one minor version at a time and can be rolled back"
        }
    }
    .to_string();
    // The readings differ when a canary path would cross two or more minors.
    let canary_start = from.minor.max(CANARY_MINIMUM.minor);
    let differ = edition.allows_canary()
        && to.minor >= canary_start + 2
        && (from.canary_eligible() || from.minor < CANARY_MINIMUM.minor);
    if !edition.allows_canary() {
        report.notes.push(format!(
            "no canary upgrade: it needs the Enterprise or Ultimate edition, not {edition}"
        ));
    } else if from.canary_eligible() {
        report.methods.push(method(
            MethodKind::Canary,
            canary_hops(from.minor, to, reach),
            vec![canary_note],
        ));
    } else if from.major == CANARY_MINIMUM.major
        && from.minor < CANARY_MINIMUM.minor
        && to.minor > CANARY_MINIMUM.minor
    {
        let mut steps = Vec::new();
        for m in from.minor + 1..=CANARY_MINIMUM.minor {
            let to_label = if m == CANARY_MINIMUM.minor {
                any_of(from.major, m)
            } else {
                format!("{}.{m}.x", from.major)
            };
            steps.push(step(to_label, MethodKind::InPlace));
        }
        let prefix = steps.len();
        steps.extend(canary_hops(CANARY_MINIMUM.minor, to, reach));
        report.methods.push(method(
            MethodKind::Canary,
            steps,
            vec![
                format!(
                    "canary upgrades need a source version of {CANARY_MINIMUM} or later, so the first {} in place (cannot be rolled back) and must land on {CANARY_MINIMUM} or later",
                    if prefix == 1 { "step is".to_string() } else { format!("{prefix} steps are") }
                ),
                canary_note,
            ],
        ));
    } else if from.major == CANARY_MINIMUM.major && from.minor == CANARY_MINIMUM.minor {
        report.notes.push(format!(
            "no canary upgrade yet: it needs a source version of {CANARY_MINIMUM} or later and {from} is older; \
             once this mesh is on {CANARY_MINIMUM} or later (a hot update or an in-place patch upgrade), a canary upgrade to {to} is possible"
        ));
    } else {
        report.notes.push(format!(
            "no canary upgrade: it needs a source version of {CANARY_MINIMUM} or later, and {to} cannot be reached by canary from {from}"
        ));
    }

    if differ && report.methods.iter().any(|m| m.kind == MethodKind::Canary) {
        report.notes.push(guides_differ_note(reach));
    }
    report.methods.sort_by_key(|m| (m.steps.len(), !m.rollback));
    report
}

/// Parse both versions and call [`upgrade_paths`].
pub fn upgrade_paths_str(
    from: &str,
    to: &str,
    edition: Edition,
) -> Result<UpgradeReport, VersionError> {
    Ok(upgrade_paths(
        &AsmVersion::parse(from)?,
        &AsmVersion::parse(to)?,
        edition,
    ))
}

/// Parse both versions and call [`upgrade_paths_reach`].
pub fn upgrade_paths_str_reach(
    from: &str,
    to: &str,
    edition: Edition,
    reach: CanaryReach,
) -> Result<UpgradeReport, VersionError> {
    Ok(upgrade_paths_reach(
        &AsmVersion::parse(from)?,
        &AsmVersion::parse(to)?,
        edition,
        reach,
    ))
}

/// Render a report as text, for example:
///
/// ```text
/// ASM upgrade 1.16.4.93 -> 1.18.0.158 (enterprise edition)
/// canary: 1 step, can be rolled back
///   1. canary to 1.18.0.158
///   note: a canary upgrade may skip at most one minor version and can be rolled back
/// in-place: 2 steps, cannot be rolled back
///   1. in-place to 1.17.x
///   2. in-place to 1.18.0.158
///   note: in-place upgrades go one minor version at a time and cannot be rolled back
/// ```
pub fn render_text(report: &UpgradeReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ASM upgrade {} -> {} ({} edition)",
        report.from, report.to, report.edition
    );
    if let Some(r) = &report.refused {
        let _ = writeln!(out, "refused: {r}");
    }
    for m in &report.methods {
        let n = m.steps.len();
        let rb = if m.rollback {
            "can be rolled back"
        } else if m.steps.iter().any(|s| s.rollback) {
            "can be rolled back only in part"
        } else {
            "cannot be rolled back"
        };
        let _ = writeln!(
            out,
            "{}: {n} step{}, {rb}",
            m.kind,
            if n == 1 { "" } else { "s" }
        );
        for (i, s) in m.steps.iter().enumerate() {
            let _ = writeln!(out, "  {}. {} to {}", i + 1, s.kind, s.to);
        }
        for note in &m.notes {
            let _ = writeln!(out, "  note: {note}");
        }
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use MethodKind::*;

    fn v(s: &str) -> AsmVersion {
        AsmVersion::parse(s).unwrap()
    }

    /// The table's reading (the instance-upgrade guide's).
    fn report(from: &str, to: &str, edition: Edition) -> UpgradeReport {
        upgrade_paths_str_reach(from, to, edition, CanaryReach::SkipOneMinor).unwrap()
    }

    fn strict(from: &str, to: &str, edition: Edition) -> UpgradeReport {
        upgrade_paths_str(from, to, edition).unwrap()
    }

    /// Each method as (kind, [(step kind, step target)]).
    fn shape(r: &UpgradeReport) -> Vec<(MethodKind, Vec<(MethodKind, &str)>)> {
        r.methods
            .iter()
            .map(|m| {
                (
                    m.kind,
                    m.steps.iter().map(|s| (s.kind, s.to.as_str())).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn parse_versions() {
        let a = v("v1.18.0.158-gc6cf0b9c-aliyun");
        assert_eq!((a.major, a.minor, a.patch, a.asm_patch), (1, 18, 0, 158));
        assert_eq!(a.sequence.as_deref(), Some("gc6cf0b9c"));
        assert_eq!(a.to_string(), "1.18.0.158-gc6cf0b9c-aliyun");
        let b = v("1.16.4.93");
        assert_eq!(b.sequence, None);
        assert_eq!(b.to_string(), "1.16.4.93");
        assert_eq!(v(" 1.16.4.93 "), b);
        assert_eq!(a, v("1.18.0.158"));
        assert!(v("1.16.4.91") < v("1.16.4.100"));
        assert!(v("1.9.0.1") < v("1.10.0.0"));
        assert_eq!(
            "1.17.2.42".parse::<AsmVersion>().unwrap(),
            AsmVersion::new(1, 17, 2, 42)
        );
        assert!(v("1.16.4.91").canary_eligible());
        assert!(!v("1.16.4.90").canary_eligible());
        assert_eq!(v("1.18.0.158").minor_line(), "1.18");
    }

    #[test]
    fn malformed_versions() {
        let e = |s: &str| AsmVersion::parse(s).unwrap_err().to_string();
        let shape = VERSION_SHAPE;
        assert_eq!(
            e("1.18"),
            format!("invalid ASM version `1.18`: found 2 dot-separated numbers instead of 4; expected {shape}")
        );
        assert_eq!(
            e("1.18.0.x"),
            format!("invalid ASM version `1.18.0.x`: `x` is not a number; expected {shape}")
        );
        assert_eq!(
            e("1.18.0.158-foo"),
            format!("invalid ASM version `1.18.0.158-foo`: the suffix `-foo` is not -<sequence>-aliyun; expected {shape}")
        );
        assert_eq!(
            e("1.18.0.158--aliyun"),
            format!("invalid ASM version `1.18.0.158--aliyun`: the suffix `--aliyun` is not -<sequence>-aliyun; expected {shape}")
        );
        assert_eq!(
            e(""),
            format!("invalid ASM version ``: it is empty; expected {shape}")
        );
        assert!(e("1.18..158").contains("`` is not a number"));
        assert!(e("1.18.0.99999999999").contains("`99999999999` is too large"));
        assert!(e("vv1.18.0.158").contains("`v1` is not a number"));
        assert!(e("1.18.0.158.1").contains("found 5 dot-separated numbers"));
        assert!(AsmVersion::parse("1.18.0.+1").is_err());
        assert!(upgrade_paths_str("1.18", "1.19.0.1", Edition::Enterprise).is_err());
        assert!(upgrade_paths_str("1.18.0.1", "latest", Edition::Enterprise).is_err());
    }

    #[test]
    fn editions() {
        assert_eq!("standard".parse::<Edition>().unwrap(), Edition::Standard);
        assert_eq!(
            "Enterprise".parse::<Edition>().unwrap(),
            Edition::Enterprise
        );
        assert_eq!(
            "professional".parse::<Edition>().unwrap(),
            Edition::Enterprise
        );
        assert_eq!("ULTIMATE".parse::<Edition>().unwrap(), Edition::Ultimate);
        assert_eq!(
            "gold".parse::<Edition>().unwrap_err().to_string(),
            "unknown ASM edition `gold`: expected standard, enterprise or ultimate"
        );
        assert!(!Edition::Standard.allows_canary());
        assert!(Edition::Ultimate.allows_canary());
        assert_eq!(Edition::Ultimate.to_string(), "ultimate");
    }

    // One test per row of the path table in the module docs.

    #[test]
    fn row01_skip_one_minor_enterprise() {
        let r = report("1.16.4.93", "1.18.0.158", Edition::Enterprise);
        assert_eq!(r.refused, None);
        assert_eq!(
            shape(&r),
            vec![
                (Canary, vec![(Canary, "1.18.0.158")]),
                (InPlace, vec![(InPlace, "1.17.x"), (InPlace, "1.18.0.158")]),
            ]
        );
        assert!(r.methods[0].rollback);
        assert!(!r.methods[1].rollback);
    }

    #[test]
    fn row02_adjacent_minor() {
        let r = report("1.17.2.42", "1.18.0.158", Edition::Enterprise);
        assert_eq!(
            shape(&r),
            vec![
                (Canary, vec![(Canary, "1.18.0.158")]),
                (InPlace, vec![(InPlace, "1.18.0.158")]),
            ]
        );
    }

    #[test]
    fn row03_from_below_canary_minimum_minor() {
        let r = report("1.15.3.25", "1.18.0.158", Edition::Enterprise);
        assert_eq!(
            shape(&r),
            vec![
                (
                    Canary,
                    vec![(InPlace, "1.16.x (≥1.16.4.91)"), (Canary, "1.18.0.158")]
                ),
                (
                    InPlace,
                    vec![
                        (InPlace, "1.16.x"),
                        (InPlace, "1.17.x"),
                        (InPlace, "1.18.0.158")
                    ]
                ),
            ]
        );
        assert!(!r.methods[0].rollback);
        assert!(r.methods[0].steps[1].rollback);
        assert!(r.methods[0].notes[0].contains("the first step is in place"));
    }

    #[test]
    fn row04_standard_has_no_canary() {
        let r = report("1.16.4.93", "1.18.0.158", Edition::Standard);
        assert_eq!(
            shape(&r),
            vec![(InPlace, vec![(InPlace, "1.17.x"), (InPlace, "1.18.0.158")])]
        );
        assert_eq!(
            r.notes,
            vec!["no canary upgrade: it needs the Enterprise or Ultimate edition, not standard"]
        );
    }

    #[test]
    fn row05_below_canary_minimum_on_1_16() {
        let r = report("1.16.4.90", "1.18.0.158", Edition::Enterprise);
        assert_eq!(
            shape(&r),
            vec![(InPlace, vec![(InPlace, "1.17.x"), (InPlace, "1.18.0.158")])]
        );
        assert_eq!(r.notes.len(), 1);
        assert!(r.notes[0].contains("needs a source version of 1.16.4.91 or later"));
    }

    #[test]
    fn row06_exactly_canary_minimum() {
        let r = report("1.16.4.91", "1.18.0.158", Edition::Ultimate);
        assert_eq!(shape(&r)[0], (Canary, vec![(Canary, "1.18.0.158")]));
        assert_eq!(r.methods.len(), 2);
    }

    #[test]
    fn row07_two_minor_skip_needs_two_canary_steps() {
        let r = report("1.16.4.93", "1.19.2.10", Edition::Enterprise);
        assert_eq!(
            shape(&r),
            vec![
                (Canary, vec![(Canary, "1.18.x"), (Canary, "1.19.2.10")]),
                (
                    InPlace,
                    vec![
                        (InPlace, "1.17.x"),
                        (InPlace, "1.18.x"),
                        (InPlace, "1.19.2.10")
                    ]
                ),
            ]
        );
        let e = check_hop(
            &v("1.16.4.93"),
            &v("1.19.2.10"),
            Canary,
            Edition::Enterprise,
            CanaryReach::SkipOneMinor,
        );
        assert_eq!(
            e.unwrap_err(),
            "a canary upgrade may skip at most one minor version (1.16 -> 1.18), not 1.16 -> 1.19"
        );
    }

    #[test]
    fn row08_hot_update() {
        let r = report("1.18.0.158", "1.18.0.160", Edition::Standard);
        assert_eq!(
            shape(&r),
            vec![(HotUpdate, vec![(HotUpdate, "1.18.0.160")])]
        );
        assert!(!r.methods[0].rollback);
        assert!(r.methods[0].notes[0].contains("automatically"));
        assert!(r.methods[0].notes[1].contains("upgrade in place"));
    }

    #[test]
    fn row09_patch_upgrade_enterprise() {
        let r = report("1.18.0.158", "1.18.2.20", Edition::Enterprise);
        assert_eq!(
            shape(&r),
            vec![
                (Canary, vec![(Canary, "1.18.2.20")]),
                (InPlace, vec![(InPlace, "1.18.2.20")]),
            ]
        );
    }

    #[test]
    fn row10_patch_upgrade_standard() {
        let r = report("1.18.0.158", "1.18.2.20", Edition::Standard);
        assert_eq!(shape(&r), vec![(InPlace, vec![(InPlace, "1.18.2.20")])]);
    }

    #[test]
    fn row11_downgrade_refused() {
        let r = report("1.18.0.158", "1.17.2.42", Edition::Enterprise);
        assert!(r.methods.is_empty());
        assert_eq!(
            r.refused.as_deref(),
            Some("downgrades are not supported: 1.17.2.42 is older than 1.18.0.158")
        );
        let r = report("1.18.0.158", "1.18.0.157", Edition::Enterprise);
        assert!(r
            .refused
            .unwrap()
            .starts_with("downgrades are not supported"));
    }

    #[test]
    fn row12_major_change_refused() {
        let r = report("1.18.0.158", "2.0.0.1", Edition::Enterprise);
        assert!(r.methods.is_empty());
        assert_eq!(
            r.refused.as_deref(),
            Some("major version changes (1 -> 2) are not supported")
        );
    }

    #[test]
    fn row13_same_version_refused() {
        let r = report(
            "1.18.0.158",
            "v1.18.0.158-gc6cf0b9c-aliyun",
            Edition::Enterprise,
        );
        assert!(r.methods.is_empty());
        assert_eq!(
            r.refused.as_deref(),
            Some("1.18.0.158-gc6cf0b9c-aliyun is already the current version")
        );
    }

    #[test]
    fn row14_canary_cannot_reach_1_16_from_older() {
        let r = report("1.15.3.25", "1.16.4.93", Edition::Ultimate);
        assert_eq!(shape(&r), vec![(InPlace, vec![(InPlace, "1.16.4.93")])]);
        assert_eq!(r.notes.len(), 1);
        assert!(r.notes[0].contains("cannot be reached by canary"));
    }

    #[test]
    fn row15_long_mixed_path() {
        let r = report("1.14.1.10", "1.19.0.5", Edition::Enterprise);
        assert_eq!(
            shape(&r),
            vec![
                (
                    Canary,
                    vec![
                        (InPlace, "1.15.x"),
                        (InPlace, "1.16.x (≥1.16.4.91)"),
                        (Canary, "1.18.x"),
                        (Canary, "1.19.0.5")
                    ]
                ),
                (
                    InPlace,
                    vec![
                        (InPlace, "1.15.x"),
                        (InPlace, "1.16.x"),
                        (InPlace, "1.17.x"),
                        (InPlace, "1.18.x"),
                        (InPlace, "1.19.0.5")
                    ]
                ),
            ]
        );
        assert!(r.methods[0].notes[0].contains("the first 2 steps are in place"));
    }

    #[test]
    fn row16_hot_update_below_canary_minimum() {
        let r = report("1.16.4.90", "1.16.4.95", Edition::Enterprise);
        assert_eq!(shape(&r), vec![(HotUpdate, vec![(HotUpdate, "1.16.4.95")])]);
    }

    #[test]
    fn row17_three_minors_canary_skips_first() {
        let r = report("1.17.0.5", "1.20.1.1", Edition::Enterprise);
        assert_eq!(
            shape(&r),
            vec![
                (Canary, vec![(Canary, "1.19.x"), (Canary, "1.20.1.1")]),
                (
                    InPlace,
                    vec![
                        (InPlace, "1.18.x"),
                        (InPlace, "1.19.x"),
                        (InPlace, "1.20.1.1")
                    ]
                ),
            ]
        );
    }

    #[test]
    fn strict_reading_is_the_default_and_says_the_guides_differ() {
        // The canary-upgrade guide's own example: 1.22 -> 1.24 is not one canary hop.
        let r = strict("1.22.6.20", "1.24.2.10", Edition::Enterprise);
        assert_eq!(
            shape(&r),
            vec![
                (Canary, vec![(Canary, "1.23.x"), (Canary, "1.24.2.10")]),
                (InPlace, vec![(InPlace, "1.23.x"), (InPlace, "1.24.2.10")]),
            ]
        );
        assert_eq!(r.notes.len(), 1);
        assert!(r.notes[0].contains("not directly to version 1.24"));
        assert!(r.notes[0].contains("1.16.4.93 -> 1.18.0.158"));
        assert!(r.notes[0].contains("canary-skip-minor = true"));
        let t = render_text(&r);
        assert!(t.contains("canary: 2 steps, can be rolled back\n  1. canary to 1.23.x\n  2. canary to 1.24.2.10\n"), "{t}");
        // The looser reading, chosen explicitly, plans the skip and still says the guides differ.
        let l = report("1.22.6.20", "1.24.2.10", Edition::Enterprise);
        assert_eq!(shape(&l)[0], (Canary, vec![(Canary, "1.24.2.10")]));
        assert!(l.notes[0].contains("the console may refuse"));
        // Row 1 of the table under the strict reading: one extra hop.
        let r = strict("1.16.4.93", "1.18.0.158", Edition::Enterprise);
        assert_eq!(
            shape(&r)[0],
            (Canary, vec![(Canary, "1.17.x"), (Canary, "1.18.0.158")])
        );
        // Adjacent minors and patch upgrades: the readings agree, no note.
        assert!(strict("1.17.2.42", "1.18.0.158", Edition::Enterprise)
            .notes
            .is_empty());
        assert!(strict("1.18.0.158", "1.18.2.20", Edition::Enterprise)
            .notes
            .is_empty());
        // No canary method at all (standard edition): no note about canary skips either.
        let r = strict("1.16.4.93", "1.18.0.158", Edition::Standard);
        assert_eq!(r.notes.len(), 1);
        // From below the canary minimum the canary part is strict too (and now longer than in
        // place, so listed second).
        let r = strict("1.15.3.25", "1.18.0.158", Edition::Enterprise);
        assert_eq!(
            shape(&r)[1],
            (
                Canary,
                vec![
                    (InPlace, "1.16.x (≥1.16.4.91)"),
                    (Canary, "1.17.x"),
                    (Canary, "1.18.0.158")
                ]
            )
        );
        // Every strict step is a legal strict hop.
        for (from, to) in [
            ("1.16.4.93", "1.19.2.10"),
            ("1.14.1.10", "1.19.0.5"),
            ("1.22.6.20", "1.24.2.10"),
        ] {
            let r = strict(from, to, Edition::Ultimate);
            for m in &r.methods {
                let mut at = v(from);
                for s in &m.steps {
                    let next = if s.to.contains(".x") {
                        let minor: u32 = s.to.split('.').nth(1).unwrap().parse().unwrap();
                        AsmVersion::new(1, minor, 4, 91)
                    } else {
                        v(&s.to)
                    };
                    assert_eq!(
                        check_direct(&at, &next, s.kind, r.edition),
                        Ok(()),
                        "{from} -> {to}: {s:?}"
                    );
                    at = next;
                }
            }
        }
    }

    #[test]
    fn open_versions() {
        let (a, open) = AsmVersion::parse_open("1.24.x").unwrap();
        assert!(open);
        assert_eq!(a, AsmVersion::new(1, 24, 0, 0));
        let (b, open) = AsmVersion::parse_open("1.22.6.x").unwrap();
        assert!(open);
        assert_eq!(b, AsmVersion::new(1, 22, 6, 0));
        assert_eq!(
            AsmVersion::parse_open("1.22.6.20").unwrap(),
            (v("1.22.6.20"), false)
        );
        assert!(AsmVersion::parse_open("1.x").is_err());
        assert!(AsmVersion::parse_open("1.22.x.5").is_err());
        assert!(AsmVersion::parse_open("1").is_err());
        let r = upgrade_paths(&b, &a, Edition::Enterprise);
        assert_eq!(r.methods[0].steps.len(), 2);
    }

    #[test]
    fn canary_states_and_revision_names() {
        assert_eq!("promoted".parse::<CanaryState>(), Ok(CanaryState::Promoted));
        assert!("done"
            .parse::<CanaryState>()
            .unwrap_err()
            .contains("expected"));
        assert_eq!(revision_name(&v("1.23.6.20")), "1-23-6");
        assert!(is_revision_name("1-18-0-158"));
        assert!(!is_revision_name("1-23"));
        assert!(!is_revision_name("canary"));
        assert_eq!(
            revision_version("1-23-6"),
            Some(AsmVersion::new(1, 23, 6, 0))
        );
        assert!(revision_version("1-22-6") < revision_version("1-23-6"));
        assert_eq!(revision_version("stable"), None);
        assert!(v("1.19.9.9") < GATEWAY_CANARY_MINIMUM);
        assert!(v("1.20.0.0") >= GATEWAY_CANARY_MINIMUM);
    }

    #[test]
    fn direct_hops() {
        let e = Edition::Enterprise;
        assert!(check_direct(&v("1.17.2.42"), &v("1.18.0.158"), InPlace, e).is_ok());
        assert_eq!(
            check_direct(&v("1.16.4.93"), &v("1.18.0.158"), InPlace, e).unwrap_err(),
            "an in-place upgrade goes only to the next minor version (1.16 -> 1.17), not to 1.18"
        );
        let loose = CanaryReach::SkipOneMinor;
        assert!(check_hop(&v("1.16.4.93"), &v("1.18.0.158"), Canary, e, loose).is_ok());
        assert!(check_direct(&v("1.16.4.93"), &v("1.18.0.158"), Canary, e)
            .unwrap_err()
            .starts_with("the canary-upgrade guide allows a canary upgrade only to the next minor version (1.16 -> 1.17), not 1.16 -> 1.18"));
        assert_eq!(
            check_direct(&v("1.16.4.90"), &v("1.18.0.158"), Canary, e).unwrap_err(),
            "canary upgrades need a source version of 1.16.4.91 or later; 1.16.4.90 is older"
        );
        assert_eq!(
            check_direct(&v("1.16.4.93"), &v("1.17.0.1"), Canary, Edition::Standard).unwrap_err(),
            "canary upgrades need the Enterprise or Ultimate edition, not standard"
        );
        assert!(check_direct(&v("1.18.0.1"), &v("1.18.0.2"), HotUpdate, e).is_ok());
        assert!(check_direct(&v("1.18.0.1"), &v("1.18.0.2"), InPlace, e).is_ok());
        assert_eq!(
            check_direct(&v("1.18.0.1"), &v("1.18.0.2"), Canary, e).unwrap_err(),
            "1.18.0.1 -> 1.18.0.2 only changes the asm-patch number: ASM applies that as a hot update, and recommends in place rather than canary for it"
        );
        assert_eq!(
            check_direct(&v("1.18.0.1"), &v("1.18.1.2"), HotUpdate, e).unwrap_err(),
            "a hot update only changes the asm-patch number; 1.18.0.1 -> 1.18.1.2 changes more"
        );
        assert_eq!(
            check_direct(&v("1.18.0.1"), &v("1.17.0.1"), InPlace, e).unwrap_err(),
            "downgrades are not supported: 1.17.0.1 is older than 1.18.0.1"
        );
    }

    #[test]
    fn every_listed_step_is_a_legal_hop() {
        // Replace `x` intermediates by a concrete release and check each hop with check_direct.
        let cases = [
            ("1.16.4.93", "1.18.0.158"),
            ("1.15.3.25", "1.18.0.158"),
            ("1.14.1.10", "1.19.0.5"),
            ("1.17.0.5", "1.20.1.1"),
            ("1.16.4.90", "1.18.0.158"),
            ("1.16.4.90", "1.16.4.95"),
            ("1.18.0.158", "1.18.2.20"),
        ];
        for (from, to) in cases {
            let r = report(from, to, Edition::Ultimate);
            for m in &r.methods {
                let mut at = v(from);
                for s in &m.steps {
                    let next = if s.to.contains(".x") {
                        let minor: u32 = s.to.split('.').nth(1).unwrap().parse().unwrap();
                        AsmVersion::new(1, minor, 4, 91)
                    } else {
                        v(&s.to)
                    };
                    assert_eq!(
                        check_hop(&at, &next, s.kind, r.edition, CanaryReach::SkipOneMinor),
                        Ok(()),
                        "{from} -> {to}: {s:?}"
                    );
                    at = next;
                }
                assert_eq!(at, v(to));
            }
        }
    }

    #[test]
    fn text_rendering() {
        let r = report("1.16.4.93", "1.18.0.158", Edition::Enterprise);
        assert_eq!(
            render_text(&r),
            "\
ASM upgrade 1.16.4.93 -> 1.18.0.158 (enterprise edition)
canary: 1 step, can be rolled back
  1. canary to 1.18.0.158
  note: a canary upgrade may skip at most one minor version and can be rolled back
in-place: 2 steps, cannot be rolled back
  1. in-place to 1.17.x
  2. in-place to 1.18.0.158
  note: in-place upgrades go one minor version at a time and cannot be rolled back
note: the ASM guides differ on canary skips: planned with the instance-upgrade guide's path table (one minor may be skipped, `[mesh] canary-skip-minor = true`), but the canary-upgrade guide says \"from version 1.22, you can upgrade to version 1.23 but not directly to version 1.24\", so the console may refuse a skipping hop
"
        );
        let r = report("1.18.0.158", "1.17.2.42", Edition::Standard);
        assert_eq!(
            render_text(&r),
            "ASM upgrade 1.18.0.158 -> 1.17.2.42 (standard edition)\n\
             refused: downgrades are not supported: 1.17.2.42 is older than 1.18.0.158\n"
        );
        let r = report("1.15.3.25", "1.18.0.158", Edition::Enterprise);
        let t = render_text(&r);
        assert!(t.contains("canary: 2 steps, can be rolled back only in part\n  1. in-place to 1.16.x (≥1.16.4.91)\n  2. canary to 1.18.0.158\n"));
        let r = report("1.16.4.93", "1.18.0.158", Edition::Standard);
        assert!(render_text(&r).ends_with(
            "note: no canary upgrade: it needs the Enterprise or Ultimate edition, not standard\n"
        ));
    }

    #[test]
    fn json_shape() {
        let r = report(
            "1.17.2.42",
            "v1.18.0.158-gc6cf0b9c-aliyun",
            Edition::Enterprise,
        );
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["from"], "1.17.2.42");
        assert_eq!(j["to"], "1.18.0.158-gc6cf0b9c-aliyun");
        assert_eq!(j["edition"], "enterprise");
        assert_eq!(j["refused"], serde_json::Value::Null);
        assert_eq!(j["methods"][0]["kind"], "canary");
        assert_eq!(j["methods"][0]["rollback"], true);
        assert_eq!(j["methods"][1]["kind"], "in_place");
        assert_eq!(
            j["methods"][1]["steps"][0],
            serde_json::json!({"to": "1.18.0.158-gc6cf0b9c-aliyun", "kind": "in_place", "rollback": false})
        );
    }
}
