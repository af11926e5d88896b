//! `lanes rollout steps`: rewrite a Rollout's canary steps in place, losslessly, through the
//! traffic-edit module ([`lanes_model::traffic_edit::replace_rollout_steps`]).

use std::path::{Path, PathBuf};

use lanes_model::views_argo::Rollout;
use lanes_model::{traffic_edit, Index, Kind};
use lanes_plan::plan::{self, RolloutStep, Stages};

use crate::changeset::{Changeset, FileChange};
use crate::ops::OpError;

/// What `lanes rollout steps` is asked for.
#[derive(Clone, Debug, Default)]
pub struct StepsArgs {
    /// The Rollout's name.
    pub rollout: String,
    /// Its namespace, when several Rollouts share the name.
    pub namespace: Option<String>,
    /// The canary's weight per stage (`10,20,30,50,80`).
    pub stages: Option<String>,
    /// A saved plan file's text and path (its target weights become the stages).
    pub from_plan: Option<(PathBuf, String)>,
    /// Pause duration between stages (none: an indefinite pause).
    pub pause: Option<String>,
    /// A manual pause before the first step.
    pub manual_first: bool,
}

/// What the rewrite would do.
#[derive(Clone, Debug)]
pub struct StepsOutcome {
    /// `Rollout ns/name`.
    pub rollout: String,
    /// The file (display name).
    pub file: String,
    /// The new steps.
    pub steps: Vec<RolloutStep>,
    /// The change (empty when the Rollout already has these steps).
    pub changeset: Changeset,
}

fn refuse<T>(msg: impl Into<String>) -> Result<T, OpError> {
    Err(OpError::Refused(msg.into()))
}

/// The target weights to turn into steps, from `stages` or `from_plan`.
fn weights(args: &StepsArgs) -> Result<Vec<u32>, OpError> {
    if let Some((file, text)) = &args.from_plan {
        let saved = plan::Plan::from_file_str(text)
            .map_err(|e| OpError::Refused(format!("{}: {e}", file.display())))?;
        return Ok(saved.plan.target_weights());
    }
    let text = args.stages.as_deref().unwrap_or("");
    match plan::parse_stages(text).map_err(|e| OpError::Refused(format!("--stages: {e}")))? {
        Stages::Short(w) => {
            if let Some(pair) = w.windows(2).find(|p| p[1] < p[0]) {
                return refuse(format!(
                    "--stages: the canary weight must not decrease ({} then {})",
                    pair[0], pair[1]
                ));
            }
            Ok(w)
        }
        Stages::Long(_) => refuse(
            "--stages takes the canary's weight per stage (`10,20,30,50,80`), not full splits",
        ),
    }
}

/// The steps the arguments ask for (checked before anything is read).
pub fn wanted_steps(args: &StepsArgs) -> Result<Vec<RolloutStep>, OpError> {
    if let Some(p) = &args.pause {
        plan::validate_pause_duration(p).map_err(|e| OpError::Refused(format!("--pause: {e}")))?;
    }
    let w = weights(args)?;
    if w.is_empty() {
        return refuse("no stages");
    }
    Ok(plan::to_rollout_steps(
        &w,
        args.pause.as_deref(),
        args.manual_first,
    ))
}

/// Find the one Rollout the arguments name.
fn find_rollout(index: &Index, args: &StepsArgs, root: &Path) -> Result<usize, OpError> {
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
            msg.push_str(&format!(" under {}", root.display()));
            if !names.is_empty() {
                msg.push_str(&format!(" (found: {})", names.join(", ")));
            }
            refuse(msg)
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
            refuse(format!(
                "{} Rollouts are named `{}` ({}); choose one with --namespace",
                found.len(),
                args.rollout,
                places.join("; ")
            ))
        }
    }
}

/// The new text of the file holding `res`, with its steps replaced and read back.
pub fn rewrite(index: &Index, res: usize, steps: &[RolloutStep]) -> Result<String, OpError> {
    let file = index.file_of(res);
    let src = &file.source;
    if file.has_errors() {
        return refuse(format!(
            "{} does not parse cleanly; run `lanes lint` on it first",
            src.name()
        ));
    }
    let who = index.resources[res].display();
    let edit = traffic_edit::replace_rollout_steps(src, Rollout(index.root(res)), &who, steps)
        .map_err(|e| OpError::Refused(e.0))?;
    let out = lanes_yaml::edit::apply(src.text(), &[edit])?;
    verify(src.name(), &out, &index.resources[res], steps)?;
    Ok(out)
}

/// Re-parse the result and check the Rollout now holds exactly the new steps.
fn verify(
    name: &str,
    out: &str,
    r: &lanes_model::Resource,
    steps: &[RolloutStep],
) -> Result<(), OpError> {
    let index = Index::from_texts([(name.to_string(), out.to_string())]);
    let internal = |m: &str| {
        Err(OpError::Edit(format!(
            "internal error: {m}; nothing written"
        )))
    };
    if index.files[0].has_errors() {
        return internal("the rewritten file does not parse");
    }
    let Some(res) = index
        .find(Kind::Rollout, &r.namespace, &r.name)
        .first()
        .copied()
    else {
        return internal("the Rollout is gone after the rewrite");
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
        return internal("the rewritten steps do not read back as written");
    }
    Ok(())
}

/// Plan the rewrite of one Rollout's steps. Nothing is written.
pub fn steps(index: &Index, args: &StepsArgs, root: &Path) -> Result<StepsOutcome, OpError> {
    let steps = wanted_steps(args)?;
    crate::ops::lint_complete(index, &lanes_lint::Config::default())?;
    let res = find_rollout(index, args, root)?;
    let file = index.file_of(res);
    let name = file.source.name().to_string();
    let old = file.source.text();
    let new = rewrite(index, res, &steps)?;
    let display = crate::ops::display_name(root, &name);
    let changeset = if new == old {
        Changeset::default()
    } else {
        Changeset {
            changes: vec![FileChange {
                path: PathBuf::from(&name),
                display: display.clone(),
                before: Some(old.to_string()),
                after: Some(new),
            }],
        }
    };
    Ok(StepsOutcome {
        rollout: index.resources[res].display(),
        file: name,
        steps,
        changeset,
    })
}
