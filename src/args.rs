//! Command-line arguments. Every flag carries its help text here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Generate, rewrite and lint the GitOps manifests of ASM traffic lanes and Istio canaries.
#[derive(Debug, Parser)]
#[command(name = "lanes", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats of `lanes lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Reports with source snippets, for people.
    Human,
    /// One line per finding: `file:line:col: severity[CODE] message`.
    Concise,
    /// One JSON object with `diagnostics` and `summary`.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=CODE name::message`).
    Github,
    /// SARIF 2.1.0 (rules metadata and one result per finding with its region, stable
    /// fingerprints, the exit code), for GitHub code scanning.
    Sarif,
    /// JUnit XML: a test suite per file, a failing test case per error.
    Junit,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// One JSON object per finding, one per line.
    JsonLines,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// When writing to a terminal, unless `NO_COLOR` is set; `FORCE_COLOR` or
    /// `CLICOLOR_FORCE` force it, `CLICOLOR=0` turns it off.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour, given whether the output is a terminal and a way to read the
    /// environment.
    pub(crate) fn enabled(self, is_terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
        let set = |k: &str| env(k).filter(|v| !v.is_empty());
        let on = |k: &str| set(k).is_some_and(|v| v != "0" && v != "false");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("NO_COLOR").is_some() => false,
            ColorChoice::Auto if on("FORCE_COLOR") || on("CLICOLOR_FORCE") => true,
            ColorChoice::Auto if set("CLICOLOR").as_deref() == Some("0") => false,
            ColorChoice::Auto => is_terminal,
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
        /// Kind name, `lanes-toml`, or `all` (one schema for every kind, dispatching on
        /// apiVersion/kind, for multi-kind files in editors). Without it, list the kinds.
        kind: Option<String>,
    },
    /// Print a shell completion script (`lanes completions bash > /etc/bash_completion.d/lanes`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command under a directory.
    Man {
        /// Write `lanes.1` and `lanes-<command>.1` here instead of printing `lanes.1`.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
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
pub(crate) struct LintArgs {
    /// Files or directories (default: the current directory), or `-` for standard input.
    /// Directories are walked recursively for *.yaml, *.yml and *.json, skipping .git and what
    /// .gitignore ignores; Helm charts, kustomizations, their patches and known non-manifest
    /// files are not linted (`--explain-files` lists what was done with each file).
    pub paths: Vec<PathBuf>,
    /// The name standard input (`-`) gets in findings (default `<stdin>`).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Print every file lanes looked at, what it did with it and why (on standard error), then
    /// lint as usual.
    #[arg(long)]
    pub explain_files: bool,
    /// Render kustomize roots (`kustomize build`, else `kubectl kustomize`) and Helm charts
    /// (`helm template`, when helm is on PATH) and lint the output; findings point back at the
    /// source files through kustomize's origin annotations.
    #[arg(long)]
    pub render: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human, visible_alias = "output-format")]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Exit 0 even when errors are found (unreadable input still exits 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print the findings only: no summary line, no notes on standard error.
    #[arg(short, long)]
    pub quiet: bool,
    /// Only these rules: codes (`LN101`), names (`route-weights-not-100`), code prefixes
    /// (`LN5`) or `ALL`, comma-separated or repeated. Replaces the default set.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// These rules too, on top of the selected ones (also rules that are off by default).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Not these rules (wins over --select and --extend-select and over `lanes.toml`).
    /// Rules that report unreadable input cannot be turned off.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
