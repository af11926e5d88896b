//! `lanes_ops`: the writing commands of lanes.
//!
//! * Weight arithmetic and staged plans live in [`lanes_plan`] ([`lanes_plan::weights`],
//!   [`lanes_plan::plan`], including the `.lanes/plan-<group>.json` file that `promote`
//!   follows); this crate only applies them to manifests.
//! * [`changeset`]: file changes with unified diffs and an all-or-nothing writer: locked,
//!   journalled (a crash is rolled forward by [`changeset::recover`]), confined to the root,
//!   keeping modes, owners, symbolic links and hard links.
//! * [`ops`]: `add`, `split`, `set`, `plan`, `promote`, `rollback` as pure functions over a
//!   [`lanes_model::Index`]. Every op splices the original text at byte ranges, re-parses and
//!   verifies the intended values, and re-lints the whole tree in memory before it returns a
//!   [`changeset::Changeset`]. Nothing here prints; nothing is written until the caller calls
//!   [`changeset::Changeset::write_with`].
//! * [`ops::mesh`]: the ASM upgrade ops (gateway canary start/finish, namespace revision
//!   switches with restarts, the promotion sync, the revoke check) and [`upgrade`], the
//!   upgrade plan committed stage by stage.
#![warn(missing_docs)]

pub use lanes_plan::weights::Policy;

pub mod changeset;
pub mod ops;
pub mod rollout;
pub mod scope;
pub mod upgrade;

pub use changeset::{
    recover, recover_tree, Changeset, FileChange, Recovered, Recovery, WriteError, WriteOptions,
};
pub use ops::{
    add, parse_assignment, plan, promote, rollback, set, split_weights, AddArgs, OpError, Options,
    Outcome, PlanArgs, PromoteArgs, RollbackArgs, RouteWeights, SetArgs, SplitArgs,
};
