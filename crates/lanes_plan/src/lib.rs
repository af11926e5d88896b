//! `lanes_plan`: the pure planning layer of lanes. No I/O, no printing.
//!
//! * [`weights`]: weight arithmetic for traffic splits (largest-remainder rounding,
//!   adding a destination, setting or rolling back one destination, parsing `60:30:10`).
//! * [`plan`]: staged plans for lanes (short and long stage forms, the next stage, a text
//!   table, the `.lanes/plan-<group>.json` file format, Argo-Rollouts-style steps).
//! * [`asm_version`]: ASM versions and the upgrade paths between them.
#![warn(missing_docs)]

pub mod asm_version;
pub mod plan;
pub mod weights;
