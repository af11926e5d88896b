//! Command-line arguments. Every flag carries its help text here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Generate, rewrite and lint the GitOps manifests of ASM traffic lanes and Istio canaries.
#[derive(Debug, Parser)]
#[command(name = "lanes", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats of `lanes lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Reports with source snippets, for people.
    Human,
    /// One line per finding: `file:line:col: severity[CODE] message`.
    Concise,
    /// One JSON object with `diagnostics` and `summary`.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=CODE name::message`).
    Github,
    /// SARIF 2.1.0 (rules metadata and one result per finding with its region).
    Sarif,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint manifests: every rule, across all files, with exact file:line:col spans.
    Lint(LintArgs),
    /// List every rule: code, name, default severity, summary.
    Rules {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// How traffic splits differ between two revisions (default: HEAD and the index).
    Diff(crate::commands::git::DiffArgs),
    /// Install or remove lanes' git pre-commit hook (runs `lanes lint --staged`).
    Hook(crate::commands::git::HookArgs),
    /// Print a rule's documentation: what it checks, why, a bad and a good example.
    Explain {
        /// Rule code (`LN101`) or name (`route-weights-not-100`).
        code: String,
    },
    /// Argo Rollouts: rewrite a Rollout's canary steps.
    #[command(subcommand)]
    Rollout(crate::args_roll::RolloutCommand),
    /// The mesh: which revision each namespace injects.
    #[command(subcommand)]
    Mesh(crate::args_roll::MeshCommand),
    /// ASM gateways: the gateway canary upgrade, in git.
    #[command(subcommand)]
    Gateway(crate::args_mesh::GatewayCommand),
    /// ASM control-plane upgrades: methods and paths between versions, and a plan committed
    /// stage by stage.
    #[command(subcommand)]
    Upgrade(crate::args_roll::UpgradeCommand),
    /// Render a new lane: Deployments cloned from the source lane, an ASMSwimLane, and a
    /// destination in every route that splits traffic across the lanes.
    Add(crate::args_ops::AddArgs),
    /// Set every destination's weight of the group's split routes (`60:30:10`).
    Split(crate::args_ops::SplitArgs),
    /// Set some lanes' weights (`v3=30`); the other lanes share the rest in proportion.
    Set(crate::args_ops::SetArgs),
    /// Print a staged plan for a lane; --save records it for `lanes promote`.
    Plan(crate::args_ops::PlanArgs),
    /// Apply the saved plan's next stage, or a given weight.
    Promote(crate::args_ops::PromoteArgs),
    /// Set a lane's weight to 0 everywhere; --prune also removes the lane.
    Rollback(crate::args_ops::RollbackArgs),
    /// Print the effective configuration (`lanes.toml` plus defaults) and where each value
    /// came from.
    Config {
        /// Where to look for `lanes.toml` (walking up); default: the current directory.
        path: Option<PathBuf>,
        /// Use this config file instead of looking for one.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Print the JSON Schema of a kind (`virtualservice`, `ASMSwimLane`, ...; case-insensitive),
    /// or of `lanes.toml` (`lanes-toml`), for editor integration.
    Schema {
        /// Kind name, or `lanes-toml`. Without it, list the kinds.
        kind: Option<String>,
    },
    /// Write the generated docs (rule pages, rule index, configuration reference, lanes.toml
    /// schema) under a directory.
    Docs {
        /// Output directory (the repository root reproduces the committed files).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// `lanes lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files or directories (default: the current directory). Directories are walked
    /// recursively for *.yaml and *.yml, skipping .git and what .gitignore ignores.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in human output: auto, always, never.
    #[arg(long, default_value = "auto")]
    pub color: String,
    /// Git: lint the index (what the next commit will contain), not the work tree. PATHS
    /// (relative to the current directory; default: it) select files of the index. Files are
    /// named `:path`.
    #[arg(long, conflicts_with_all = ["rev", "app"])]
    pub staged: bool,
    /// Git: lint the tree of a revision (branch, tag, SHA, `HEAD~1`) without checking it out.
    /// Files are named `REV:path`.
    #[arg(long, value_name = "REV", conflicts_with = "app")]
    pub rev: Option<String>,
    /// Git: lint what an Argo CD Application syncs from this repository: each source's `path`
    /// at its `targetRevision`, resolved as Argo CD resolves it.
    #[arg(long, value_name = "FILE")]
    pub app: Option<PathBuf>,
    /// This repository's URL, for matching `repoURL` of `--app` (default: the remotes' URLs).
    #[arg(long, value_name = "URL", requires = "app")]
    pub repo: Option<String>,
    /// Git modes: do not read or update the parse cache in `$GIT_COMMON_DIR/lanes/` (files whose
    /// exact text an earlier run saw are decoded from it instead of parsed; results are the same).
    #[arg(long)]
    pub no_cache: bool,
    /// Use this config file instead of looking for `lanes.toml` from the first path upwards.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Apply safe fixes, then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix, also apply unsafe fixes (they may change traffic).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// With --fix, print the changes as a unified diff and write nothing.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
}
