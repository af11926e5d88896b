//! Arguments of `lanes rollout`, `lanes mesh` and `lanes upgrade`.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

/// Text or JSON output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum TextOrJson {
    /// For people.
    Text,
    /// One JSON document.
    Json,
}

/// `lanes rollout`.
#[derive(Debug, Subcommand)]
pub(crate) enum RolloutCommand {
    /// Rewrite a Rollout's `strategy.canary.steps` in place: a `setWeight` per stage, each
    /// followed by a pause. Everything else in the file stays byte for byte.
    Steps(RolloutStepsArgs),
}

/// `lanes rollout steps`.
#[derive(Debug, clap::Args)]
pub(crate) struct RolloutStepsArgs {
    /// The Rollout's `metadata.name`.
    pub rollout: String,
    /// The canary's weight at each stage, e.g. `10,20,30,50,80`.
    #[arg(
        long,
        required_unless_present = "from_plan",
        conflicts_with = "from_plan"
    )]
    pub stages: Option<String>,
    /// Take the stages from a saved plan file (`.lanes/plan-<group>.json`): the target lane's
    /// weight at each stage.
    #[arg(long, value_name = "FILE")]
    pub from_plan: Option<PathBuf>,
    /// Duration of each pause (`20s`, `1m30s`); without it every pause waits for a manual
    /// promote (`pause: {}`).
    #[arg(long)]
    pub pause: Option<String>,
    /// Make the pause after the first step manual, whatever `--pause` says.
    #[arg(long)]
    pub manual_first: bool,
    /// Print the change as a unified diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Directory (or file) to search for the Rollout.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The Rollout's namespace, when several Rollouts share the name.
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
}

/// `lanes mesh`.
#[derive(Debug, Subcommand)]
pub(crate) enum MeshCommand {
    /// For each namespace in the repository, the control-plane revision its pods get injected
    /// with: stable, canary, a revision name, none or disabled.
    Revisions {
        /// File or directory (default: the current directory).
        path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Switch namespaces to another revision (`istio.io/rev: canary|stable|REV`), replacing
    /// `istio-injection: enabled`; optionally restart their workloads.
    Switch(crate::args_mesh::MeshSwitchArgs),
    /// After the canary was promoted in the console: rewrite `istio.io/rev: canary` to
    /// `stable` (and older listed revisions to the newest), as ASM did in the cluster.
    Promote(crate::args_mesh::MeshPromoteArgs),
    /// Preconditions of the canary upgrade's steps (`--revoke`).
    Check(crate::args_mesh::MeshCheckArgs),
}

/// `lanes upgrade`.
#[derive(Debug, Subcommand)]
pub(crate) enum UpgradeCommand {
    /// The ways to upgrade ASM from one version to another (in place, canary, hot update) and
    /// the shortest path of each.
    Check(UpgradeCheckArgs),
    /// The ordered stages of an upgrade: version hops, and for each the git changes (namespace
    /// switches, restarts, gateway canary, promotion sync) and the manual console steps.
    Plan(crate::args_mesh::UpgradePlanArgs),
    /// Apply the saved plan's next stage (`--commit`: one commit per stage); a manual stage is
    /// printed until checked off with `--done`.
    Next(crate::args_mesh::UpgradeNextArgs),
}

/// `lanes upgrade check`.
#[derive(Debug, clap::Args)]
pub(crate) struct UpgradeCheckArgs {
    /// Current ASM version, e.g. `1.16.4.93` or `v1.18.0.158-gc6cf0b9c-aliyun`.
    #[arg(long)]
    pub from: String,
    /// Wanted ASM version.
    #[arg(long)]
    pub to: String,
    /// The mesh's edition: enterprise, ultimate or standard.
    #[arg(long, default_value = "enterprise")]
    pub edition: String,
    /// Plan canary hops with the instance-upgrade guide's looser reading (one minor version may
    /// be skipped) instead of the canary-upgrade guide's (next minor only). Default:
    /// `[mesh] canary-skip-minor` in lanes.toml (found from the current directory), else false.
    #[arg(long)]
    pub canary_skip_minor: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}
