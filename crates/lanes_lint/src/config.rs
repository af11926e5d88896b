//! Lint configuration (defaults; `lanes.toml` loading builds on this).

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
    /// Lane group used when a command does not name one (`[lanes] default-group`).
    pub default_group: Option<String>,
    /// How weight plans move traffic (`[lanes] plan-policy`).
    pub plan_policy: PlanPolicy,
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
pub const BUILTIN_TAGS: &[&str] = &["stable", "canary", "default"];

/// How a weight plan takes traffic from the existing lanes: the one policy type of
/// `lanes_plan`, named here as the configuration knows it.
pub use lanes_plan::weights::Policy as PlanPolicy;

impl Default for Config {
    fn default() -> Self {
        Config {
            weight_total: WeightTotal::Exactly(100),
            severity: HashMap::new(),
            select: None,
            mesh_revisions: None,
            require_reason: true,
            default_group: None,
            plan_policy: PlanPolicy::Proportional,
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
