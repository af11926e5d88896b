//! Lint configuration: what the rules read (defaults; `lanes.toml` loading is
//! [`crate::config_file`], which also holds the writing commands' `[lanes]` settings).

use std::collections::HashMap;

use crate::diagnostic::Severity;

/// What the weights of a multi-destination route must add up to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightTotal {
    /// Exactly this total (default 100, the only total Istio ≤ 1.14 accepts).
    Exactly(i64),
    /// Istio ≥ 1.15's relative weights: any positive total.
    Any,
}

/// Effective configuration of a lint run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Required weight total.
    pub weight_total: WeightTotal,
    /// Per-rule severity overrides by code; `None` turns the rule off.
    pub severity: HashMap<String, Option<Severity>>,
    /// Only run these rules (by code), when set.
    pub select: Option<Vec<String>>,
    /// Known control-plane revisions and tags (`istio.io/rev` values); `None` accepts `stable`,
    /// `canary` and revision-shaped names such as `1-23-6`.
    pub mesh_revisions: Option<Vec<String>>,
    /// Whether a suppression must give a reason (LN902 otherwise).
    pub require_reason: bool,
    /// What `lanes.toml` `[mesh]` records about the ASM mesh besides its revisions.
    pub mesh: MeshFacts,
}

/// `[mesh]` facts: the ASM version, the state of a control-plane canary upgrade, unpublished
/// revisions, and which guide's canary reach to plan with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeshFacts {
    /// `[mesh] version`: the ASM version the mesh runs.
    pub version: Option<lanes_plan::asm_version::AsmVersion>,
    /// `[mesh] canary`: the state of a control-plane canary upgrade, when one is recorded.
    pub canary: Option<lanes_plan::asm_version::CanaryState>,
    /// `[mesh] unpublished`: revisions that were removed from the mesh (inject nothing).
    pub unpublished: Vec<String>,
    /// `[mesh] canary-skip-minor`: plan with the instance-upgrade guide's looser reading.
    pub canary_reach: lanes_plan::asm_version::CanaryReach,
}

/// The `istio.io/rev` values every mesh knows, whatever `[mesh] revisions` lists: ASM's
/// built-in `stable` tag, `canary` (ASM's tag while a canary upgrade runs), and Istio's
/// `default` revision tag.
pub(crate) const BUILTIN_TAGS: &[&str] = &["stable", "canary", "default"];

impl Default for Config {
    fn default() -> Self {
        Config {
            weight_total: WeightTotal::Exactly(100),
            severity: HashMap::new(),
            select: None,
            mesh_revisions: None,
            require_reason: true,
            mesh: MeshFacts::default(),
        }
    }
}

impl Config {
    /// Whether the mesh knows an `istio.io/rev` value: a built-in tag, else one of `[mesh]
    /// revisions`/`tags` when they are listed, else any revision-shaped name (`1-23-6`). The one
    /// answer LN602, LN611 and `lanes mesh switch` share. (Unpublished revisions are LN608's.)
    pub fn knows_revision(&self, v: &str) -> bool {
        BUILTIN_TAGS.contains(&v)
            || match &self.mesh_revisions {
                Some(list) => list.iter().any(|k| k == v),
                None => lanes_plan::asm_version::is_revision_name(v),
            }
    }

    /// Effective severity of a rule, or `None` when it is off.
    pub fn severity_of(&self, code: &str, default: Severity) -> Option<Severity> {
        if let Some(sel) = &self.select {
            if !sel.iter().any(|c| c == code) {
                return None;
            }
        }
        match self.severity.get(code) {
            Some(s) => *s,
            None if crate::registry::DEFAULT_OFF.contains(&code) && self.select.is_none() => None,
            None => Some(default),
        }
    }
}

/// Rule selection from the command line (`--select`, `--extend-select`, `--ignore`), with
/// ruff's semantics: `select` replaces the set of enabled rules, `extend-select` adds to it,
/// `ignore` removes from it (and wins over both). Each entry is a code (`LN101`, any case), a
/// kebab name (`route-weights-not-100`), a code prefix (`LN5`, `LN10`) or `ALL`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only these rules, when set.
    pub select: Option<Vec<String>>,
    /// These rules too (also the ones that are off by default).
    pub extend_select: Vec<String>,
    /// Not these rules.
    pub ignore: Vec<String>,
}

/// The codes a selector names: one code or name, every code with a prefix, or `ALL`.
pub(crate) fn resolve_selector(selector: &str) -> Result<Vec<&'static str>, String> {
    let s = selector.trim();
    let rules = crate::registry::RULES.iter().map(|r| r.meta);
    if s.eq_ignore_ascii_case("ALL") {
        return Ok(rules.map(|m| m.code).collect());
    }
    if let Some(r) = crate::registry::find(s) {
        return Ok(vec![r.meta.code]);
    }
    let upper = s.to_ascii_uppercase();
    if upper.len() >= 2 && upper.starts_with("LN") && upper[2..].bytes().all(|b| b.is_ascii_digit())
    {
        let codes: Vec<&'static str> = rules
            .filter(|m| m.code.starts_with(&upper))
            .map(|m| m.code)
            .collect();
        if !codes.is_empty() {
            return Ok(codes);
        }
    }
    let names = crate::registry::RULES
        .iter()
        .flat_map(|r| [r.meta.code, r.meta.name]);
    let hint = crate::did_you_mean(s, names)
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(format!(
        "unknown rule selector `{s}`: expected a rule code (LN101), a name (route-weights-not-100), a code prefix (LN1) or ALL{hint}"
    ))
}

impl Selection {
    /// Whether nothing is selected, extended or ignored.
    pub fn is_empty(&self) -> bool {
        self.select.is_none() && self.extend_select.is_empty() && self.ignore.is_empty()
    }

    /// Apply to a configuration (after `lanes.toml`: a rule `lanes.toml` turns off stays off
    /// unless it is named by `--select`/`--extend-select`). Rules that report unreadable input
    /// are never turned off: a file that cannot be parsed still exits 2.
    pub fn apply(&self, config: &mut Config) -> Result<(), String> {
        let resolve = |list: &[String]| -> Result<Vec<&'static str>, String> {
            let mut out = Vec::new();
            for s in list
                .iter()
                .flat_map(|s| s.split(','))
                .filter(|s| !s.trim().is_empty())
            {
                out.extend(resolve_selector(s)?);
            }
            Ok(out)
        };
        let input: Vec<&str> = crate::registry::RULES
            .iter()
            .filter(|r| r.meta.input)
            .map(|r| r.meta.code)
            .collect();
        let extend = resolve(&self.extend_select)?;
        let ignore = resolve(&self.ignore)?;
        if let Some(select) = &self.select {
            let mut codes: Vec<String> = resolve(select)?.into_iter().map(String::from).collect();
            codes.extend(input.iter().map(|c| c.to_string()));
            config.select = Some(codes);
            for c in resolve(select)? {
                if config.severity.get(c) == Some(&None) {
                    config.severity.remove(c);
                }
            }
        }
        for c in extend {
            if let Some(sel) = &mut config.select {
                sel.push(c.to_string());
            }
            let default = crate::registry::find(c).map(|r| r.meta.severity);
            match config.severity.get(c) {
                Some(Some(_)) => {}
                _ => {
                    config.severity.insert(c.to_string(), default);
                }
            }
        }
        for c in ignore {
            if input.contains(&c) {
                continue;
            }
            config.severity.insert(c.to_string(), None);
        }
        Ok(())
    }
}
