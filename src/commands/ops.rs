//! The writing commands: call lanes_ops, then print a diff (`--dry-run`) or write atomically and
//! print a summary; with `--commit`, check that a commit can be made before writing, and commit
//! exactly the changed files after. Exit codes: 0 done, 2 refused (nothing written), bad input,
//! or a commit that failed after the files were written.

use std::io::Write;
use std::path::{Path, PathBuf};

use lanes::ops::{OpError, Outcome, Scope, Workspace};
use lanes::Policy;

use super::terminal_safe as safe;
use crate::args_ops::{self as a, CommitArgs, Common, PolicyArg};

/// `--policy` when given, else `[lanes] plan-policy` from lanes.toml (default proportional).
fn policy(p: Option<PolicyArg>, ws: &Workspace) -> Policy {
    ws.policy(p.map(|p| match p {
        PolicyArg::Proportional => Policy::Proportional,
        PolicyArg::OldestFirst => Policy::OldestFirst,
    }))
}

/// Read lanes.toml (found walking up from `--root`, no
/// further than the repository root), then the repository: the writing commands
/// re-lint with the same configuration `lanes lint` uses, and `[lanes] default-group` stands in
/// for `--group`.
fn prepare(c: &Common) -> Result<Workspace, i32> {
    let settings = writer_settings(&c.root)?;
    let scope = Scope {
        group: c.group.clone(),
        route: c.route.clone(),
        host: c.host.clone(),
    };
    Ok(Workspace::with_settings(c.root.clone(), scope, settings).force(c.force))
}

/// What every writing command does first, for `root` (the dispatcher has already finished an
/// interrupted earlier write): check it is a folder, and read lanes.toml (looked for up to the repository root: the
/// git work tree, else `root`).
pub(super) fn writer_settings(root: &std::path::Path) -> Result<lanes::Settings, i32> {
    if !root.is_dir() {
        eprintln!(
            "error: {}: not a directory",
            safe(&root.display().to_string())
        );
        return Err(2);
    }
    lanes::config::settings_for_root(root).map_err(|e| {
        eprintln!("error: {}", safe(&e.to_string()));
        2
    })
}

/// What `--commit` needs: the flags and the default message for an outcome.
pub(super) struct Commit<'a> {
    pub(super) args: &'a CommitArgs,
    pub(super) message: &'a dyn Fn(&Outcome) -> String,
}

/// `p` (relative to the current directory, or absolute) as an absolute path with symlinks
/// resolved, also for a file that does not exist yet (its directory is resolved).
fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    let abs = cwd.join(p);
    if let Ok(c) = abs.canonicalize() {
        return c;
    }
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map(|d| d.join(name))
            .unwrap_or_else(|_| abs.clone()),
        _ => abs,
    }
}

/// Check before writing that the changed files can be committed (identity, index lock, other
/// staged changes, bare repository...). Nothing is changed.
fn prepare_commit(
    c: &Common,
    args: &CommitArgs,
    outcome: &Outcome,
) -> Result<lanes_git::StageCommit, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    let root = absolute(&cwd, &c.root);
    let changed: Vec<PathBuf> = outcome
        .changeset
        .changes
        .iter()
        .map(|ch| absolute(&cwd, &ch.path))
        .collect();
    lanes_git::StageCommit::prepare(
        &root,
        &changed,
        lanes_git::CommitOpts {
            include_staged: args.include_staged,
        },
    )
    .map_err(|e| e.to_string())
}

/// Print the outcome of an op and write it unless `--dry-run`.
pub(super) fn finish(
    c: &Common,
    result: Result<Outcome, OpError>,
    show_only: bool,
    commit: Option<Commit<'_>>,
) -> i32 {
    let mut out = std::io::stdout().lock();
    let outcome = match result {
        Ok(o) => o,
        Err(OpError::NewLintErrors { errors, changeset }) => {
            eprintln!(
                "error: refused: the result would have {} new lint error(s):",
                errors.len()
            );
            for d in &errors {
                eprintln!(
                    "  {}:{}:{}: error[{}] {}",
                    safe(&d.file),
                    d.start.line,
                    d.start.column,
                    d.code,
                    safe(&d.message)
                );
            }
            if c.dry_run {
                let _ = out.write_all(changeset.diff().as_bytes());
            }
            eprintln!("nothing was written; use --force to write anyway");
            return 2;
        }
        Err(e) => {
            eprintln!("error: refused: {}", safe(&e.to_string()));
            eprintln!("nothing was written");
            return 2;
        }
    };
    if !show_only {
        for d in &outcome.new_errors {
            eprintln!(
                "warning: --force: new lint error {}:{}:{}: [{}] {}",
                safe(&d.file),
                d.start.line,
                d.start.column,
                d.code,
                safe(&d.message)
            );
        }
    }
    if c.dry_run {
        for line in &outcome.summary {
            let _ = writeln!(out, "{}", safe(line));
        }
        if !outcome.changeset.is_empty() {
            let _ = writeln!(out);
            let _ = out.write_all(outcome.changeset.diff().as_bytes());
        }
        return 0;
    }
    let commit = commit.filter(|k| k.args.commit);
    let staged = match &commit {
        Some(k) if !outcome.changeset.is_empty() => match prepare_commit(c, k.args, &outcome) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("error: refused: {}; nothing was written", safe(&e));
                return 2;
            }
        },
        _ => None,
    };
    if let Err(e) = lanes::ops::write(&c.root, &outcome.changeset) {
        eprintln!("error: {}", safe(&e.to_string()));
        return 2;
    }
    for line in &outcome.summary {
        let _ = writeln!(out, "{}", safe(line));
    }
    for line in outcome.changeset.summary() {
        let _ = writeln!(out, "{}", safe(&line));
    }
    if let (Some(k), Some(s)) = (&commit, &staged) {
        let message = k
            .args
            .message
            .clone()
            .unwrap_or_else(|| (k.message)(&outcome));
        match s.commit(&message) {
            Ok(oid) => {
                let sha = oid.to_string();
                let first = message.lines().next().unwrap_or("");
                let _ = writeln!(
                    out,
                    "committed {}: {}",
                    &sha[..sha.len().min(12)],
                    safe(first)
                );
            }
            Err(e) => {
                eprintln!("error: {}", safe(&e.after_write()));
                return 2;
            }
        }
    } else if commit.is_some() {
        let _ = writeln!(out, "nothing changed; no commit made");
    }
    0
}

