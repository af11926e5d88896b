//! `lanes.toml`: discovery, parsing with located errors, the effective configuration with the
//! origin of every value, file filtering, and the one option table that generates the JSON
//! Schema (`schemas/lanes-toml.schema.json`) and the reference (`docs/configuration.md`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{json, Value};
use toml::Spanned;

use crate::config::{Config, WeightTotal};
use crate::diagnostic::Severity;
use lanes_plan::weights::Policy;

/// File names looked for, in order, in each directory while walking up.
pub(crate) const FILE_NAMES: &[&str] = &["lanes.toml", ".lanes.toml"];

/// One documented option of `lanes.toml`.
#[derive(Debug)]
pub struct OptionDoc {
    /// Dotted key (`lint.weight-total`); a key ending in `.*` is a table of free keys.
    pub key: &'static str,
    /// Type, as shown in the reference.
    pub ty: &'static str,
    /// Default, as TOML.
    pub default: &'static str,
    /// What it does (Markdown).
    pub doc: &'static str,
    /// An example line, as TOML in its table.
    pub example: &'static str,
    /// The JSON Schema of the value.
    pub schema: fn() -> Value,
}

/// Every option, in the order of the reference.
pub(crate) static OPTIONS: &[OptionDoc] = &[
    OptionDoc {
        key: "include",
        ty: "array of globs",
        default: "[]",
        doc: "Only lint YAML files matching one of these globs, relative to the directory of `lanes.toml` (`*` stays within a path segment, `**` crosses them). Empty means every `*.yaml`/`*.yml` file found.",
        example: "include = [\"apps/**\", \"mesh/**\"]",
        schema: || json!({"type": "array", "items": {"type": "string"}}),
    },
    OptionDoc {
        key: "exclude",
        ty: "array of globs",
        default: "[]",
        doc: "Skip files matching one of these globs (relative to the directory of `lanes.toml`), after `include`. `.git` and `.gitignore`d files are always skipped.",
        example: "exclude = [\"**/generated/**\", \"legacy/*.yaml\"]",
        schema: || json!({"type": "array", "items": {"type": "string"}}),
    },
    OptionDoc {
        key: "lint.weight-total",
        ty: "integer or \"any\"",
        default: "100",
        doc: "What the weights of a route with two or more destinations must add up to. `\"any\"` applies Istio's own relative-weight rule instead (positive total, nothing negative) and silences LN101.",
        example: "weight-total = \"any\"",
        schema: || json!({"oneOf": [{"type": "integer", "minimum": 1}, {"const": "any"}]}),
    },
    OptionDoc {
        key: "lint.require-reason",
        ty: "boolean",
        default: "true",
        doc: "Whether a suppression (`# lanes: ignore[CODE]` or the `lanes.dev/ignore` annotation) must give a reason after the codes; one without is reported as LN902.",
        example: "require-reason = false",
        schema: || json!({"type": "boolean"}),
    },
    OptionDoc {
        key: "lint.severity.*",
        ty: "table: rule code or name → \"error\" | \"warning\" | \"info\" | \"off\"",
        default: "{}",
        doc: "Change a rule's severity, or turn it off. Keys are codes (`LN104`) or kebab names (`route-weights-not-100`).",
        example: "LN104 = \"off\"",
        schema: || json!({
            "type": "object",
            "propertyNames": {"pattern": "^(LN[0-9]{3}|[a-z0-9]+(-[a-z0-9]+)*)$"},
            "additionalProperties": {"enum": ["error", "warning", "info", "off"]}
        }),
    },
    OptionDoc {
        key: "universes.*",
        ty: "table: universe name → array of globs",
        default: "{}",
        doc: "Which files are synced into one cluster together, for layouts the heuristics get wrong (two demo folders or environments that reuse object names). A file takes the first universe with a matching glob (relative to the directory of `lanes.toml`); other files fall back to the nearest kustomize root above them, else the linted tree. The same object twice in one universe is LN011; references resolve to the nearest definition.",
        example: "istio-subset = [\"examples/istio-subset/**\"]",
        schema: || json!({
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}}
        }),
    },
    OptionDoc {
        key: "mesh.revisions",
        ty: "array of strings",
        default: "[]",
        doc: "Control-plane revisions that exist in the mesh (`istio.io/rev` values). When `revisions` or `tags` is set, rules accept exactly these revisions and tags; otherwise `stable`, `canary` and revision-shaped names such as `1-23-6`.",
        example: "revisions = [\"1-22-6\", \"1-24-2\"]",
        schema: || json!({"type": "array", "items": {"type": "string"}}),
    },
    OptionDoc {
        key: "mesh.tags",
        ty: "array of strings",
        default: "[]",
        doc: "Revision tags that exist in the mesh besides the built-in ones. `stable`, `canary` (ASM's tags; `canary` while a canary upgrade runs) and `default` (Istio's default tag) are always known, whatever `revisions` and `tags` list.",
        example: "tags = [\"prod\"]",
        schema: || json!({"type": "array", "items": {"type": "string"}}),
    },
    OptionDoc {
        key: "mesh.version",
        ty: "string (ASM version)",
        default: "(none)",
        doc: "The ASM version the mesh runs (`1.22.6.20`). `lanes gateway canary start` refuses below 1.20, `lanes upgrade plan` starts here when `--from` is not given, and LN610 uses it.",
        example: "version = \"1.22.6.20\"",
        schema: || json!({"type": "string", "pattern": "^v?[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+(-.+-aliyun)?$"}),
    },
    OptionDoc {
        key: "mesh.canary",
        ty: "\"running\" | \"promoted\" | \"unpublished\"",
        default: "(none)",
        doc: "The state of a control-plane canary upgrade: both control planes `running`, the canary `promoted` (ASM rewrote `istio.io/rev: canary` to `stable` in the cluster), or the old revision `unpublished`. LN607 reports namespaces still labelled `canary` once it is promoted or unpublished.",
        example: "canary = \"promoted\"",
        schema: || json!({"enum": ["running", "promoted", "unpublished"]}),
    },
    OptionDoc {
        key: "mesh.unpublished",
        ty: "array of strings",
        default: "[]",
        doc: "Revisions that were unpublished (removed from the mesh). A label naming one injects nothing (LN608).",
        example: "unpublished = [\"1-22-6\"]",
        schema: || json!({"type": "array", "items": {"type": "string"}}),
    },
    OptionDoc {
        key: "mesh.canary-skip-minor",
        ty: "boolean",
        default: "false",
        doc: "ASM's guides differ on how far one canary upgrade may go. By default lanes plans with the canary-upgrade guide (next minor version only: \"from version 1.22, you can upgrade to version 1.23 but not directly to version 1.24\"). `true` plans with the instance-upgrade guide's path table instead, where a canary upgrade may skip one minor version.",
        example: "canary-skip-minor = true",
        schema: || json!({"type": "boolean"}),
    },
    OptionDoc {
        key: "lanes.default-group",
        ty: "string",
        default: "(none)",
        doc: "The lane group commands use when none is named.",
        example: "default-group = \"mock\"",
        schema: || json!({"type": "string"}),
    },
    OptionDoc {
        key: "lanes.plan-policy",
        ty: "\"proportional\" | \"oldest-first\"",
        default: "\"proportional\"",
        doc: "Where a weight plan takes traffic from: every lane in proportion to its weight, or the oldest lane first.",
        example: "plan-policy = \"oldest-first\"",
        schema: || json!({"enum": ["proportional", "oldest-first"]}),
    },
];

