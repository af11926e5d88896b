//! `lanes_ops`: the writing commands of lanes.
//!
//! * [`split`]: pure weight arithmetic (largest remainder, proportional shrink, oldest-first
//!   drain) and staged plans.
//! * [`plan_file`]: the saved plan (`.lanes/plan-<group>.json`) that `promote` follows.
//! * [`changeset`]: file changes with unified diffs and an all-or-nothing atomic writer.
//! * [`ops`]: `add`, `split`, `set`, `plan`, `promote`, `rollback` as pure functions over a
//!   [`lanes_model::Index`]. Every op splices the original text at byte ranges, re-parses and
//!   verifies the intended values, and re-lints the whole tree in memory before it returns a
//!   [`changeset::Changeset`]. Nothing here prints; nothing is written until the caller calls
//!   [`changeset::Changeset::write_atomic`].
#![warn(missing_docs)]

pub mod changeset;
pub mod ops;
pub mod plan_file;
pub mod scope;
pub mod split;

pub use changeset::{Changeset, FileChange, WriteError};
pub use ops::{
    add, parse_assignment, parse_policy, plan, promote, rollback, set, split_weights, AddArgs,
    OpError, Options, Outcome, PlanArgs, PromoteArgs, RollbackArgs, RouteWeights, SetArgs,
    SplitArgs,
};