/// The lanes and weights after the op, of its first route: `[("v1", 60), ("v2", 30)]`.
fn stage_weights(o: &Outcome) -> Vec<(String, i64)> {
    o.weights
        .first()
        .map(|r| {
            r.lanes
                .iter()
                .zip(&r.after)
                .map(|(l, w)| (l.clone(), i64::from(*w)))
                .collect()
        })
        .unwrap_or_default()
}

/// The weight of `lane` after the op, in its first route that has it.
fn weight_of(o: &Outcome, lane: &str) -> Option<u32> {
    o.weights
        .iter()
        .find_map(|r| r.lanes.iter().position(|l| l == lane).map(|i| r.after[i]))
}

pub(super) fn add(args: &a::AddArgs) -> i32 {
    let Ok(ws) = prepare(&args.common) else {
        return 2;
    };
    let op = lanes::ops::AddArgs {
        lane: args.lane.clone(),
        weight: args.weight,
        from: args.from.clone(),
        split: args.split.clone(),
        image: args.image.clone(),
        container: args.container.clone(),
        dir: args.dir.clone(),
    };
    let message = |o: &Outcome| {
        let w = weight_of(o, &args.lane).unwrap_or(0);
        lanes_git::stage_message(&format!("add {} at {w}%", args.lane), &stage_weights(o))
    };
    finish(
        &args.common,
        ws.add(&op),
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}

pub(super) fn split(args: &a::SplitArgs) -> i32 {
    let Ok(ws) = prepare(&args.common) else {
        return 2;
    };
    let op = lanes::ops::SplitArgs {
        split: args.split.clone(),
        route: None,
    };
    let message =
        |o: &Outcome| lanes_git::stage_message(&format!("split {}", args.split), &stage_weights(o));
    finish(
        &args.common,
        ws.split(&op),
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}

pub(super) fn set(args: &a::SetArgs) -> i32 {
    let Ok(ws) = prepare(&args.common) else {
        return 2;
    };
    let assignments = match args
        .assignments
        .iter()
        .map(|s| lanes::ops::parse_assignment(s))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {}", safe(&e.to_string()));
            return 2;
        }
    };
    let op = lanes::ops::SetArgs {
        assignments,
        route: None,
    };
    let message = |o: &Outcome| {
        lanes_git::stage_message(
            &format!("set {}", args.assignments.join(" ")),
            &stage_weights(o),
        )
    };
    finish(
        &args.common,
        ws.set(&op),
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}

pub(super) fn plan(args: &a::PlanArgs) -> i32 {
    let Ok(ws) = prepare(&args.common) else {
        return 2;
    };
    let op = lanes::ops::PlanArgs {
        lane: args.lane.clone(),
        stages: args.stages.clone(),
        policy: policy(args.policy, &ws),
        save: args.save,
        route: None,
    };
    finish(&args.common, ws.plan(&op), true, None)
}

pub(super) fn promote(args: &a::PromoteArgs) -> i32 {
    let Ok(ws) = prepare(&args.common) else {
        return 2;
    };
    let op = lanes::ops::PromoteArgs {
        lane: args.lane.clone(),
        to: args.to,
        policy: policy(args.policy, &ws),
    };
    let message = |o: &Outcome| {
        let w = weight_of(o, &args.lane).unwrap_or(0);
        lanes_git::stage_message(&format!("promote {} to {w}%", args.lane), &stage_weights(o))
    };
    finish(
        &args.common,
        ws.promote(&op),
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}

pub(super) fn rollback(args: &a::RollbackArgs) -> i32 {
    let Ok(ws) = prepare(&args.common) else {
        return 2;
    };
    let op = lanes::ops::RollbackArgs {
        lane: args.lane.clone(),
        prune: args.prune,
    };
    let message = |o: &Outcome| {
        let action = if args.prune {
            format!("rollback and prune {}", args.lane)
        } else {
            format!("rollback {}", args.lane)
        };
        lanes_git::stage_message(&action, &stage_weights(o))
    };
    finish(
        &args.common,
        ws.rollback(&op),
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}
