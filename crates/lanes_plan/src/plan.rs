//! Staged plans for lanes.
//!
//! A [`Plan`] moves traffic to one *target* lane in stages. Each stage is a full split (one
//! weight per lane, summing to 100). Plans come in two written forms, both read by
//! [`parse_stages`]:
//!
//! * **short**: the target's weight at each stage, `10,30,80,100`. The other lanes are computed
//!   from the *current* weights by a [`Policy`] (see [`plan_short`]);
//! * **long**: every stage spelled out, `60:30:10,40:30:30,10:10:80,0:0:100`
//!   (see [`plan_long`]).
//!
//! Every plan is validated the same way: at least one lane, unique non-empty lane names, a
//! target that is one of the lanes, at least one stage, every stage has one weight per lane and
//! sums to 100, the target's weight never decreases from one stage to the next, and the last
//! stage gives the target 100. Errors name the stage (1-based) and its content.
//!
//! # Plan file format (`.lanes/plan-<group>.json`)
//!
//! [`Plan::to_file_string`] writes, and [`Plan::from_file_str`] reads, a JSON object with
//! exactly these fields (in this order when written; one stage per line):
//!
//! ```json
//! {
//!   "version": 1,
//!   "created_by": "lanes",
//!   "group": "reviews",
//!   "route": "reviews",
//!   "target": "v3",
//!   "lanes": ["v1", "v2", "v3"],
//!   "stages": [
//!     [60, 30, 10],
//!     [0, 0, 100]
//!   ]
//! }
//! ```
//!
//! * `version` (integer, required): the format version, currently [`PLAN_FILE_VERSION`] (1).
//!   A file with another version is refused before any other field is looked at.
//! * `created_by` (string, required): always `"lanes"`.
//! * `group` (string, required): the lane group; it names the file (see [`plan_file_path`]) and
//!   so may only hold ASCII letters, digits, `.`, `-` and `_`, and may not start with `.`.
//! * `route` (string, optional, may be `null` or absent): the route the plan was made for.
//! * `target`, `lanes`, `stages`: the [`Plan`]; validated as above.
//!
//! Unknown fields are refused (they are most likely typos).
//!
//! # Rollout steps
//!
//! [`to_rollout_steps`] turns the target's weights into Argo-Rollouts-style steps and
//! [`render_steps_yaml`] writes them as block YAML.

use std::fmt::{self, Write as _};

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::weights::{format_split, parse_split_unchecked, set_weight_policy, Policy, WeightError};

/// Every stage of a plan sums to this.
pub const PLAN_TOTAL: u32 = 100;

/// The version written to, and the only version read from, plan files.
pub const PLAN_FILE_VERSION: u64 = 1;

/// A staged plan: the lanes, the target lane, and one full split per stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Lane names, in route order (index 0 is the oldest).
    pub lanes: Vec<String>,
    /// The lane that gains traffic; one of `lanes`.
    pub target: String,
    /// One split per stage, each with one weight per lane.
    pub stages: Vec<Vec<u32>>,
}

/// A plan read back from a plan file, with the file's group and route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedPlan {
    /// The lane group the plan belongs to.
    pub group: String,
    /// The route the plan was made for, if recorded.
    pub route: Option<String>,
    /// The plan itself.
    pub plan: Plan,
}

/// Stages as written by the user, before they are turned into a [`Plan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stages {
    /// The target's weight per stage (`10,30,80,100`).
    Short(Vec<u32>),
    /// A full split per stage (`60:30:10,0:0:100`).
    Long(Vec<Vec<u32>>),
}

/// What is wrong with one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageProblem {
    /// The stage is empty (`10,,30`).
    Empty,
    /// A part is not a whole number.
    NotANumber(String),
    /// A weight is above 100.
    AboveTotal(u64),
    /// The weights do not sum to 100.
    Sum(u64),
    /// The stage has the wrong number of weights.
    Arity {
        /// Weights in the stage.
        got: usize,
        /// Lanes in the plan.
        expected: usize,
    },
    /// The target's weight is lower than at the previous stage.
    Decreases {
        /// The target lane.
        target: String,
        /// Its weight at the previous stage.
        from: u32,
        /// Its weight at this stage.
        to: u32,
    },
    /// The target's weight is lower than its current weight (short plans).
    BelowCurrent {
        /// The target lane.
        target: String,
        /// Its current weight.
        current: u32,
    },
    /// Short and long stages are mixed in one list.
    Mixed,
}

impl fmt::Display for StageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StageProblem::Empty => f.write_str("is empty"),
            StageProblem::NotANumber(p) => write!(f, "has `{p}`, which is not a whole number"),
            StageProblem::AboveTotal(w) => write!(f, "has weight {w}, above {PLAN_TOTAL}"),
            StageProblem::Sum(s) => write!(f, "sums to {s}, not {PLAN_TOTAL}"),
            StageProblem::Arity { got, expected } => write!(
                f,
                "has {got} weight{} but there {} {expected} lane{}",
                if *got == 1 { "" } else { "s" },
                if *expected == 1 { "is" } else { "are" },
                if *expected == 1 { "" } else { "s" },
            ),
            StageProblem::Decreases { target, from, to } => {
                write!(f, "lowers the target {target} from {from} to {to}")
            }
            StageProblem::BelowCurrent { target, current } => {
                write!(
                    f,
                    "lowers the target {target} below its current weight {current}"
                )
            }
            StageProblem::Mixed => f.write_str(
                "mixes the short form (a target weight such as 30) with the long form \
                 (a split such as 60:30:10)",
            ),
        }
    }
}

