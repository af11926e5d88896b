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
