//! `lanes_plan`: the pure planning layer of lanes. No I/O, no printing.
//!
//! * [`weights`]: weight arithmetic for traffic splits (largest-remainder rounding,
//!   adding a destination, setting or rolling back one destination, parsing `60:30:10`).
//! * [`plan`]: staged plans for lanes (short and long stage forms, the next stage, a text
//!   table, the `.lanes/plan-<group>.json` file format, Argo-Rollouts-style steps).
//! * [`asm_version`]: ASM versions and the upgrade paths between them.
//!
//! ```
//! use lanes_plan::asm_version::{upgrade_paths_str, Edition, MethodKind};
//! use lanes_plan::plan::{parse_stages, plan_from_stages, render_steps_yaml, to_rollout_steps};
//! use lanes_plan::weights::{rebalance_with_new, Policy, DEFAULT_TOTAL};
//!
//! assert_eq!(rebalance_with_new(&[50, 50], 10, DEFAULT_TOTAL).unwrap(), vec![45, 45, 10]);
//!
//! let lanes = vec!["v1".to_string(), "v2".to_string()];
//! let stages = parse_stages("10,50,100").unwrap();
//! let plan = plan_from_stages(&lanes, &[100, 0], 1, &stages, Policy::Proportional).unwrap();
//! assert_eq!(plan.stages, vec![vec![90, 10], vec![50, 50], vec![0, 100]]);
//! let steps = to_rollout_steps(&plan.target_weights(), Some("20s"), true);
//! assert!(render_steps_yaml(&steps, 0).starts_with("- setWeight: 10\n- pause: {}\n"));
//!
//! let report = upgrade_paths_str("1.16.4.93", "1.18.0.158", Edition::Enterprise).unwrap();
//! assert_eq!(report.methods[0].kind, MethodKind::Canary);
//! ```
#![warn(missing_docs)]

pub mod asm_version;
pub mod plan;
pub mod weights;