/// Errors of plan building, parsing and plan files.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlanError {
    /// No stages at all.
    #[error("the plan has no stages")]
    NoStages,
    /// No lanes at all.
    #[error("a plan needs at least one lane")]
    NoLanes,
    /// An empty lane name.
    #[error("lane names must not be empty")]
    EmptyLaneName,
    /// A lane listed twice.
    #[error("lane `{0}` is listed twice")]
    DuplicateLane(String),
    /// A target index past the lanes.
    #[error("target index {index} is out of range for {lanes} lane{}", if *lanes == 1 { "" } else { "s" })]
    TargetOutOfRange {
        /// The index asked for.
        index: usize,
        /// The number of lanes.
        lanes: usize,
    },
    /// A target that is not a lane.
    #[error("target `{target}` is not one of the lanes ({lanes})")]
    UnknownTarget {
        /// The target.
        target: String,
        /// The lanes, comma-separated.
        lanes: String,
    },
    /// One stage is invalid.
    #[error("stage {number} ({content}) {problem}")]
    Stage {
        /// 1-based stage number.
        number: usize,
        /// The stage as written (`60:30:10` or `30`).
        content: String,
        /// What is wrong.
        problem: StageProblem,
    },
    /// The last stage does not give the target everything.
    #[error("the plan ends with the target {target} at {weight}, not {PLAN_TOTAL} (stage {number}: {content})")]
    EndsBelowFull {
        /// The target lane.
        target: String,
        /// Its weight at the last stage.
        weight: u32,
        /// 1-based number of the last stage.
        number: usize,
        /// The last stage as written.
        content: String,
    },
    /// The current weights do not fit the lanes.
    #[error("the current split has {got} weight{} but there {} {expected} lane{}",
        if *got == 1 { "" } else { "s" }, if *expected == 1 { "is" } else { "are" },
        if *expected == 1 { "" } else { "s" })]
    CurrentArity {
        /// Current weights given.
        got: usize,
        /// Lanes in the plan.
        expected: usize,
    },
    /// The current weights are invalid.
    #[error("current weights: {0}")]
    Current(WeightError),
    /// A group name that cannot name a plan file.
    #[error("group name `{0}` cannot be used in a file name: use ASCII letters, digits, `.`, `-` and `_`, not starting with `.`")]
    InvalidGroup(String),
    /// The plan file is not JSON of the expected shape.
    #[error("plan file is not a valid lanes plan: {0}")]
    FileSyntax(String),
    /// The plan file has an unsupported version.
    #[error(
        "plan file version {0} is not supported; this lanes reads version {PLAN_FILE_VERSION}"
    )]
    FileVersion(String),
    /// The plan file was not written by lanes.
    #[error("plan file was created by {0}, not \"lanes\"")]
    FileNotLanes(String),
    /// The plan file's plan is invalid.
    #[error("plan file: {0}")]
    FilePlan(Box<PlanError>),
    /// A pause duration Argo Rollouts would not accept.
    #[error("pause duration `{0}` is not valid: expected whole seconds (30) or numbers with units s, m, h (30s, 1m30s, 2h)")]
    InvalidPause(String),
}

impl Plan {
    /// Index of the target in `lanes`, if it is there.
    pub fn target_index(&self) -> Option<usize> {
        self.lanes.iter().position(|l| *l == self.target)
    }

