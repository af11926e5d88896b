//! The saved plan: `.lanes/plan-<group>.json` under the repository root.
//!
//! ```json
//! {
//!   "version": 1,
//!   "group": "mock",
//!   "lane": "v3",
//!   "lanes": ["v1", "v2", "v3"],
//!   "policy": "proportional",
//!   "stages": [[60, 30, 10], [40, 30, 30], [10, 10, 80], [0, 0, 100]]
//! }
//! ```
//!
//! * `version`: format version, 1.
//! * `group`: the lane group the plan is for (one plan per group).
//! * `lane`: the lane being promoted (the plan's target).
//! * `lanes`: the column order: lane names, one per weight of each stage.
//! * `policy`: how the short form was expanded (`proportional` or `oldest-first`); kept for
//!   the record, `promote --next` applies the stages as written.
//! * `stages`: every stage, explicit. Each adds up to 100, the target's weight never
//!   decreases, and the last stage gives the target 100.
//!
//! `lanes promote <lane> --next` finds the stage equal to the current weights of the group's
//! split routes and applies the one after it (or, when the weights match no stage, the first
//! stage that does not move the target backwards).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::split::{self, SplitError};

/// Current format version.
pub const PLAN_VERSION: u32 = 1;

/// A saved plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFile {
    /// Format version.
    pub version: u32,
    /// Lane group.
    pub group: String,
    /// Target lane.
    pub lane: String,
    /// Column order.
    pub lanes: Vec<String>,
    /// `proportional` or `oldest-first`.
    #[serde(default = "default_policy")]
    pub policy: String,
    /// Every stage, one weight per lane.
    pub stages: Vec<Vec<u32>>,
}

fn default_policy() -> String {
    "proportional".to_string()
}

/// Where the plan of `group` lives under `root`.
pub fn plan_path(root: &Path, group: &str) -> PathBuf {
    root.join(".lanes").join(format!("plan-{group}.json"))
}

impl PlanFile {
    /// Pretty JSON with a final newline.
    pub fn render(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plans serialize");
        s.push('\n');
        s
    }

    /// Parse and validate a plan.
    pub fn parse(text: &str) -> Result<PlanFile, SplitError> {
        let plan: PlanFile = serde_json::from_str(text)
            .map_err(|e| SplitError(format!("not a lanes plan file: {e}")))?;
        if plan.version != PLAN_VERSION {
            return Err(SplitError(format!(
                "plan file version {} is not supported (expected {PLAN_VERSION})",
                plan.version
            )));
        }
        let target = plan
            .lanes
            .iter()
            .position(|l| *l == plan.lane)
            .ok_or_else(|| {
                SplitError(format!(
                    "the plan's lane {} is not one of its lanes",
                    plan.lane
                ))
            })?;
        split::plan_long(plan.stages.clone(), plan.lanes.len(), target)?;
        Ok(plan)
    }

    /// Position of the target lane in `lanes`.
    pub fn target(&self) -> usize {
        self.lanes.iter().position(|l| *l == self.lane).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_validation() {
        let p = PlanFile {
            version: 1,
            group: "mock".into(),
            lane: "v3".into(),
            lanes: vec!["v1".into(), "v2".into(), "v3".into()],
            policy: "proportional".into(),
            stages: vec![vec![60, 30, 10], vec![0, 0, 100]],
        };
        let s = p.render();
        assert_eq!(PlanFile::parse(&s).unwrap(), p);
        let bad = s.replace("100", "90");
        assert!(PlanFile::parse(&bad).is_err());
        assert!(PlanFile::parse("{}").is_err());
    }
}
