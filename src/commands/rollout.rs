//! `lanes rollout steps`: rewrite a Rollout's canary steps in place, losslessly.

use std::path::PathBuf;

use lanes_model::views_argo::Rollout;
use lanes_model::{Index, Kind};
use lanes_plan::plan::{self, RolloutStep, Stages};

use crate::args_roll::{RolloutCommand, RolloutStepsArgs};

pub fn run(cmd: RolloutCommand) -> i32 {
    match cmd {
        RolloutCommand::Steps(args) => match steps(&args) {
            Ok(code) => code,
            Err(msg) => {
                eprintln!("error: {msg}");
                eprintln!("nothing was written");
                2
            }
        },
    }
}

/// The target weights to turn into steps, from `--stages` or `--from-plan`.
fn weights(args: &RolloutStepsArgs) -> Result<Vec<u32>, String> {
    if let Some(file) = &args.from_plan {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let saved =
            plan::Plan::from_file_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        return Ok(saved.plan.target_weights());
    }
    let text = args.stages.as_deref().unwrap_or("");
    match plan::parse_stages(text).map_err(|e| format!("--stages: {e}"))? {
        Stages::Short(w) => {
            if let Some(pair) = w.windows(2).find(|p| p[1] < p[0]) {
                return Err(format!(
                    "--stages: the canary weight must not decrease ({} then {})",
                    pair[0], pair[1]
                ));
            }
            Ok(w)
        }
        Stages::Long(_) => Err(
            "--stages takes the canary's weight per stage (`10,20,30,50,80`), not full splits"
                .into(),
        ),
    }
}

/// The steps the arguments ask for.
pub(crate) fn wanted_steps(args: &RolloutStepsArgs) -> Result<Vec<RolloutStep>, String> {
    if let Some(p) = &args.pause {
        plan::validate_pause_duration(p).map_err(|e| format!("--pause: {e}"))?;
    }
    let w = weights(args)?;
    if w.is_empty() {
        return Err("no stages".into());
    }
    Ok(plan::to_rollout_steps(
        &w,
        args.pause.as_deref(),
        args.manual_first,
    ))
}

/// Find the one Rollout the arguments name.
fn find_rollout(index: &Index, args: &RolloutStepsArgs) -> Result<usize, String> {
    let found: Vec<usize> = index
        .of_kind(Kind::Rollout)
        .filter(|r| index.resources[*r].name == args.rollout)
        .filter(|r| {
            args.namespace
                .as_deref()
                .is_none_or(|ns| index.resources[*r].namespace == ns)
        })
        .collect();
    match found.len() {
        0 => {
            let names: Vec<String> = index
                .of_kind(Kind::Rollout)
                .map(|r| index.resources[r].display())
                .collect();
            let mut msg = format!("no Rollout named `{}`", args.rollout);
            if let Some(ns) = &args.namespace {
                msg.push_str(&format!(" in namespace `{ns}`"));
            }
            msg.push_str(&format!(" under {}", args.root.display()));
            if !names.is_empty() {
                msg.push_str(&format!(" (found: {})", names.join(", ")));
            }
            Err(msg)
        }
        1 => Ok(found[0]),
        _ => {
            let places: Vec<String> = found
                .iter()
                .map(|r| {
                    format!(
                        "{} in {}",
                        index.resources[*r].display(),
                        index.file_of(*r).source.name()
                    )
                })
                .collect();
            Err(format!(
                "{} Rollouts are named `{}` ({}); choose one with --namespace",
                found.len(),
                args.rollout,
                places.join("; ")
            ))
        }
    }
}