/// A `lanes.toml` problem, located in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Path of the file as given.
    pub file: String,
    /// 1-based line (0 when the file could not be read).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Built-in default.
    Default,
    /// A line of a config file.
    File {
        /// Path as given.
        path: String,
        /// 1-based line.
        line: usize,
    },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{path}:{line}"),
        }
    }
}

/// The effective configuration: lint settings, file filters and the origin of each value.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The config file, when one was found or given.
    pub file: Option<PathBuf>,
    /// Directory globs are relative to (the config's directory, or the current one).
    pub base: PathBuf,
    /// Lint configuration: what the rules read.
    pub config: Config,
    /// `[lanes]`: the writing commands' settings.
    pub ops: OpsConfig,
    /// `include` globs.
    pub include: Vec<String>,
    /// `exclude` globs.
    pub exclude: Vec<String>,
    /// `[universes]`: name and globs, in file order.
    pub universes: Vec<(String, Vec<String>)>,
    /// `[mesh] revisions`.
    pub revisions: Vec<String>,
    /// `[mesh] tags`.
    pub tags: Vec<String>,
    /// `(dotted key, TOML value, origin)` of every effective value, in reference order.
    pub values: Vec<(String, String, Origin)>,
    filter: FileFilter,
    universe_globs: Vec<(String, globset::GlobSet)>,
}