    /// The target's weight at each stage.
    pub fn target_weights(&self) -> Vec<u32> {
        match self.target_index() {
            Some(t) => self
                .stages
                .iter()
                .map(|s| s.get(t).copied().unwrap_or(0))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Check every rule listed in the module docs.
    pub fn validate(&self) -> Result<(), PlanError> {
        validate_lanes(&self.lanes)?;
        let t = self
            .target_index()
            .ok_or_else(|| PlanError::UnknownTarget {
                target: self.target.clone(),
                lanes: self.lanes.join(", "),
            })?;
        validate_stages(&self.lanes, t, &self.stages, format_split)
    }

    /// Write the plan file for `group` (see the module docs). The plan and group are validated.
    pub fn to_file_string(&self, group: &str, route: Option<&str>) -> Result<String, PlanError> {
        check_group(group)?;
        self.validate()?;
        let q = |s: &str| serde_json::to_string(s).expect("strings serialize");
        let mut out = String::new();
        out.push_str("{\n");
        let _ = writeln!(out, "  \"version\": {PLAN_FILE_VERSION},");
        out.push_str("  \"created_by\": \"lanes\",\n");
        let _ = writeln!(out, "  \"group\": {},", q(group));
        if let Some(r) = route {
            let _ = writeln!(out, "  \"route\": {},", q(r));
        }
        let _ = writeln!(out, "  \"target\": {},", q(&self.target));
        let lanes: Vec<String> = self.lanes.iter().map(|l| q(l)).collect();
        let _ = writeln!(out, "  \"lanes\": [{}],", lanes.join(", "));
        out.push_str("  \"stages\": [\n");
        for (i, s) in self.stages.iter().enumerate() {
            let ws: Vec<String> = s.iter().map(u32::to_string).collect();
            let comma = if i + 1 < self.stages.len() { "," } else { "" };
            let _ = writeln!(out, "    [{}]{comma}", ws.join(", "));
        }
        out.push_str("  ]\n}\n");
        Ok(out)
    }

    /// Read a plan file (see the module docs), checking version, origin, group and plan.
    pub fn from_file_str(s: &str) -> Result<SavedPlan, PlanError> {
        let value: serde_json::Value =
            serde_json::from_str(s).map_err(|e| PlanError::FileSyntax(e.to_string()))?;
        let obj = value
            .as_object()
            .ok_or_else(|| PlanError::FileSyntax("expected a JSON object".to_string()))?;
        match obj.get("version") {
            None => return Err(PlanError::FileSyntax("missing field `version`".to_string())),
            Some(v) if v.as_u64() == Some(PLAN_FILE_VERSION) => {}
            Some(v) => return Err(PlanError::FileVersion(v.to_string())),
        }
        match obj.get("created_by") {
            Some(serde_json::Value::String(c)) if c == "lanes" => {}
            Some(v) => return Err(PlanError::FileNotLanes(v.to_string())),
            None => {
                return Err(PlanError::FileSyntax(
                    "missing field `created_by`".to_string(),
                ))
            }
        }
        let raw: RawPlanFile =
            serde_json::from_value(value).map_err(|e| PlanError::FileSyntax(e.to_string()))?;
        check_group(&raw.group)?;
        let plan = Plan {
            lanes: raw.lanes,
            target: raw.target,
            stages: raw.stages,
        };
        plan.validate()
            .map_err(|e| PlanError::FilePlan(Box::new(e)))?;
        Ok(SavedPlan {
            group: raw.group,
            route: raw.route,
            plan,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanFile {
    #[allow(dead_code)]
    version: u64,
    #[allow(dead_code)]
    created_by: String,
    group: String,
    #[serde(default)]
    route: Option<String>,
    target: String,
    lanes: Vec<String>,
    stages: Vec<Vec<u32>>,
}

fn check_group(group: &str) -> Result<(), PlanError> {
    let ok = !group.is_empty()
        && !group.starts_with('.')
        && group
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(PlanError::InvalidGroup(group.to_string()))
    }
}

/// The path of a group's plan file relative to the repository root:
/// `.lanes/plan-<group>.json`. The group name is checked (see the module docs).
pub fn plan_file_path(group: &str) -> Result<String, PlanError> {
    check_group(group)?;
    Ok(format!(".lanes/plan-{group}.json"))
}

fn validate_lanes(lanes: &[String]) -> Result<(), PlanError> {
    if lanes.is_empty() {
        return Err(PlanError::NoLanes);
    }
    for (i, l) in lanes.iter().enumerate() {
        if l.is_empty() {
            return Err(PlanError::EmptyLaneName);
        }
        if lanes[..i].contains(l) {
            return Err(PlanError::DuplicateLane(l.clone()));
        }
    }
    Ok(())
}

fn stage_err(number: usize, content: String, problem: StageProblem) -> PlanError {
    PlanError::Stage {
        number,
        content,
        problem,
    }
}

/// Validate full-split stages; `content` renders a stage as the user wrote it.
fn validate_stages(
    lanes: &[String],
    target: usize,
    stages: &[Vec<u32>],
    content: impl Fn(&[u32]) -> String,
) -> Result<(), PlanError> {
    if stages.is_empty() {
        return Err(PlanError::NoStages);
    }
    let mut prev: Option<u32> = None;
    for (i, s) in stages.iter().enumerate() {
        let number = i + 1;
        if s.len() != lanes.len() {
            return Err(stage_err(
                number,
                content(s),
                StageProblem::Arity {
                    got: s.len(),
                    expected: lanes.len(),
                },
            ));
        }
        if let Some(&w) = s.iter().find(|&&w| w > PLAN_TOTAL) {
            return Err(stage_err(
                number,
                content(s),
                StageProblem::AboveTotal(u64::from(w)),
            ));
        }
        let sum: u64 = s.iter().map(|&w| u64::from(w)).sum();
        if sum != u64::from(PLAN_TOTAL) {
            return Err(stage_err(number, content(s), StageProblem::Sum(sum)));
        }
        let w = s[target];
        if let Some(p) = prev {
            if w < p {
                return Err(stage_err(
                    number,
                    content(s),
                    StageProblem::Decreases {
                        target: lanes[target].clone(),
                        from: p,
                        to: w,
                    },
                ));
            }
        }
        prev = Some(w);
    }
    let last = stages.last().expect("non-empty");
    if last[target] != PLAN_TOTAL {
        return Err(PlanError::EndsBelowFull {
            target: lanes[target].clone(),
            weight: last[target],
            number: stages.len(),
            content: content(last),
        });
    }
    Ok(())
}

fn check_target(lanes: &[String], target_index: usize) -> Result<(), PlanError> {
    validate_lanes(lanes)?;
    if target_index >= lanes.len() {
        return Err(PlanError::TargetOutOfRange {
            index: target_index,
            lanes: lanes.len(),
        });
    }
    Ok(())
}

/// Parse a stage list: `10,30,80,100` (short) or `60:30:10,40:30:30,0:0:100` (long).
///
/// A list is long if any stage contains `:`; then every stage must. Spaces around stages and
/// weights are allowed. Only syntax and weights above 100 are checked here; the plan rules
/// (sums, arity, order) are checked by [`plan_short`] and [`plan_long`].
pub fn parse_stages(s: &str) -> Result<Stages, PlanError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(PlanError::NoStages);
    }
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let long = parts.iter().any(|p| p.contains(':'));
    let mut short_out = Vec::new();
    let mut long_out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let number = i + 1;
        if part.is_empty() {
            return Err(stage_err(number, String::new(), StageProblem::Empty));
        }
        if long && !part.contains(':') {
            return Err(stage_err(number, part.to_string(), StageProblem::Mixed));
        }
        let weights = parse_split_unchecked(part, PLAN_TOTAL).map_err(|e| {
            let problem = match e {
                WeightError::AboveTotal { weight, .. } => StageProblem::AboveTotal(weight),
                WeightError::NotANumber { part, .. } => StageProblem::NotANumber(part),
                _ => StageProblem::Empty,
            };
            stage_err(number, part.to_string(), problem)
        })?;
        if long {
            long_out.push(weights);
        } else {
            short_out.push(weights[0]);
        }
    }
    Ok(if long {
        Stages::Long(long_out)
    } else {
        Stages::Short(short_out)
    })
}

/// Build a plan from the target's weight per stage.
///
/// Each stage sets the target to its weight and computes the others from the **current**
/// weights by `policy` (not from the previous stage, so rounding never accumulates). The
/// target's weights must not decrease, must not go below its current weight, and must end at
/// 100. `current` must have one weight per lane and sum to 100 (or be all zeros).
pub fn plan_short(
    lanes: &[String],
    current: &[u32],
    target_index: usize,
    target_weights: &[u32],
    policy: Policy,
) -> Result<Plan, PlanError> {
    check_target(lanes, target_index)?;
    if current.len() != lanes.len() {
        return Err(PlanError::CurrentArity {
            got: current.len(),
            expected: lanes.len(),
        });
    }
    if target_weights.is_empty() {
        return Err(PlanError::NoStages);
    }
    let target = &lanes[target_index];
    let cur = current[target_index];
    let mut stages = Vec::with_capacity(target_weights.len());
    for (i, &w) in target_weights.iter().enumerate() {
        let number = i + 1;
        if w > PLAN_TOTAL {
            return Err(stage_err(
                number,
                w.to_string(),
                StageProblem::AboveTotal(u64::from(w)),
            ));
        }
        if w < cur {
            return Err(stage_err(
                number,
                w.to_string(),
                StageProblem::BelowCurrent {
                    target: target.clone(),
                    current: cur,
                },
            ));
        }
        let split = set_weight_policy(current, target_index, w, PLAN_TOTAL, policy)
            .map_err(PlanError::Current)?;
        stages.push(split);
    }
    validate_stages(lanes, target_index, &stages, |s| {
        s[target_index].to_string()
    })?;
    Ok(Plan {
        lanes: lanes.to_vec(),
        target: target.clone(),
        stages,
    })
}

/// Build a plan from full splits, validating every rule listed in the module docs.
pub fn plan_long(
    lanes: &[String],
    target_index: usize,
    stages: &[Vec<u32>],
) -> Result<Plan, PlanError> {
    check_target(lanes, target_index)?;
    validate_stages(lanes, target_index, stages, format_split)?;
    Ok(Plan {
        lanes: lanes.to_vec(),
        target: lanes[target_index].clone(),
        stages: stages.to_vec(),
    })
}

/// Build a plan from parsed [`Stages`] of either form (`current` and `policy` are only used
/// by the short form).
pub fn plan_from_stages(
    lanes: &[String],
    current: &[u32],
    target_index: usize,
    stages: &Stages,
    policy: Policy,
) -> Result<Plan, PlanError> {
    match stages {
        Stages::Short(ws) => plan_short(lanes, current, target_index, ws, policy),
        Stages::Long(ss) => plan_long(lanes, target_index, ss),
    }
}

/// The stage to apply next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum NextStage {
    /// Apply this stage.
    Stage {
        /// 1-based stage number.
        number: usize,
        /// The split to apply.
        weights: Vec<u32>,
    },
    /// The current weights are the last stage; nothing is left to do.
    Done,
}

/// Find the stage after the current weights.
///
/// If `current` equals a stage exactly, the next one is the stage after it (after the *last*
/// such stage, if a stage is repeated); when that is the last stage, the plan is
/// [`NextStage::Done`]. Otherwise the next stage is the first one whose target weight is
/// strictly greater than the current target weight, or `Done` if there is none.
pub fn next_stage(plan: &Plan, current: &[u32]) -> Result<NextStage, PlanError> {
    if current.len() != plan.lanes.len() {
        return Err(PlanError::CurrentArity {
            got: current.len(),
            expected: plan.lanes.len(),
        });
    }
    let t = plan
        .target_index()
        .ok_or_else(|| PlanError::UnknownTarget {
            target: plan.target.clone(),
            lanes: plan.lanes.join(", "),
        })?;
    let idx = match plan.stages.iter().rposition(|s| s.as_slice() == current) {
        Some(i) => i + 1,
        None => match plan
            .stages
            .iter()
            .position(|s| s.get(t).copied().unwrap_or(0) > current[t])
        {
            Some(i) => i,
            None => return Ok(NextStage::Done),
        },
    };
    Ok(match plan.stages.get(idx) {
        Some(s) => NextStage::Stage {
            number: idx + 1,
            weights: s.clone(),
        },
        None => NextStage::Done,
    })
}

/// Width of a share bar in [`render_table`].
pub const BAR_WIDTH: usize = 10;

/// A share bar of [`BAR_WIDTH`] cells: rounded half up, but a non-zero share shows at least one
/// full cell and a share below 100 at least one empty cell.
pub fn share_bar(weight: u32, total: u32) -> String {
    let w = u64::from(weight.min(total));
    let t = u64::from(total.max(1));
    let cells = BAR_WIDTH as u64;
    let mut full = (w * cells * 2 + t) / (2 * t);
    if w > 0 {
        full = full.max(1);
    }
    if w < t {
        full = full.min(cells - 1);
    }
    let full = full as usize;
    format!("{}{}", "█".repeat(full), "░".repeat(BAR_WIDTH - full))
}

/// Render a plan as a text table: one row per stage, one column per lane (the target marked
/// `(target)`), each cell a share bar and the weight. Every row has the same width; lines end
/// with `\n` and carry no trailing spaces.
pub fn render_table(plan: &Plan) -> String {
    const CELL: usize = BAR_WIDTH + 4; // bar, space, weight right-aligned in 3
    let headers: Vec<String> = plan
        .lanes
        .iter()
        .map(|l| {
            if *l == plan.target {
                format!("{l} (target)")
            } else {
                l.clone()
            }
        })
        .collect();
    let widths: Vec<usize> = headers
        .iter()
        .map(|h| h.chars().count().max(CELL))
        .collect();
    let mut out = String::new();
    let mut line = format!("{:<5}", "stage");
    for (h, w) in headers.iter().zip(&widths) {
        line.push_str("  ");
        line.push_str(h);
        line.push_str(&" ".repeat(w - h.chars().count()));
    }
    out.push_str(line.trim_end());
    out.push('\n');
    for (i, s) in plan.stages.iter().enumerate() {
        let mut line = format!("{:>5}", i + 1);
        for (k, w) in widths.iter().enumerate() {
            let weight = s.get(k).copied().unwrap_or(0);
            let cell = format!("{} {:>3}", share_bar(weight, PLAN_TOTAL), weight);
            line.push_str("  ");
            line.push_str(&cell);
            line.push_str(&" ".repeat(w - CELL));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One Argo-Rollouts-style canary step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RolloutStep {
    /// `setWeight: n`.
    SetWeight(u32),
    /// `pause: {}` (manual, `None`) or `pause: {duration: d}`.
    Pause(Option<String>),
}

impl Serialize for RolloutStep {
    /// Serializes as Argo does: `{"setWeight": 10}`, `{"pause": {}}`,
    /// `{"pause": {"duration": "20s"}}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Pause<'a>(&'a Option<String>);
        impl Serialize for Pause<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut m = serializer.serialize_map(Some(usize::from(self.0.is_some())))?;
                if let Some(d) = self.0 {
                    m.serialize_entry("duration", d)?;
                }
                m.end()
            }
        }
        let mut m = serializer.serialize_map(Some(1))?;
        match self {
            RolloutStep::SetWeight(w) => m.serialize_entry("setWeight", w)?,
            RolloutStep::Pause(d) => m.serialize_entry("pause", &Pause(d))?,
        }
        m.end()
    }
}

/// Turn the target's weight per stage into steps: each stage is `setWeight` followed by a
/// pause, except that no pause follows a final weight of 100.
///
/// Pauses last `pause` (e.g. `"20s"`), or are manual (`pause: {}`) when `pause` is `None`.
/// With `manual_first`, the pause after the first step is manual whatever `pause` says.
pub fn to_rollout_steps(
    target_weights: &[u32],
    pause: Option<&str>,
    manual_first: bool,
) -> Vec<RolloutStep> {
    let mut steps = Vec::with_capacity(target_weights.len() * 2);
    for (i, &w) in target_weights.iter().enumerate() {
        steps.push(RolloutStep::SetWeight(w));
        let last = i + 1 == target_weights.len();
        if last && w >= PLAN_TOTAL {
            continue;
        }
        let d = if i == 0 && manual_first {
            None
        } else {
            pause.map(str::to_string)
        };
        steps.push(RolloutStep::Pause(d));
    }
    steps
}

/// Check a pause duration: whole seconds (`30`) or number-unit pairs with units `s`, `m`,
/// `h` (`30s`, `1m30s`, `2h`).
pub fn validate_pause_duration(s: &str) -> Result<(), PlanError> {
    let bad = || PlanError::InvalidPause(s.to_string());
    if s.is_empty() {
        return Err(bad());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let mut digits = 0;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b's' | b'm' | b'h' if digits > 0 => digits = 0,
            _ => return Err(bad()),
        }
    }
    if digits > 0 {
        return Err(bad());
    }
    Ok(())
}

