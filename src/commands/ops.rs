//! The writing commands: call lanes_ops, then print a diff (`--dry-run`) or write atomically and
//! print a summary. Exit codes: 0 done, 2 refused (nothing written) or bad input.

use std::io::Write;

use lanes_ops::Policy;
use lanes_ops::{OpError, Options, Outcome};

use crate::args_ops::{self as a, Common, PolicyArg};

fn policy(p: PolicyArg) -> Policy {
    match p {
        PolicyArg::Proportional => Policy::Proportional,
        PolicyArg::OldestFirst => Policy::OldestFirst,
    }
}

fn options(c: &Common) -> Options {
    Options {
        root: c.root.clone(),
        group: c.group.clone(),
        force: c.force,
        config: lanes_lint::Config::default(),
    }
}

fn load(c: &Common) -> Result<lanes_model::Index, i32> {
    if !c.root.is_dir() {
        eprintln!("error: {}: not a directory", c.root.display());
        return Err(2);
    }
    Ok(lanes_ops::scope::load_for_group(
        std::slice::from_ref(&c.root),
        c.group.as_deref(),
    ))
}

/// Print the outcome of an op and write it unless `--dry-run`.
fn finish(c: &Common, result: Result<Outcome, OpError>, show_only: bool) -> i32 {
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
                    d.file, d.start.line, d.start.column, d.code, d.message
                );
            }
            if c.dry_run {
                let _ = out.write_all(changeset.diff().as_bytes());
            }
            eprintln!("nothing was written; use --force to write anyway");
            return 2;
        }
        Err(e) => {
            eprintln!("error: refused: {e}");
            eprintln!("nothing was written");
            return 2;
        }
    };
    if !show_only {
        for d in &outcome.new_errors {
            eprintln!(
                "warning: --force: new lint error {}:{}:{}: [{}] {}",
                d.file, d.start.line, d.start.column, d.code, d.message
            );
        }
    }
    if c.dry_run {
        for line in &outcome.summary {
            let _ = writeln!(out, "{line}");
        }
        if !outcome.changeset.is_empty() {
            let _ = writeln!(out);
            let _ = out.write_all(outcome.changeset.diff().as_bytes());
        }
        return 0;
    }
    if let Err(e) = outcome.changeset.write_atomic() {
        eprintln!("error: {e}");
        return 2;
    }
    for line in &outcome.summary {
        let _ = writeln!(out, "{line}");
    }
    for line in outcome.changeset.summary() {
        let _ = writeln!(out, "{line}");
    }
    0
}

pub fn add(args: &a::AddArgs) -> i32 {
    let Ok(index) = load(&args.common) else {
        return 2;
    };
    let op = lanes_ops::AddArgs {
        lane: args.lane.clone(),
        weight: args.weight,
        from: args.from.clone(),
        split: args.split.clone(),
        image: args.image.clone(),
        dir: args.dir.clone(),
    };
    finish(
        &args.common,
        lanes_ops::add(&index, &op, &options(&args.common)),
        false,
    )
}

pub fn split(args: &a::SplitArgs) -> i32 {
    let Ok(index) = load(&args.common) else {
        return 2;
    };
    let op = lanes_ops::SplitArgs {
        split: args.split.clone(),
        route: args.route.clone(),
    };
    finish(
        &args.common,
        lanes_ops::split_weights(&index, &op, &options(&args.common)),
        false,
    )
}

pub fn set(args: &a::SetArgs) -> i32 {
    let Ok(index) = load(&args.common) else {
        return 2;
    };
    let assignments = match args
        .assignments
        .iter()
        .map(|s| lanes_ops::parse_assignment(s))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let op = lanes_ops::SetArgs {
        assignments,
        route: args.route.clone(),
    };
    finish(
        &args.common,
        lanes_ops::set(&index, &op, &options(&args.common)),
        false,
    )
}

pub fn plan(args: &a::PlanArgs) -> i32 {
    let Ok(index) = load(&args.common) else {
        return 2;
    };
    let op = lanes_ops::PlanArgs {
        lane: args.lane.clone(),
        stages: args.stages.clone(),
        policy: policy(args.policy),
        save: args.save,
        route: args.route.clone(),
    };
    finish(
        &args.common,
        lanes_ops::plan(&index, &op, &options(&args.common)),
        true,
    )
}

pub fn promote(args: &a::PromoteArgs) -> i32 {
    let Ok(index) = load(&args.common) else {
        return 2;
    };
    let op = lanes_ops::PromoteArgs {
        lane: args.lane.clone(),
        to: args.to,
        policy: policy(args.policy),
    };
    finish(
        &args.common,
        lanes_ops::promote(&index, &op, &options(&args.common)),
        false,
    )
}

pub fn rollback(args: &a::RollbackArgs) -> i32 {
    let Ok(index) = load(&args.common) else {
        return 2;
    };
    let op = lanes_ops::RollbackArgs {
        lane: args.lane.clone(),
        prune: args.prune,
    };
    finish(
        &args.common,
        lanes_ops::rollback(&index, &op, &options(&args.common)),
        false,
    )
}