/// `[lanes]`: what the writing commands (`add`, `split`, `plan`, `promote`, ...) read from
/// `lanes.toml`. The rules never do: they read [`Config`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpsConfig {
    /// The lane group commands use when none is named (`default-group`).
    pub default_group: Option<String>,
    /// Where a weight plan takes traffic from (`plan-policy`); a command's `--policy` wins.
    pub plan_policy: Policy,
}

#[derive(Clone, Debug, Default)]
struct FileFilter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFile {
    include: Option<Spanned<Vec<Spanned<String>>>>,
    exclude: Option<Spanned<Vec<Spanned<String>>>>,
    lint: Option<RawLint>,
    universes: Option<toml::Spanned<toml::Table>>,
    mesh: Option<RawMesh>,
    lanes: Option<RawLanes>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLint {
    weight_total: Option<Spanned<toml::Value>>,
    require_reason: Option<Spanned<bool>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMesh {
    revisions: Option<Spanned<Vec<String>>>,
    tags: Option<Spanned<Vec<String>>>,
    version: Option<Spanned<String>>,
    canary: Option<Spanned<String>>,
    unpublished: Option<Spanned<Vec<String>>>,
    canary_skip_minor: Option<Spanned<bool>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLanes {
    default_group: Option<Spanned<String>>,
    plan_policy: Option<Spanned<String>>,
}

/// Find `lanes.toml` (or `.lanes.toml`) in `start` (a file's directory when `start` is a file)
/// or the nearest ancestor, looking no further up than `top` (the repository root): a `lanes.toml` above
/// the repository never configures it. `top` is ignored when `start` is not inside it.
pub fn discover_within(start: &Path, top: Option<&Path>) -> Option<PathBuf> {
    let canon = |p: &Path| {
        p.canonicalize()
            .ok()
            .or_else(|| std::path::absolute(p).ok())
    };
    let abs = match top {
        Some(_) => canon(start)?,
        None => std::path::absolute(start).ok()?,
    };
    let top = top.and_then(canon).filter(|t| abs.starts_with(t));
    let mut dir = if abs.is_file() {
        abs.parent()?.to_path_buf()
    } else {
        abs
    };
    loop {
        for name in FILE_NAMES {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
        if top.as_deref() == Some(dir.as_path()) || !dir.pop() {
            return None;
        }
    }
}

impl Settings {
    /// Defaults only, with globs relative to `base`.
    pub fn defaults(base: PathBuf) -> Settings {
        let mut s = Settings {
            file: None,
            base,
            config: Config::default(),
            ops: OpsConfig::default(),
            include: Vec::new(),
            exclude: Vec::new(),
            universes: Vec::new(),
            revisions: Vec::new(),
            tags: Vec::new(),
            values: Vec::new(),
            filter: FileFilter::default(),
            universe_globs: Vec::new(),
        };
        s.record(&BTreeMap::new());
        s
    }

    /// Read and parse a config file.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let name = path.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: name.clone(),
            line: 0,
            column: 0,
            message: format!("cannot read config file: {e}"),
        })?;
        let base = std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        let mut s = Settings::parse(&name, &text, base)?;
        s.file = Some(path.to_path_buf());
        Ok(s)
    }

    /// Parse config text named `name`, with globs relative to `base`.
    pub fn parse(name: &str, text: &str, base: PathBuf) -> Result<Settings, ConfigError> {
        let at = |range: std::ops::Range<usize>, message: String| {
            let (line, column) = line_col(text, range.start);
            ConfigError {
                file: name.to_string(),
                line,
                column,
                message,
            }
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim_end().replace('\n', "; ");
            at(e.span().unwrap_or(0..0), msg)
        })?;
        let mut s = Settings::defaults(base);
        let mut lines: BTreeMap<String, usize> = BTreeMap::new();
        let mut seen = |key: &str, span: std::ops::Range<usize>| {
            lines.insert(key.to_string(), line_col(text, span.start).0);
        };
        let lint = raw.lint.unwrap_or_default();
        if let Some(w) = lint.weight_total {
            s.config.weight_total = match w.get_ref() {
                toml::Value::Integer(i) if *i > 0 => WeightTotal::Exactly(*i),
                toml::Value::String(t) if t == "any" => WeightTotal::Any,
                other => {
                    return Err(at(
                        w.span(),
                        format!(
                            "`weight-total` must be a positive integer or \"any\", not {other}"
                        ),
                    ))
                }
            };
            seen("lint.weight-total", w.span());
        }
        if let Some(r) = lint.require_reason {
            s.config.require_reason = *r.get_ref();
            seen("lint.require-reason", r.span());
        }
        for (key, value) in lint.severity.unwrap_or_default() {
            let Some(rule) = crate::registry::find(key.get_ref()) else {
                let names = crate::registry::RULES
                    .iter()
                    .flat_map(|r| [r.meta.code, r.meta.name]);
                let hint = crate::did_you_mean(key.get_ref(), names)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(at(
                    key.span(),
                    format!("unknown rule `{}` in [lint.severity]{hint}", key.get_ref()),
                ));
            };
            let sev = match value.get_ref().as_str() {
                "off" => None,
                v => Some(Severity::parse(v).filter(|_| v != "warn").ok_or_else(|| {
                    at(
                        value.span(),
                        format!(
                            "unknown severity \"{v}\" for `{}`; expected \"error\", \"warning\", \"info\" or \"off\"",
                            key.get_ref()
                        ),
                    )
                })?),
            };
            s.config.severity.insert(rule.meta.code.to_string(), sev);
            seen(&format!("lint.severity.{}", rule.meta.code), key.span());
        }
        let mut globs = |list: Option<Spanned<Vec<Spanned<String>>>>,
                         key: &str|
         -> Result<(Vec<String>, Option<globset::GlobSet>), ConfigError> {
            let Some(list) = list else {
                return Ok((Vec::new(), None));
            };
            seen(key, list.span());
            let mut b = globset::GlobSetBuilder::new();
            let mut out = Vec::new();
            for g in list.into_inner() {
                let glob = globset::GlobBuilder::new(g.get_ref())
                    .literal_separator(true)
                    .build()
                    .map_err(|e| at(g.span(), format!("invalid glob in `{key}`: {}", e.kind())))?;
                b.add(glob);
                out.push(g.into_inner());
            }
            let set = b.build().map_err(|e| at(0..0, e.to_string()))?;
            Ok((out, Some(set)))
        };
        let (include, inc) = globs(raw.include, "include")?;
        let (exclude, exc) = globs(raw.exclude, "exclude")?;
        s.include = include;
        s.exclude = exclude;
        s.filter = FileFilter {
            include: inc.filter(|_| !s.include.is_empty()),
            exclude: exc,
        };
        if let Some(table) = raw.universes {
            seen("universes", table.span());
            let span = table.span();
            for (name, value) in table.into_inner() {
                let bad = || {
                    at(
                        span.clone(),
                        format!(
                            "`universes.{name}` must be an array of globs, like [\"apps/dev/**\"]"
                        ),
                    )
                };
                let list = value.as_array().ok_or_else(bad)?;
                let mut b = globset::GlobSetBuilder::new();
                let mut globs = Vec::new();
                for g in list {
                    let g = g.as_str().ok_or_else(bad)?;
                    let glob = globset::GlobBuilder::new(g)
                        .literal_separator(true)
                        .build()
                        .map_err(|e| {
                            at(
                                span.clone(),
                                format!("invalid glob in `universes.{name}`: {}", e.kind()),
                            )
                        })?;
                    b.add(glob);
                    globs.push(g.to_string());
                }
                let set = b.build().map_err(|e| at(span.clone(), e.to_string()))?;
                s.universes.push((name.clone(), globs));
                s.universe_globs.push((name, set));
            }
        }
        let mesh = raw.mesh.unwrap_or_default();
        let has_mesh = mesh.revisions.is_some() || mesh.tags.is_some();
        if let Some(r) = mesh.revisions {
            seen("mesh.revisions", r.span());
            s.revisions = r.into_inner();
        }
        if let Some(t) = mesh.tags {
            seen("mesh.tags", t.span());
            s.tags = t.into_inner();
        }
        if has_mesh {
            // Rules see one list of accepted `istio.io/rev` values.
            let mut known = s.revisions.clone();
            known.extend(s.tags.iter().cloned());
            s.config.mesh_revisions = Some(known);
        }
        if let Some(v) = mesh.version {
            let parsed = lanes_plan::asm_version::AsmVersion::parse(v.get_ref())
                .map_err(|e| at(v.span(), format!("`version`: {e}")))?;
            seen("mesh.version", v.span());
            s.config.mesh.version = Some(parsed);
        }
        if let Some(c) = mesh.canary {
            let state = c.get_ref().parse().map_err(|e: String| at(c.span(), e))?;
            seen("mesh.canary", c.span());
            s.config.mesh.canary = Some(state);
        }
        if let Some(u) = mesh.unpublished {
            seen("mesh.unpublished", u.span());
            s.config.mesh.unpublished = u.into_inner();
        }
        if let Some(b) = mesh.canary_skip_minor {
            seen("mesh.canary-skip-minor", b.span());
            s.config.mesh.canary_reach = if *b.get_ref() {
                lanes_plan::asm_version::CanaryReach::SkipOneMinor
            } else {
                lanes_plan::asm_version::CanaryReach::NextMinor
            };
        }
        let lanes = raw.lanes.unwrap_or_default();
        if let Some(g) = lanes.default_group {
            seen("lanes.default-group", g.span());
            s.ops.default_group = Some(g.into_inner());
        }
        if let Some(p) = lanes.plan_policy {
            s.ops.plan_policy = match p.get_ref().as_str() {
                "proportional" => Policy::Proportional,
                "oldest-first" => Policy::OldestFirst,
                v => {
                    return Err(at(
                        p.span(),
                        format!("unknown plan-policy \"{v}\"; expected \"proportional\" or \"oldest-first\""),
                    ))
                }
            };
            seen("lanes.plan-policy", p.span());
        }
        let origins: BTreeMap<String, Origin> = lines
            .into_iter()
            .map(|(k, line)| {
                (
                    k,
                    Origin::File {
                        path: name.to_string(),
                        line,
                    },
                )
            })
            .collect();
        s.record(&origins);
        Ok(s)
    }