/// A pause duration as a YAML scalar: plain when it is letters and digits starting with a
/// digit, otherwise double-quoted.
fn yaml_duration(d: &str) -> String {
    let plain = d.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && d.bytes().all(|b| b.is_ascii_alphanumeric());
    if plain {
        d.to_string()
    } else {
        serde_json::to_string(d).expect("strings serialize")
    }
}

/// Render steps as block YAML sequence items, each line indented by `indent` spaces:
///
/// ```text
/// - setWeight: 10
/// - pause: {}
/// - setWeight: 20
/// - pause:
///     duration: 20s
/// ```
pub fn render_steps_yaml(steps: &[RolloutStep], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for s in steps {
        match s {
            RolloutStep::SetWeight(w) => {
                let _ = writeln!(out, "{pad}- setWeight: {w}");
            }
            RolloutStep::Pause(None) => {
                let _ = writeln!(out, "{pad}- pause: {{}}");
            }
            RolloutStep::Pause(Some(d)) => {
                let _ = writeln!(out, "{pad}- pause:");
                let _ = writeln!(out, "{pad}    duration: {}", yaml_duration(d));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lanes(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn v123() -> Vec<String> {
        lanes(&["v1", "v2", "v3"])
    }

    #[test]
    fn parse_stages_short_and_long() {
        assert_eq!(
            parse_stages("10,30,80,100").unwrap(),
            Stages::Short(vec![10, 30, 80, 100])
        );
        assert_eq!(
            parse_stages(" 10 , 30 ,100 ").unwrap(),
            Stages::Short(vec![10, 30, 100])
        );
        assert_eq!(
            parse_stages("60:30:10,40:30:30,10:10:80,0:0:100").unwrap(),
            Stages::Long(vec![
                vec![60, 30, 10],
                vec![40, 30, 30],
                vec![10, 10, 80],
                vec![0, 0, 100]
            ])
        );
    }

    #[test]
    fn parse_stages_errors() {
        assert_eq!(parse_stages("  "), Err(PlanError::NoStages));
        assert_eq!(
            parse_stages("10,,100").unwrap_err().to_string(),
            "stage 2 () is empty"
        );
        assert_eq!(
            parse_stages("10,abc,100").unwrap_err().to_string(),
            "stage 2 (abc) has `abc`, which is not a whole number"
        );
        assert_eq!(
            parse_stages("10,120").unwrap_err().to_string(),
            "stage 2 (120) has weight 120, above 100"
        );
        assert_eq!(
            parse_stages("60:40,100").unwrap_err().to_string(),
            "stage 2 (100) mixes the short form (a target weight such as 30) with the long form (a split such as 60:30:10)"
        );
        assert_eq!(
            parse_stages("60:x:40,0:0:100").unwrap_err().to_string(),
            "stage 1 (60:x:40) has `x`, which is not a whole number"
        );
        assert_eq!(
            parse_stages("60:40,0:").unwrap_err().to_string(),
            "stage 2 (0:) has ``, which is not a whole number"
        );
    }

    #[test]
    fn short_plan_proportional() {
        let p = plan_short(
            &v123(),
            &[60, 30, 10],
            2,
            &[10, 30, 80, 100],
            Policy::Proportional,
        )
        .unwrap();
        assert_eq!(p.target, "v3");
        assert_eq!(
            p.stages,
            vec![
                vec![60, 30, 10],
                vec![47, 23, 30],
                vec![13, 7, 80],
                vec![0, 0, 100]
            ]
        );
        assert_eq!(p.target_weights(), vec![10, 30, 80, 100]);
        assert!(p.validate().is_ok());
    }

    #[test]
    fn short_plan_oldest_first() {
        let p = plan_short(
            &v123(),
            &[60, 30, 10],
            2,
            &[30, 80, 100],
            Policy::OldestFirst,
        )
        .unwrap();
        assert_eq!(
            p.stages,
            vec![vec![40, 30, 30], vec![0, 20, 80], vec![0, 0, 100]]
        );
    }

    #[test]
    fn short_plan_new_lane_from_zero() {
        let p = plan_short(
            &lanes(&["stable", "canary"]),
            &[100, 0],
            1,
            &[5, 50, 100],
            Policy::Proportional,
        )
        .unwrap();
        assert_eq!(p.stages, vec![vec![95, 5], vec![50, 50], vec![0, 100]]);
    }

    #[test]
    fn short_plan_errors() {
        let l = v123();
        let p = Policy::Proportional;
        assert_eq!(
            plan_short(&l, &[60, 30, 10], 2, &[30, 20, 100], p)
                .unwrap_err()
                .to_string(),
            "stage 2 (20) lowers the target v3 from 30 to 20"
        );
        assert_eq!(
            plan_short(&l, &[60, 10, 30], 2, &[10, 100], p)
                .unwrap_err()
                .to_string(),
            "stage 1 (10) lowers the target v3 below its current weight 30"
        );
        assert_eq!(
            plan_short(&l, &[60, 30, 10], 2, &[30, 80], p)
                .unwrap_err()
                .to_string(),
            "the plan ends with the target v3 at 80, not 100 (stage 2: 80)"
        );
        assert_eq!(
            plan_short(&l, &[60, 40], 2, &[100], p)
                .unwrap_err()
                .to_string(),
            "the current split has 2 weights but there are 3 lanes"
        );
        assert_eq!(
            plan_short(&l, &[60, 30, 20], 2, &[100], p)
                .unwrap_err()
                .to_string(),
            "current weights: split 60:30:20 sums to 110, not 100"
        );
        assert_eq!(
            plan_short(&l, &[60, 30, 10], 3, &[100], p)
                .unwrap_err()
                .to_string(),
            "target index 3 is out of range for 3 lanes"
        );
        assert_eq!(
            plan_short(&l, &[60, 30, 10], 2, &[], p).unwrap_err(),
            PlanError::NoStages
        );
        assert_eq!(
            plan_short(&l, &[60, 30, 10], 2, &[150], p)
                .unwrap_err()
                .to_string(),
            "stage 1 (150) has weight 150, above 100"
        );
        assert_eq!(
            plan_short(&lanes(&["a", "a"]), &[50, 50], 1, &[100], p)
                .unwrap_err()
                .to_string(),
            "lane `a` is listed twice"
        );
        assert_eq!(
            plan_short(&[], &[], 0, &[100], p).unwrap_err(),
            PlanError::NoLanes
        );
        assert_eq!(
            plan_short(&lanes(&["a", ""]), &[50, 50], 0, &[100], p).unwrap_err(),
            PlanError::EmptyLaneName
        );
    }

    #[test]
    fn long_plan_ok() {
        let stages = match parse_stages("60:30:10,40:30:30,10:10:80,0:0:100").unwrap() {
            Stages::Long(s) => s,
            other => panic!("{other:?}"),
        };
        let p = plan_long(&v123(), 2, &stages).unwrap();
        assert_eq!(p.stages.len(), 4);
        assert_eq!(p.target, "v3");
        // A repeated target weight is allowed (others may move between stages).
        assert!(plan_long(
            &v123(),
            2,
            &[vec![50, 20, 30], vec![20, 50, 30], vec![0, 0, 100]]
        )
        .is_ok());
    }

    #[test]
    fn long_plan_errors() {
        let l = v123();
        let e = |stages: &[Vec<u32>]| plan_long(&l, 2, stages).unwrap_err().to_string();
        assert_eq!(
            e(&[vec![60, 30, 10], vec![40, 30, 40], vec![0, 0, 100]]),
            "stage 2 (40:30:40) sums to 110, not 100"
        );
        assert_eq!(
            e(&[vec![60, 30, 10], vec![10, 90], vec![0, 0, 100]]),
            "stage 2 (10:90) has 2 weights but there are 3 lanes"
        );
        assert_eq!(
            e(&[vec![60, 10, 30], vec![50, 30, 20], vec![0, 0, 100]]),
            "stage 2 (50:30:20) lowers the target v3 from 30 to 20"
        );
        assert_eq!(
            e(&[vec![60, 30, 10], vec![10, 10, 80]]),
            "the plan ends with the target v3 at 80, not 100 (stage 2: 10:10:80)"
        );
        assert_eq!(e(&[]), "the plan has no stages");
        assert_eq!(
            e(&[vec![0, 0, 101]]),
            "stage 1 (0:0:101) has weight 101, above 100"
        );
        assert_eq!(
            plan_long(&l, 7, &[vec![0, 0, 100]])
                .unwrap_err()
                .to_string(),
            "target index 7 is out of range for 3 lanes"
        );
    }

    #[test]
    fn plan_from_stages_dispatches() {
        let l = v123();
        let short = parse_stages("50,100").unwrap();
        let long = parse_stages("25:25:50,0:0:100").unwrap();
        let a = plan_from_stages(&l, &[50, 50, 0], 2, &short, Policy::Proportional).unwrap();
        let b = plan_from_stages(&l, &[50, 50, 0], 2, &long, Policy::Proportional).unwrap();
        assert_eq!(a, b);
    }

    fn sample() -> Plan {
        plan_long(
            &v123(),
            2,
            &[
                vec![60, 30, 10],
                vec![40, 30, 30],
                vec![10, 10, 80],
                vec![0, 0, 100],
            ],
        )
        .unwrap()
    }

    #[test]
    fn next_stage_exact_match() {
        let p = sample();
        assert_eq!(
            next_stage(&p, &[60, 30, 10]).unwrap(),
            NextStage::Stage {
                number: 2,
                weights: vec![40, 30, 30]
            }
        );
        assert_eq!(
            next_stage(&p, &[10, 10, 80]).unwrap(),
            NextStage::Stage {
                number: 4,
                weights: vec![0, 0, 100]
            }
        );
        assert_eq!(next_stage(&p, &[0, 0, 100]).unwrap(), NextStage::Done);
    }

    #[test]
    fn next_stage_no_match() {
        let p = sample();
        // Before the plan starts.
        assert_eq!(
            next_stage(&p, &[70, 30, 0]).unwrap(),
            NextStage::Stage {
                number: 1,
                weights: vec![60, 30, 10]
            }
        );
        // Hand-edited between stages: first stage with a larger target weight.
        assert_eq!(
            next_stage(&p, &[35, 35, 30]).unwrap(),
            NextStage::Stage {
                number: 3,
                weights: vec![10, 10, 80]
            }
        );
        assert_eq!(
            next_stage(&p, &[50, 25, 25]).unwrap(),
            NextStage::Stage {
                number: 2,
                weights: vec![40, 30, 30]
            }
        );
        assert_eq!(
            next_stage(&p, &[60, 30]).unwrap_err().to_string(),
            "the current split has 2 weights but there are 3 lanes"
        );
    }

    #[test]
    fn next_stage_repeated_stage_uses_last_match() {
        let p = plan_long(
            &lanes(&["a", "b"]),
            1,
            &[vec![90, 10], vec![90, 10], vec![0, 100]],
        )
        .unwrap();
        assert_eq!(
            next_stage(&p, &[90, 10]).unwrap(),
            NextStage::Stage {
                number: 3,
                weights: vec![0, 100]
            }
        );
    }

    #[test]
    fn table_renders() {
        let t = render_table(&sample());
        let expected = "\
stage  v1              v2              v3 (target)
    1  ██████░░░░  60  ███░░░░░░░  30  █░░░░░░░░░  10
    2  ████░░░░░░  40  ███░░░░░░░  30  ███░░░░░░░  30
    3  █░░░░░░░░░  10  █░░░░░░░░░  10  ████████░░  80
    4  ░░░░░░░░░░   0  ░░░░░░░░░░   0  ██████████ 100
";
        assert_eq!(t, expected);
        let widths: Vec<usize> = t.lines().skip(1).map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|&w| w == widths[0]));
    }

    #[test]
    fn table_long_lane_names_keep_columns() {
        let p = plan_long(
            &lanes(&["reviews-v1-long-name", "b"]),
            1,
            &[vec![99, 1], vec![0, 100]],
        )
        .unwrap();
        let t = render_table(&p);
        let expected = "\
stage  reviews-v1-long-name  b (target)
    1  █████████░  99        █░░░░░░░░░   1
    2  ░░░░░░░░░░   0        ██████████ 100
";
        assert_eq!(t, expected);
    }

    #[test]
    fn share_bars() {
        assert_eq!(share_bar(0, 100), "░░░░░░░░░░");
        assert_eq!(share_bar(1, 100), "█░░░░░░░░░");
        assert_eq!(share_bar(5, 100), "█░░░░░░░░░");
        assert_eq!(share_bar(15, 100), "██░░░░░░░░");
        assert_eq!(share_bar(40, 100), "████░░░░░░");
        assert_eq!(share_bar(99, 100), "█████████░");
        assert_eq!(share_bar(100, 100), "██████████");
    }

    #[test]
    fn plan_serializes_to_json() {
        let json = serde_json::to_string(&sample()).unwrap();
        assert_eq!(
            json,
            r#"{"lanes":["v1","v2","v3"],"target":"v3","stages":[[60,30,10],[40,30,30],[10,10,80],[0,0,100]]}"#
        );
        let n = serde_json::to_string(&NextStage::Stage {
            number: 2,
            weights: vec![40, 60],
        })
        .unwrap();
        assert_eq!(n, r#"{"status":"stage","number":2,"weights":[40,60]}"#);
        assert_eq!(
            serde_json::to_string(&NextStage::Done).unwrap(),
            r#"{"status":"done"}"#
        );
    }

    #[test]
    fn file_roundtrip() {
        let p = sample();
        let text = p.to_file_string("reviews", Some("reviews-vs")).unwrap();
        let expected = r#"{
  "version": 1,
  "created_by": "lanes",
  "group": "reviews",
  "route": "reviews-vs",
  "target": "v3",
  "lanes": ["v1", "v2", "v3"],
  "stages": [
    [60, 30, 10],
    [40, 30, 30],
    [10, 10, 80],
    [0, 0, 100]
  ]
}
"#;
        assert_eq!(text, expected);
        let back = Plan::from_file_str(&text).unwrap();
        assert_eq!(back.group, "reviews");
        assert_eq!(back.route.as_deref(), Some("reviews-vs"));
        assert_eq!(back.plan, p);

        let no_route = p.to_file_string("reviews", None).unwrap();
        assert!(!no_route.contains("route"));
        assert_eq!(Plan::from_file_str(&no_route).unwrap().route, None);
        // Names that need escaping survive.
        let odd = plan_long(&lanes(&["a\"b", "c\\d"]), 1, &[vec![0, 100]]).unwrap();
        let t = odd.to_file_string("g", None).unwrap();
        assert_eq!(Plan::from_file_str(&t).unwrap().plan, odd);
    }

    #[test]
    fn file_errors() {
        let e = |s: &str| Plan::from_file_str(s).unwrap_err().to_string();
        assert!(e("not json").starts_with("plan file is not a valid lanes plan: "));
        assert_eq!(
            e("[]"),
            "plan file is not a valid lanes plan: expected a JSON object"
        );
        assert_eq!(
            e(r#"{"created_by":"lanes"}"#),
            "plan file is not a valid lanes plan: missing field `version`"
        );
        assert_eq!(
            e(r#"{"version":2,"whatever":true}"#),
            "plan file version 2 is not supported; this lanes reads version 1"
        );
        assert_eq!(
            e(r#"{"version":"1"}"#),
            "plan file version \"1\" is not supported; this lanes reads version 1"
        );
        assert_eq!(
            e(r#"{"version":1,"created_by":"kubectl"}"#),
            "plan file was created by \"kubectl\", not \"lanes\""
        );
        assert_eq!(
            e(r#"{"version":1}"#),
            "plan file is not a valid lanes plan: missing field `created_by`"
        );
        let base = r#"{"version":1,"created_by":"lanes","group":"g","target":"b","lanes":["a","b"],"stages":[[0,100]]"#;
        assert!(Plan::from_file_str(&format!("{base}}}")).is_ok());
        assert!(e(&format!("{base},\"stagez\":1}}")).contains("unknown field `stagez`"));
        assert_eq!(
            e(
                r#"{"version":1,"created_by":"lanes","group":"g","target":"c","lanes":["a","b"],"stages":[[0,100]]}"#
            ),
            "plan file: target `c` is not one of the lanes (a, b)"
        );
        assert_eq!(
            e(
                r#"{"version":1,"created_by":"lanes","group":"g","target":"b","lanes":["a","b"],"stages":[[10,90],[20,70]]}"#
            ),
            "plan file: stage 2 (20:70) sums to 90, not 100"
        );
        assert!(e(
            r#"{"version":1,"created_by":"lanes","group":"g","lanes":["a","b"],"stages":[[0,100]]}"#
        )
        .contains("missing field `target`"));
        assert!(e(r#"{"version":1,"created_by":"lanes","group":"g","target":"b","lanes":["a","b"],"stages":[[-1,101]]}"#)
            .starts_with("plan file is not a valid lanes plan: "));
        assert_eq!(
            e(r#"{"version":1,"created_by":"lanes","group":"../x","target":"b","lanes":["a","b"],"stages":[[0,100]]}"#),
            "group name `../x` cannot be used in a file name: use ASCII letters, digits, `.`, `-` and `_`, not starting with `.`"
        );
    }

    #[test]
    fn file_path_and_group_check() {
        assert_eq!(
            plan_file_path("reviews").unwrap(),
            ".lanes/plan-reviews.json"
        );
        assert_eq!(
            plan_file_path("a.b-c_1").unwrap(),
            ".lanes/plan-a.b-c_1.json"
        );
        for bad in ["", ".hidden", "a/b", "a b", "ü"] {
            assert_eq!(
                plan_file_path(bad),
                Err(PlanError::InvalidGroup(bad.to_string()))
            );
        }
        assert!(sample().to_file_string("a/b", None).is_err());
        let mut broken = sample();
        broken.stages[1] = vec![1, 2, 3];
        assert_eq!(
            broken.to_file_string("g", None).unwrap_err().to_string(),
            "stage 2 (1:2:3) sums to 6, not 100"
        );
    }

    #[test]
    fn rollout_steps_seed_pattern() {
        let steps = to_rollout_steps(&[10, 20, 50, 100], Some("20s"), true);
        use RolloutStep::*;
        assert_eq!(
            steps,
            vec![
                SetWeight(10),
                Pause(None),
                SetWeight(20),
                Pause(Some("20s".into())),
                SetWeight(50),
                Pause(Some("20s".into())),
                SetWeight(100),
            ]
        );
        assert_eq!(
            render_steps_yaml(&steps[..4], 0),
            "- setWeight: 10\n- pause: {}\n- setWeight: 20\n- pause:\n    duration: 20s\n"
        );
        assert_eq!(
            render_steps_yaml(&steps[..4], 4),
            "    - setWeight: 10\n    - pause: {}\n    - setWeight: 20\n    - pause:\n        duration: 20s\n"
        );
    }

    #[test]
    fn rollout_steps_variants() {
        use RolloutStep::*;
        // No duration: every pause is manual.
        assert_eq!(
            to_rollout_steps(&[50, 100], None, false),
            vec![SetWeight(50), Pause(None), SetWeight(100)]
        );
        // Not manual first: timed pause after the first step too.
        assert_eq!(
            to_rollout_steps(&[50, 100], Some("1m"), false),
            vec![SetWeight(50), Pause(Some("1m".into())), SetWeight(100)]
        );
        // A final weight below 100 keeps its pause; a 100 in the middle keeps its pause.
        assert_eq!(
            to_rollout_steps(&[100, 50], Some("5m"), false),
            vec![
                SetWeight(100),
                Pause(Some("5m".into())),
                SetWeight(50),
                Pause(Some("5m".into()))
            ]
        );
        assert_eq!(to_rollout_steps(&[], Some("5m"), true), vec![]);
        assert_eq!(
            to_rollout_steps(&[100], Some("5m"), true),
            vec![SetWeight(100)]
        );
    }

    #[test]
    fn rollout_steps_yaml_and_json() {
        use RolloutStep::*;
        assert_eq!(
            render_steps_yaml(&[Pause(Some("1h: x".into())), Pause(Some("30".into()))], 2),
            "  - pause:\n      duration: \"1h: x\"\n  - pause:\n      duration: 30\n"
        );
        assert_eq!(render_steps_yaml(&[], 2), "");
        let json = serde_json::to_string(&[SetWeight(10), Pause(None), Pause(Some("20s".into()))])
            .unwrap();
        assert_eq!(
            json,
            r#"[{"setWeight":10},{"pause":{}},{"pause":{"duration":"20s"}}]"#
        );
    }

    #[test]
    fn pause_durations() {
        for ok in ["30", "30s", "1m30s", "2h", "1h5m10s", "0s"] {
            assert!(validate_pause_duration(ok).is_ok(), "{ok}");
        }
        for bad in ["", "s", "30x", "1.5m", "30s5", "-1s", "m30"] {
            assert_eq!(
                validate_pause_duration(bad),
                Err(PlanError::InvalidPause(bad.to_string())),
                "{bad}"
            );
        }
        assert_eq!(
            validate_pause_duration("1d").unwrap_err().to_string(),
            "pause duration `1d` is not valid: expected whole seconds (30) or numbers with units s, m, h (30s, 1m30s, 2h)"
        );
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use crate::weights::largest_remainder;
    use proptest::prelude::*;

    fn current(n: usize) -> impl Strategy<Value = Vec<u32>> {
        prop::collection::vec(0u64..100, n).prop_map(|s| largest_remainder(&s, PLAN_TOTAL))
    }

    fn setup() -> impl Strategy<Value = (Vec<String>, Vec<u32>, usize, Vec<u32>, Policy)> {
        (2usize..5).prop_flat_map(|n| {
            (
                current(n),
                0..n,
                prop::collection::vec(0u32..=100, 0..5),
                prop_oneof![Just(Policy::Proportional), Just(Policy::OldestFirst)],
            )
                .prop_map(move |(cur, t, mut ws, p)| {
                    let lanes: Vec<String> = (1..=n).map(|i| format!("v{i}")).collect();
                    ws.retain(|&w| w >= cur[t]);
                    ws.sort_unstable();
                    ws.push(100);
                    (lanes, cur, t, ws, p)
                })
        })
    }

    proptest! {
        #[test]
        fn short_plans_are_valid((lanes, cur, t, ws, p) in setup()) {
            let plan = plan_short(&lanes, &cur, t, &ws, p).unwrap();
            prop_assert!(plan.validate().is_ok());
            prop_assert_eq!(plan.target_weights(), ws.clone());
            // Round trip through the long form and through the file format.
            let again = plan_long(&lanes, t, &plan.stages).unwrap();
            prop_assert_eq!(&again, &plan);
            let text = plan.to_file_string("g", None).unwrap();
            prop_assert_eq!(Plan::from_file_str(&text).unwrap().plan, plan.clone());
            // Walking the plan with next_stage visits stages in order and ends Done.
            let mut at = cur.clone();
            let mut steps = 0;
            while let NextStage::Stage { weights, .. } = next_stage(&plan, &at).unwrap() {
                prop_assert!(weights[t] >= at[t]);
                at = weights;
                steps += 1;
                prop_assert!(steps <= plan.stages.len());
            }
            prop_assert_eq!(at, plan.stages.last().unwrap().clone());
            // The table has a header plus one line per stage, all rows the same width.
            let table = render_table(&plan);
            let widths: Vec<usize> = table.lines().skip(1).map(|l| l.chars().count()).collect();
            prop_assert_eq!(widths.len(), plan.stages.len());
            prop_assert!(widths.iter().all(|&w| w == widths[0]));
        }
    }
}
