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
    /// Argo Rollouts: rewrite a Rollout's canary steps.
    #[command(subcommand)]
    Rollout(crate::args_roll::RolloutCommand),
    /// The mesh: which revision each namespace injects.
    #[command(subcommand)]
    Mesh(crate::args_roll::MeshCommand),
    /// ASM control-plane upgrades: methods and paths between versions.
    #[command(subcommand)]
    Upgrade(crate::args_roll::UpgradeCommand),
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