    /// Rebuild [`Settings::values`] from the current settings.
    fn record(&mut self, origins: &BTreeMap<String, Origin>) {
        let origin = |k: &str| origins.get(k).cloned().unwrap_or(Origin::Default);
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| toml_str(s)).collect();
            format!("[{}]", items.join(", "))
        };
        let c = &self.config;
        let mut values = vec![
            (
                "include".to_string(),
                list(&self.include),
                origin("include"),
            ),
            (
                "exclude".to_string(),
                list(&self.exclude),
                origin("exclude"),
            ),
            (
                "lint.weight-total".to_string(),
                match c.weight_total {
                    WeightTotal::Exactly(n) => n.to_string(),
                    WeightTotal::Any => "\"any\"".into(),
                },
                origin("lint.weight-total"),
            ),
            (
                "lint.require-reason".to_string(),
                c.require_reason.to_string(),
                origin("lint.require-reason"),
            ),
        ];
        let mut sev: Vec<(&String, &Option<Severity>)> = c.severity.iter().collect();
        sev.sort();
        for (code, s) in sev {
            let key = format!("lint.severity.{code}");
            let v = toml_str(s.map_or("off", Severity::as_str));
            let o = origin(&key);
            values.push((key, v, o));
        }
        values.push((
            "mesh.revisions".into(),
            list(&self.revisions),
            origin("mesh.revisions"),
        ));
        values.push(("mesh.tags".into(), list(&self.tags), origin("mesh.tags")));
        let m = &c.mesh;
        values.push((
            "mesh.version".into(),
            m.version
                .as_ref()
                .map(|v| toml_str(&v.to_string()))
                .unwrap_or_else(|| "\"\"".into()),
            origin("mesh.version"),
        ));
        values.push((
            "mesh.canary".into(),
            m.canary
                .map(|c| toml_str(&c.to_string()))
                .unwrap_or_else(|| "\"\"".into()),
            origin("mesh.canary"),
        ));
        values.push((
            "mesh.unpublished".into(),
            list(&m.unpublished),
            origin("mesh.unpublished"),
        ));
        values.push((
            "mesh.canary-skip-minor".into(),
            (m.canary_reach == lanes_plan::asm_version::CanaryReach::SkipOneMinor).to_string(),
            origin("mesh.canary-skip-minor"),
        ));
        values.push((
            "lanes.default-group".into(),
            self.ops
                .default_group
                .as_deref()
                .map(toml_str)
                .unwrap_or_else(|| "\"\"".into()),
            origin("lanes.default-group"),
        ));
        values.push((
            "lanes.plan-policy".into(),
            toml_str(&self.ops.plan_policy.to_string()),
            origin("lanes.plan-policy"),
        ));
        self.values = values;
    }

    /// Whether a file passes `include`/`exclude` (paths are taken relative to [`Settings::base`]).
    pub fn includes(&self, path: &Path) -> bool {
        if self.filter.include.is_none() && self.filter.exclude.is_none() {
            return true;
        }
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = abs.strip_prefix(&self.base).unwrap_or(&abs);
        if let Some(inc) = &self.filter.include {
            if !inc.is_match(rel) {
                return false;
            }
        }
        !self
            .filter
            .exclude
            .as_ref()
            .is_some_and(|e| e.is_match(rel))
    }

    /// The `[universes]` entry a file belongs to, if any (paths relative to [`Settings::base`]).
    pub fn universe_of(&self, path: &Path) -> Option<String> {
        if self.universe_globs.is_empty() {
            return None;
        }
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = abs.strip_prefix(&self.base).unwrap_or(&abs);
        self.universe_globs
            .iter()
            .find(|(_, g)| g.is_match(rel))
            .map(|(n, _)| n.clone())
    }

    /// The effective configuration as TOML, each value followed by its origin.
    pub fn render(&self) -> String {
        let mut out = String::new();
        match &self.file {
            Some(f) => {
                let _ = writeln!(out, "# config file: {}", f.display());
            }
            None => out.push_str("# config file: none (defaults)\n"),
        }
        let mut table = "";
        let mut rows: Vec<(String, String)> = Vec::new();
        let flush = |rows: &mut Vec<(String, String)>, out: &mut String| {
            let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            for (l, o) in rows.drain(..) {
                let _ = writeln!(out, "{l:<width$}  # {o}");
            }
        };
        for (key, value, origin) in &self.values {
            let (t, k) = match key.rsplit_once('.') {
                Some((t, k)) => (t, k),
                None => ("", key.as_str()),
            };
            if t != table {
                flush(&mut rows, &mut out);
                let _ = writeln!(out, "\n[{t}]");
                table = t;
            }
            rows.push((format!("{k} = {value}"), origin.to_string()));
        }
        flush(&mut rows, &mut out);
        out
    }
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The JSON Schema of `lanes.toml`, generated from `OPTIONS`.
pub fn json_schema() -> Value {
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://lanes.dev/schemas/lanes-toml.schema.json",
        "$comment": "generated from lanes_lint::config_file::OPTIONS by `LANES_BLESS=1 cargo test -p lanes_lint --test docs`; do not edit",
        "title": "lanes.toml",
        "type": "object",
        "properties": {},
        "additionalProperties": false
    });
    for opt in OPTIONS {
        let parts: Vec<&str> = opt.key.split('.').collect();
        let mut cur = &mut root;
        for table in &parts[..parts.len() - 1] {
            let props = cur["properties"].as_object_mut().expect("object schema");
            cur = props.entry(table.to_string()).or_insert_with(
                || json!({"type": "object", "properties": {}, "additionalProperties": false}),
            );
        }
        let last = parts[parts.len() - 1];
        let mut schema = (opt.schema)();
        schema["description"] = Value::String(opt.doc.to_string());
        if last == "*" {
            // A free table: replace the parent's shape by the option's.
            let desc = schema.clone();
            *cur = desc;
        } else {
            if let Ok(default) = opt.default.parse::<toml::Value>().or_else(|_| {
                format!("v = {}", opt.default)
                    .parse::<toml::Table>()
                    .map(|t| t["v"].clone())
            }) {
                schema["default"] = serde_json::to_value(default).unwrap_or(Value::Null);
            }
            cur["properties"][last] = schema;
        }
    }
    root
}