/// The new text of the file holding `res`, with its steps replaced.
pub(crate) fn rewrite(index: &Index, res: usize, steps: &[RolloutStep]) -> Result<String, String> {
    let file = index.file_of(res);
    let src = &file.source;
    if file.has_errors() {
        return Err(format!(
            "{} does not parse cleanly; run `lanes lint` on it first",
            src.name()
        ));
    }
    let ro = Rollout(index.root(res));
    let who = index.resources[res].display();
    if ro.canary().is_none() {
        return Err(format!("{who} has no `spec.strategy.canary`"));
    }
    let Some(seq) = ro.steps_node() else {
        return Err(format!("{who} has no `strategy.canary.steps` to rewrite"));
    };
    if !seq.is_seq() || seq.is_flow() || seq.is_empty() {
        return Err(format!(
            "the `steps` of {who} are not a block sequence (`- setWeight: ...` items); rewrite refused"
        ));
    }
    if seq.resolve().range() != seq.range() {
        return Err(format!(
            "the `steps` of {who} are an alias; rewrite refused"
        ));
    }
    let text = src.text();
    let first = seq.item(0).expect("non-empty").range().start;
    let last = seq.item(seq.len() - 1).expect("non-empty").range().end;
    // The first item's dash and the spaces before it, from the start of its line.
    let line_start = text[..first].rfind('\n').map_or(0, |i| i + 1);
    let dash = text[line_start..first].find('-').map(|i| line_start + i);
    let Some(dash) = dash else {
        return Err(format!("cannot find the `-` of the first step of {who}"));
    };
    if !text[line_start..dash].bytes().all(|b| b == b' ') {
        return Err(format!(
            "the first step of {who} does not start its line; rewrite refused"
        ));
    }
    let indent = dash - line_start;
    // Through the end of the last item's line, line break included.
    let end = match text[last..].find('\n') {
        Some(i) => last + i + 1,
        None => text.len(),
    };
    let eol = if text[line_start..end].contains("\r\n") || src.text().contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut new = plan::render_steps_yaml(steps, indent);
    if eol == "\r\n" {
        new = new.replace('\n', "\r\n");
    }
    if !text[..end].ends_with('\n') {
        // The last step ended the file without a line break: keep it that way.
        let trimmed = new.trim_end_matches(['\r', '\n']).len();
        new.truncate(trimmed);
    }
    let edit = lanes_yaml::edit::Edit {
        range: line_start..end,
        text: new,
    };
    let out = lanes_yaml::edit::apply(text, &[edit]).map_err(|e| e.to_string())?;
    verify(src.name(), &out, &index.resources[res], steps)?;
    Ok(out)
}

/// Re-parse the result and check the Rollout now holds exactly the new steps.
fn verify(
    name: &str,
    out: &str,
    r: &lanes_model::Resource,
    steps: &[RolloutStep],
) -> Result<(), String> {
    let index = Index::from_texts([(name.to_string(), out.to_string())]);
    if index.files[0].has_errors() {
        return Err("internal error: the rewritten file does not parse; nothing written".into());
    }
    let Some(res) = index
        .find(Kind::Rollout, &r.namespace, &r.name)
        .first()
        .copied()
    else {
        return Err(
            "internal error: the Rollout is gone after the rewrite; nothing written".into(),
        );
    };
    let got: Vec<String> = Rollout(index.root(res))
        .steps()
        .iter()
        .map(|s| {
            if let Some(w) = s.get("setWeight") {
                format!("w{}", w.as_i64().unwrap_or(-1))
            } else if let Some(p) = s.get("pause") {
                format!(
                    "p{}",
                    p.get("duration").and_then(|d| d.as_text()).unwrap_or("")
                )
            } else {
                "?".into()
            }
        })
        .collect();
    let want: Vec<String> = steps
        .iter()
        .map(|s| match s {
            RolloutStep::SetWeight(w) => format!("w{w}"),
            RolloutStep::Pause(d) => format!("p{}", d.as_deref().unwrap_or("")),
        })
        .collect();
    if got != want {
        return Err(
            "internal error: the rewritten steps do not read back as written; nothing written"
                .into(),
        );
    }
    Ok(())
}

fn steps(args: &RolloutStepsArgs) -> Result<i32, String> {
    let steps = wanted_steps(args)?;
    if !args.root.exists() {
        return Err(format!("{} does not exist", args.root.display()));
    }
    if super::safety::recover(&args.root).is_err() {
        return Err("an interrupted earlier write could not be recovered".into());
    }
    let index = lanes_model::load::load(std::slice::from_ref(&args.root));
    // Nothing is written when some input failed to read or parse.
    let report = lanes_lint::lint(&index, &lanes_lint::Config::default());
    if let Some(d) = report.diagnostics.iter().find(|d| d.input_failure) {
        return Err(format!(
            "{}:{}:{}: {}; an input failed to read or parse",
            d.file, d.start.line, d.start.column, d.message
        ));
    }
    let res = find_rollout(&index, args)?;
    let file = index.file_of(res);
    let name = file.source.name().to_string();
    let old = file.source.text();
    let new = rewrite(&index, res, &steps)?;
    let who = index.resources[res].display();
    if new == old {
        println!("{who} in {name} already has these steps; nothing to do");
        return Ok(0);
    }
    if args.dry_run {
        let diff = similar::TextDiff::from_lines(old, new.as_str());
        print!(
            "{}",
            diff.unified_diff().context_radius(3).header(&name, &name)
        );
        return Ok(0);
    }
    let changeset = lanes_ops::Changeset {
        changes: vec![lanes_ops::FileChange {
            path: PathBuf::from(&name),
            display: name.clone(),
            before: Some(old.to_string()),
            after: Some(new),
        }],
    };
    changeset
        .write_with(&super::safety::write_options(&args.root))
        .map_err(|e| format!("cannot write {name}: {e}"))?;
    println!("{who}: wrote {} steps to {name}", steps.len());
    Ok(0)
}
