//! Arguments of the writing commands (`add`, `split`, `set`, `plan`, `promote`, `rollback`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Flags every writing command shares.
#[derive(Debug, Args)]
pub(crate) struct Common {
    /// Repository tree to read (walked recursively for *.yaml and *.yml).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Lane group to work on; needed only when the tree has more than one (default:
    /// `[lanes] default-group` in lanes.toml).
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// The split to change outside lane groups: `NAMESPACE/VS[#ROUTE]` (the http route's `name`
    /// or its index) or the VirtualService's file path (`path/vs.yaml[#ROUTE]`); with a lane
    /// group, a route or VirtualService name narrows the group's routes.
    #[arg(long, value_name = "NAMESPACE/VS[#ROUTE]")]
    pub route: Option<String>,
    /// Every split route across this host's DestinationRule subsets (`reviews`).
    #[arg(long, value_name = "HOST", conflicts_with = "route")]
    pub host: Option<String>,
    /// Print a unified diff of every file that would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write even if the result has lint errors that were not there before.
    #[arg(long)]
    pub force: bool,
}

/// `--commit` and its companions, on the commands that rewrite manifests.
#[derive(Debug, Args)]
pub(crate) struct CommitArgs {
    /// After writing, create one git commit holding only the files this command changed
    /// (author from git config; never pushes). Checked before anything is written.
    #[arg(long, conflicts_with = "dry_run")]
    pub commit: bool,
    /// Commit message (default: the stage, e.g. `lanes: promote v3 to 30% (v1 40, v2 30, v3 30)`).
    #[arg(short = 'm', long = "message", value_name = "MSG", requires = "commit")]
    pub message: Option<String>,
    /// Also commit changes that were already staged (without it, they make --commit refuse).
    #[arg(long, requires = "commit")]
    pub include_staged: bool,
}

/// How the other lanes give up weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum PolicyArg {
    /// In proportion to their current weights.
    #[default]
    Proportional,
    /// The oldest lane first, then the next one.
    OldestFirst,
}

/// `lanes add`.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// Name of the new lane (for example `v3`).
    pub lane: String,
    /// The new lane's weight in every split route; the other lanes shrink in proportion
    /// (default 0: the lane gets Deployments and a zero-weight destination).
    #[arg(long, value_name = "W")]
    pub weight: Option<u32>,
    /// Lane to clone (default: the newest lane, last in the group's file order).
    #[arg(long, value_name = "LANE")]
    pub from: Option<String>,
    /// Every destination's weight in route order, the new lane last (`60:30:10`).
    #[arg(long, value_name = "A:B:C")]
    pub split: Option<String>,
    /// Image for the new Deployments' containers (every container, or the one --container
    /// names).
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
    /// The container whose image --image replaces.
    #[arg(long, value_name = "NAME", requires = "image")]
    pub container: Option<String>,
    /// Directory for the new Deployment file (default: next to the source lane's file).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: Common,
}

/// `lanes split`.
#[derive(Debug, Args)]
pub(crate) struct SplitArgs {
    /// Weights of every destination, in route order (`60:30:10`); they must add up to 100.
    pub split: String,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: Common,
}

/// `lanes set`.
#[derive(Debug, Args)]
pub(crate) struct SetArgs {
    /// `LANE=WEIGHT` pairs; lanes not named share the rest in proportion.
    #[arg(required = true, value_name = "LANE=W")]
    pub assignments: Vec<String>,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: Common,
}

/// `lanes plan`.
#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    /// The lane to promote.
    pub lane: String,
    /// Stages: the lane's weight per stage (`10,30,80,100`), or every weight of every stage in
    /// route order (`60:30:10,40:30:30,10:10:80,0:0:100`).
    #[arg(long, value_name = "STAGES")]
    pub stages: String,
    /// How the short form shrinks the other lanes (default: `[lanes] plan-policy` in
    /// lanes.toml, else proportional).
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,
    /// Record the plan in .lanes/plan-<group>.json so that `lanes promote` can follow it.
    #[arg(long)]
    pub save: bool,
    #[command(flatten)]
    pub common: Common,
}

/// `lanes promote`.
#[derive(Debug, Args)]
pub(crate) struct PromoteArgs {
    /// The lane to promote.
    pub lane: String,
    /// Give the lane this weight now (the other lanes follow --policy).
    #[arg(long, value_name = "W", conflicts_with = "next")]
    pub to: Option<u32>,
    /// Apply the saved plan's next stage (the default).
    #[arg(long)]
    pub next: bool,
    /// How the other lanes give up weight with --to (default: `[lanes] plan-policy` in
    /// lanes.toml, else proportional).
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: Common,
}

/// `lanes rollback`.
#[derive(Debug, Args)]
pub(crate) struct RollbackArgs {
    /// The lane to roll back: weight 0 everywhere, its share back to the others in proportion.
    pub lane: String,
    /// Also remove the lane's Deployments, its ASMSwimLane and its zero-weight destinations.
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: Common,
}