/// `docs/configuration.md`, generated from [`OPTIONS`].
pub(crate) fn reference_markdown() -> String {
    let mut out = String::from(
        "<!-- generated from lanes_lint::config_file::OPTIONS by `LANES_BLESS=1 cargo test -p lanes_lint --test docs`; do not edit -->\n\
         # Configuration (`lanes.toml`)\n\n\
         `lanes lint` looks for `lanes.toml` (or `.lanes.toml`) in the linted path's directory and \
         its ancestors; `--config FILE` names one explicitly. Unknown keys and wrong types are \
         errors located at their line and column, and `lanes` exits with status 2. \
         `lanes config` prints the effective configuration and where each value came from. \
         Editors complete the file with `schemas/lanes-toml.schema.json` (for taplo / Even Better \
         TOML: `#:schema ./schemas/lanes-toml.schema.json` as the first line).\n\n",
    );
    let mut table = None;
    for opt in OPTIONS {
        let (t, k) = match opt.key.rsplit_once('.') {
            Some((t, k)) => (t, k),
            None => ("", opt.key),
        };
        if table != Some(t) {
            table = Some(t);
            if t.is_empty() {
                out.push_str("## Top level\n\n");
            } else {
                let _ = writeln!(out, "## `[{t}]`\n");
            }
        }
        let title = if k == "*" {
            format!("[{t}]")
        } else {
            k.to_string()
        };
        let header = if t.is_empty() || k == "*" {
            String::new()
        } else {
            format!("[{t}]\n")
        };
        let _ = write!(
            out,
            "### `{title}`\n\n{doc}\n\n- Type: {ty}\n- Default: `{default}`\n\n```toml\n{header}{example}\n```\n\n",
            doc = opt.doc,
            ty = opt.ty,
            default = opt.default,
            example = opt.example,
        );
    }
    out.push_str(
        "## Suppression\n\n\
         A finding is silenced by a comment on the reported line or on the line above it, \
         `# lanes: ignore[LN201] reason`, or, for every finding in one resource, by the annotation \
         `lanes.dev/ignore: \"LN201,LN305 reason\"`. Codes or kebab names, separated by commas; the \
         reason follows after a space. A suppression that silences nothing is LN901; one without \
         a reason is LN902 (unless `require-reason = false`).\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, ConfigError> {
        Settings::parse("lanes.toml", text, PathBuf::from("/repo"))
    }

    #[test]
    fn parses_every_option() {
        let s = parse(
            "include = [\"apps/**\"]\nexclude = [\"**/gen/**\"]\n[lint]\nweight-total = \"any\"\nrequire-reason = false\n[lint.severity]\nLN104 = \"off\"\nroute-weights-not-100 = \"warning\"\n[mesh]\nrevisions = [\"1-22\"]\ntags = [\"stable\"]\n[lanes]\ndefault-group = \"mock\"\nplan-policy = \"oldest-first\"\n",
        )
        .unwrap();
        assert_eq!(s.config.weight_total, WeightTotal::Any);
        assert!(!s.config.require_reason);
        assert_eq!(s.config.severity_of("LN104", Severity::Warning), None);
        assert_eq!(
            s.config.severity_of("LN101", Severity::Error),
            Some(Severity::Warning)
        );
        assert_eq!(s.revisions, vec!["1-22"]);
        assert_eq!(
            s.config.mesh_revisions,
            Some(vec!["1-22".to_string(), "stable".to_string()])
        );
        assert_eq!(s.ops.plan_policy, Policy::OldestFirst);
        assert_eq!(s.ops.default_group.as_deref(), Some("mock"));
        assert!(s.includes(Path::new("/repo/apps/a/vs.yaml")));
        assert!(!s.includes(Path::new("/repo/apps/gen/vs.yaml")));
        assert!(!s.includes(Path::new("/repo/other/vs.yaml")));
        let r = s.render();
        let line = |k: &str| {
            r.lines()
                .find(|l| l.starts_with(k))
                .unwrap_or("")
                .to_string()
        };
        assert!(
            line("weight-total = \"any\"").ends_with("# lanes.toml:4"),
            "{r}"
        );
        assert!(
            line("LN101 = \"warning\"").ends_with("# lanes.toml:8"),
            "{r}"
        );
        assert!(
            line("plan-policy = \"oldest-first\"").ends_with("# lanes.toml:14"),
            "{r}"
        );
        assert!(line("tags").ends_with("# lanes.toml:11"), "{r}");
        assert!(line("exclude").ends_with("# lanes.toml:2"), "{r}");
    }

    #[test]
    fn errors_are_located() {
        let e = parse("[lint]\nweight-totl = 100\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("weight-totl"), "{e}");
        let e = parse("[lint]\nweight-total = true\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 16), "{e}");
        let e = parse("[lint.severity]\nLN104 = \"loud\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 9), "{e}");
        let e = parse("[lint.severity]\nroute-weights-not-10 = \"off\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("did you mean `route-weights-not-100`"),
            "{e}"
        );
        let e = parse("[mesh]\nrevisions = \"1-22\"\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse("include = [\"a/[\"]\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 12), "{e}");
        let e = parse("[lint\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }

    #[test]
    fn defaults_have_default_origins() {
        let s = Settings::defaults(PathBuf::from("."));
        assert!(s.values.iter().all(|v| v.2 == Origin::Default));
        assert!(s.includes(Path::new("anything.yaml")));
    }

    #[test]
    fn schema_covers_every_option() {
        let schema = json_schema();
        for opt in OPTIONS {
            let mut cur = &schema;
            for part in opt.key.split('.') {
                if part == "*" {
                    break;
                }
                cur = &cur["properties"][part];
            }
            assert!(cur.is_object(), "{} missing from the schema", opt.key);
        }
        jsonschema::validator_for(&schema).unwrap();
    }

    #[test]
    fn schema_accepts_what_the_parser_accepts() {
        let v = jsonschema::validator_for(&json_schema()).unwrap();
        let good = "include = [\"apps/**\"]\n[lint]\nweight-total = \"any\"\n[lint.severity]\nLN104 = \"off\"\nroute-weights-not-100 = \"info\"\n[mesh]\ntags = [\"stable\"]\n[lanes]\nplan-policy = \"oldest-first\"\n";
        assert!(parse(good).is_ok());
        let json: Value = toml::from_str(good).unwrap();
        assert!(v.is_valid(&json));
        for bad in [
            "[lint]\nweight-totl = 100\n",
            "[lint]\nweight-total = 0\n",
            "[lint.severity]\nLN104 = \"loud\"\n",
            "[lanes]\nplan-policy = \"newest-first\"\n",
            "colour = true\n",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
            let json: Value = toml::from_str(bad).unwrap();
            assert!(!v.is_valid(&json), "{bad}");
        }
    }
}
