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
    /// Print a rule's documentation: what it checks, why, a bad and a good example.
    Explain {
        /// Rule code (`LN101`) or name (`route-weights-not-100`).
        code: String,
    },
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
}
