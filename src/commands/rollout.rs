//! `lanes rollout steps`: parse the arguments, call [`lanes_ops::rollout::steps`], print the
//! diff (`--dry-run`) or write atomically.

use crate::args_roll::{RolloutCommand, RolloutStepsArgs};

pub(super) fn run(cmd: RolloutCommand) -> i32 {
    match cmd {
        RolloutCommand::Steps(args) => match steps(&args) {
            Ok(code) => code,
            Err(msg) => {
                eprintln!("error: {}", super::terminal_safe(&msg));
                eprintln!("nothing was written");
                2
            }
        },
    }
}

fn steps(args: &RolloutStepsArgs) -> Result<i32, String> {
    let from_plan = match &args.from_plan {
        Some(file) => Some((
            file.clone(),
            std::fs::read_to_string(file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?,
        )),
        None => None,
    };
    let op = lanes_ops::rollout::StepsArgs {
        rollout: args.rollout.clone(),
        namespace: args.namespace.clone(),
        stages: args.stages.clone(),
        from_plan,
        pause: args.pause.clone(),
        manual_first: args.manual_first,
    };
    // Bad stages are refused before anything is read.
    lanes_ops::rollout::wanted_steps(&op).map_err(|e| e.to_string())?;
    if !args.root.exists() {
        return Err(format!("{} does not exist", args.root.display()));
    }
    let index = lanes_model::load::load(std::slice::from_ref(&args.root));
    let out = lanes_ops::rollout::steps(&index, &op, &args.root).map_err(|e| e.to_string())?;
    if out.changeset.is_empty() {
        let line = format!(
            "{} in {} already has these steps; nothing to do",
            out.rollout, out.file
        );
        println!("{}", super::terminal_safe(&line));
        return Ok(0);
    }
    if args.dry_run {
        print!("{}", out.changeset.diff());
        return Ok(0);
    }
    lanes::ops::write(&args.root, &out.changeset)
        .map_err(|e| format!("cannot write {}: {e}", out.file))?;
    let line = format!(
        "{}: wrote {} steps to {}",
        out.rollout,
        out.steps.len(),
        out.file
    );
    println!("{}", super::terminal_safe(&line));
    Ok(0)
}
