//! Arguments of the mesh upgrade commands: `lanes gateway canary`, `lanes mesh switch|promote|
//! check`, `lanes upgrade plan|next`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::args_ops::CommitArgs;

/// Flags the mesh writing commands share.
#[derive(Debug, Args)]
pub(crate) struct MeshCommon {
    /// Repository tree to read (walked recursively for *.yaml and *.yml); lanes.toml is looked
    /// for from here upwards.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Print a unified diff of every file that would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write even if the result has lint errors that were not there before.
    #[arg(long)]
    pub force: bool,
}

/// `lanes gateway`.
#[derive(Debug, Subcommand)]
pub(crate) enum GatewayCommand {
    /// The ASM gateway canary upgrade, in git.
    #[command(subcommand)]
    Canary(GatewayCanaryCommand),
}

/// `lanes gateway canary`.
#[derive(Debug, Subcommand)]
pub(crate) enum GatewayCanaryCommand {
    /// Annotate the IstioGateway with `asm.alibabacloud.com/enable-canary-deployment: "true"`
    /// (ASM then deploys one canary gateway pod). Refused when a `<gateway>-canary` Deployment
    /// is in the repository or `[mesh] version` is below 1.20.
    Start(GatewayCanaryArgs),
    /// Remove the annotation once the gateway is upgraded.
    Finish(GatewayCanaryArgs),
}

/// `lanes gateway canary start|finish`.
#[derive(Debug, Args)]
pub(crate) struct GatewayCanaryArgs {
    /// The IstioGateway's `metadata.name`.
    pub name: String,
    /// Its namespace.
    #[arg(long, short = 'n', default_value = "istio-system")]
    pub namespace: String,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: MeshCommon,
}

/// `lanes mesh switch`.
#[derive(Debug, Args)]
pub(crate) struct MeshSwitchArgs {
    /// Namespaces whose Namespace manifests to rewrite.
    #[arg(required = true, value_name = "NAMESPACE")]
    pub namespaces: Vec<String>,
    /// The revision or tag to inject: `canary`, `stable`, or a revision name (`1-23-6`).
    #[arg(long, value_name = "REV")]
    pub to: String,
    /// Bump `kubectl.kubernetes.io/restartedAt` on these Deployments or Rollouts of the
    /// switched namespaces, so that Argo CD redeploys them with the new sidecar.
    #[arg(long, value_name = "WORKLOAD", num_args = 1..)]
    pub restart: Vec<String>,
    /// Restart every Deployment and Rollout of the switched namespaces.
    #[arg(long, conflicts_with = "restart")]
    pub restart_all: bool,
    /// The restartedAt value (default: now, RFC 3339 UTC).
    #[arg(long, value_name = "TIME")]
    pub restarted_at: Option<String>,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: MeshCommon,
}

/// `lanes mesh promote`.
#[derive(Debug, Args)]
pub(crate) struct MeshPromoteArgs {
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: MeshCommon,
}

/// `lanes mesh check`.
#[derive(Debug, Args)]
pub(crate) struct MeshCheckArgs {
    /// Check that the canary upgrade can be revoked: no namespace may still use the canary
    /// label. Exit 2 with the namespaces when one does.
    #[arg(long, required = true)]
    pub revoke: bool,
    /// Repository tree to read.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

/// Upgrade methods for `--method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum MethodArg {
    /// Canary upgrade (can be rolled back).
    Canary,
    /// In-place upgrade.
    InPlace,
}

/// `lanes upgrade plan`.
#[derive(Debug, Args)]
pub(crate) struct UpgradePlanArgs {
    /// Current ASM version (default: `[mesh] version` in lanes.toml).
    #[arg(long)]
    pub from: Option<String>,
    /// Wanted ASM version.
    #[arg(long)]
    pub to: String,
    /// The method (default: the first that `lanes upgrade check` lists).
    #[arg(long, value_enum)]
    pub method: Option<MethodArg>,
    /// The mesh's edition: enterprise, ultimate or standard.
    #[arg(long, default_value = "enterprise")]
    pub edition: String,
    /// Plan with the instance-upgrade guide's looser canary reading (default: `[mesh]
    /// canary-skip-minor`).
    #[arg(long)]
    pub canary_skip_minor: bool,
    /// One hop straight to --to; refused when the guide does not allow it.
    #[arg(long)]
    pub direct: bool,
    /// Record the plan in .lanes/upgrade-plan.json for `lanes upgrade next`.
    #[arg(long)]
    pub save: bool,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: MeshCommon,
}

/// `lanes upgrade next`.
#[derive(Debug, Args)]
pub(crate) struct UpgradeNextArgs {
    /// Check off the next stage, a manual step done outside git.
    #[arg(long)]
    pub done: bool,
    /// The restartedAt value for switch stages (default: now, RFC 3339 UTC).
    #[arg(long, value_name = "TIME")]
    pub restarted_at: Option<String>,
    #[command(flatten)]
    pub git: CommitArgs,
    #[command(flatten)]
    pub common: MeshCommon,
}
