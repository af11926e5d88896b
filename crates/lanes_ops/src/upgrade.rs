//! The ASM upgrade plan: the version hops that [`lanes_plan::asm_version`] computes, and for
//! each hop the ordered stages, each either a git change ([`ops::mesh`](crate::ops::mesh)) or a
//! manual step outside git (clicking "Upgrade Version" in the console).
//!
//! `lanes upgrade plan --save` records the plan in `.lanes/upgrade-plan.json`; `lanes upgrade
//! next` applies the next git stage (one commit per stage with `--commit`) or, for a manual
//! stage, prints it until it is checked off with `--done`. The file records how many stages are
//! done, so the plan file changes in the same commit as the stage.
//!
//! # Stages of one hop
//!
//! Canary hop to version V (revision `1-x-y`):
//! 1. manual: start the canary upgrade to V in the console;
//! 2. git: `gateway canary start` for each IstioGateway;
//! 3. git: switch every injected namespace to `istio.io/rev: canary` and restart its workloads;
//! 4. manual: verify the workloads and the canary gateway pod, then promote in the console;
//! 5. git: the promotion sync (`mesh promote`);
//! 6. manual: upgrade the gateways to V in the console;
//! 7. git: `gateway canary finish` for each IstioGateway;
//! 8. git: switch every injected namespace to `istio.io/rev: stable` and restart its workloads
//!    (roll the data plane);
//! 9. manual: unpublish the old control plane, and record `[mesh] version` in lanes.toml.
//!
//! In-place hop: manual upgrade in the console, gateway canary start, manual verify and gateway
//! upgrade, gateway canary finish, manual restart of the workloads. A hot update is one manual
//! stage (ASM applies it).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use lanes_model::views::{Injects, Namespace};
use lanes_model::{Index, Kind};
use lanes_plan::asm_version::{
    self, check_hop, AsmVersion, CanaryReach, Edition, MethodKind, UpgradeReport,
};

use crate::changeset::FileChange;
use crate::ops::mesh::{self, GatewayCanaryArgs, SwitchArgs};
use crate::ops::{display_name, OpError, Options, Outcome};

/// Where the saved plan lives, relative to the repository root.
pub const PLAN_FILE: &str = ".lanes/upgrade-plan.json";

/// What one stage does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// A step outside git; checked off with `lanes upgrade next --done`.
    Manual {
        /// What to do.
        step: String,
    },
    /// `lanes gateway canary start`.
    GatewayCanaryStart {
        /// Namespace.
        namespace: String,
        /// IstioGateway name.
        name: String,
    },
    /// `lanes gateway canary finish`.
    GatewayCanaryFinish {
        /// Namespace.
        namespace: String,
        /// IstioGateway name.
        name: String,
    },
    /// `lanes mesh switch NAMESPACES --to TO --restart-all`.
    Switch {
        /// Namespaces.
        namespaces: Vec<String>,
        /// Revision or tag.
        to: String,
    },
    /// `lanes mesh promote`.
    PromoteSync,
}

impl Action {
    /// Whether the stage is a git change.
    pub fn is_git(&self) -> bool {
        !matches!(self, Action::Manual { .. })
    }

    /// One line for tables and commit messages.
    pub fn describe(&self) -> String {
        match self {
            Action::Manual { step } => format!("manual: {step}"),
            Action::GatewayCanaryStart { namespace, name } => {
                format!("git: lanes gateway canary start {name} -n {namespace}")
            }
            Action::GatewayCanaryFinish { namespace, name } => {
                format!("git: lanes gateway canary finish {name} -n {namespace}")
            }
            Action::Switch { namespaces, to } => format!(
                "git: lanes mesh switch {} --to {to} --restart-all",
                namespaces.join(" ")
            ),
            Action::PromoteSync => "git: lanes mesh promote".to_string(),
        }
    }
}

/// One stage of the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// The hop (1-based) this stage belongs to.
    pub hop: usize,
    /// The version the hop lands on (`1.23.x` or the target).
    pub hop_to: String,
    /// What to do.
    pub action: Action,
}

/// A saved (or printed) upgrade plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradePlan {
    /// Current version.
    pub from: String,
    /// Target version.
    pub to: String,
    /// `canary` or `in_place` (or `hot_update`).
    pub method: MethodKind,
    /// The stages, in order.
    pub stages: Vec<Stage>,
    /// How many stages are done.
    pub done: usize,
    /// Remarks (the guides' disagreement on canary skips, ...).
    pub notes: Vec<String>,
}

/// `lanes upgrade plan`.
#[derive(Clone, Debug)]
pub struct PlanArgs {
    /// Current version (default: `[mesh] version`).
    pub from: Option<String>,
    /// Target version.
    pub to: String,
    /// `canary` or `in-place` (default: the first method `upgrade check` lists).
    pub method: Option<MethodKind>,
    /// The mesh's edition.
    pub edition: Edition,
    /// The canary reach (default: `[mesh] canary-skip-minor`).
    pub reach: CanaryReach,
    /// One hop straight to the target; refused when the guide does not allow it.
    pub direct: bool,
    /// Record the plan in `.lanes/upgrade-plan.json`.
    pub save: bool,
}

fn refuse<T>(msg: impl Into<String>) -> Result<T, OpError> {
    Err(OpError::Refused(msg.into()))
}

/// The injected namespaces and the gateways of the repository.
fn repo_facts(index: &Index) -> (Vec<String>, Vec<(String, String)>) {
    let mut ns: Vec<String> = index
        .of_kind(Kind::Namespace)
        .filter(|r| {
            matches!(
                Namespace(index.root(*r)).injects(),
                Injects::Stable | Injects::Revision(_)
            )
        })
        .map(|r| index.resources[r].name.clone())
        .collect();
    ns.sort();
    ns.dedup();
    let gws = index
        .of_kind(Kind::IstioGateway)
        .map(|r| {
            let g = &index.resources[r];
            (g.namespace.clone(), g.name.clone())
        })
        .collect();
    (ns, gws)
}

fn hop_stages(
    hop: usize,
    hop_to: &str,
    kind: MethodKind,
    namespaces: &[String],
    gateways: &[(String, String)],
) -> Vec<Stage> {
    let st = |action: Action| Stage {
        hop,
        hop_to: hop_to.to_string(),
        action,
    };
    let manual = |s: String| st(Action::Manual { step: s });
    let mut out = Vec::new();
    let gw_start = |out: &mut Vec<Stage>| {
        for (ns, name) in gateways {
            out.push(st(Action::GatewayCanaryStart {
                namespace: ns.clone(),
                name: name.clone(),
            }));
        }
    };
    let gw_finish = |out: &mut Vec<Stage>| {
        for (ns, name) in gateways {
            out.push(st(Action::GatewayCanaryFinish {
                namespace: ns.clone(),
                name: name.clone(),
            }));
        }
    };
    match kind {
        MethodKind::HotUpdate => out.push(manual(format!(
            "ASM applies the hot update to {hop_to} automatically; check the version in the console"
        ))),
        MethodKind::InPlace => {
            out.push(manual(format!(
                "in the ASM console, upgrade the control plane in place to {hop_to} (Upgrade Version; cannot be rolled back)"
            )));
            gw_start(&mut out);
            out.push(manual(format!(
                "verify the canary gateway pod(s), then upgrade the gateways to {hop_to} in the console"
            )));
            gw_finish(&mut out);
            out.push(manual(
                "restart the workloads so their sidecars follow the upgraded control plane"
                    .to_string(),
            ));
        }
        MethodKind::Canary => {
            out.push(manual(format!(
                "in the ASM console, start the canary upgrade to {hop_to} (Upgrade Version, canary): the new control plane answers istio.io/rev: canary"
            )));
            gw_start(&mut out);
            if !namespaces.is_empty() {
                out.push(st(Action::Switch {
                    namespaces: namespaces.to_vec(),
                    to: "canary".into(),
                }));
            }
            out.push(manual(
                "verify the redeployed workloads (and the canary gateway pod), then promote the canary in the console: ASM rewrites canary to stable in the cluster".to_string(),
            ));
            out.push(st(Action::PromoteSync));
            if !gateways.is_empty() {
                out.push(manual(format!(
                    "upgrade the gateways to {hop_to} in the console"
                )));
            }
            gw_finish(&mut out);
            if !namespaces.is_empty() {
                out.push(st(Action::Switch {
                    namespaces: namespaces.to_vec(),
                    to: "stable".into(),
                }));
            }
            out.push(manual(format!(
                "unpublish the old control plane in the console, and record [mesh] version (a {hop_to} release) in lanes.toml"
            )));
        }
    }
    out
}

/// Build the plan. Refuses (with the reason) when `--direct` names a hop the guide does not
/// allow, when the method is not available, or when the upgrade is refused outright.
pub fn build_plan(index: &Index, a: &PlanArgs, opts: &Options) -> Result<UpgradePlan, OpError> {
    let from_text = match (&a.from, &opts.config.mesh.version) {
        (Some(f), _) => f.clone(),
        (None, Some(v)) => v.to_string(),
        (None, None) => return refuse("give --from, or record [mesh] version in lanes.toml"),
    };
    let (from, from_open) =
        AsmVersion::parse_open(&from_text).map_err(|e| OpError::Refused(e.to_string()))?;
    let (to, to_open) =
        AsmVersion::parse_open(&a.to).map_err(|e| OpError::Refused(e.to_string()))?;
    // Open versions (`1.24.x`) are shown as written.
    let from_shown = if from_open {
        from_text.trim().to_string()
    } else {
        from.to_string()
    };
    let to_shown = if to_open {
        a.to.trim().to_string()
    } else {
        to.to_string()
    };
    let report: UpgradeReport = asm_version::upgrade_paths_reach(&from, &to, a.edition, a.reach);
    if let Some(r) = &report.refused {
        return refuse(r.clone());
    }
    let (namespaces, gateways) = repo_facts(index);
    let (kind, steps): (MethodKind, Vec<(String, MethodKind)>) = if a.direct {
        let kind = a.method.unwrap_or(MethodKind::Canary);
        if let Err(why) = check_hop(&from, &to, kind, a.edition, a.reach) {
            return refuse(format!("--direct {kind} {from_shown} -> {to_shown}: {why}"));
        }
        (kind, vec![(to_shown.clone(), kind)])
    } else {
        let m = match a.method {
            Some(k) => report.methods.iter().find(|m| m.kind == k),
            None => report.methods.first(),
        };
        let Some(m) = m else {
            let mut why = format!(
                "no {} upgrade from {from} to {to}",
                a.method.map(|k| k.to_string()).unwrap_or_default()
            );
            for n in &report.notes {
                why.push_str("; ");
                why.push_str(n);
            }
            return refuse(why);
        };
        let mut steps: Vec<(String, MethodKind)> =
            m.steps.iter().map(|s| (s.to.clone(), s.kind)).collect();
        if let Some(last) = steps.last_mut() {
            last.0 = to_shown.clone();
        }
        (m.kind, steps)
    };
    let mut stages = Vec::new();
    for (i, (hop_to, k)) in steps.iter().enumerate() {
        stages.extend(hop_stages(i + 1, hop_to, *k, &namespaces, &gateways));
    }
    let mut notes = report.notes.clone();
    if let Some(m) = report.methods.iter().find(|m| m.kind == kind) {
        notes.extend(m.notes.iter().cloned());
    }
    Ok(UpgradePlan {
        from: from_shown,
        to: to_shown,
        method: kind,
        stages,
        done: 0,
        notes,
    })
}

/// The plan as text lines: a header, one line per stage (`>` marks the next), the notes.
pub fn render(plan: &UpgradePlan) -> Vec<String> {
    let mut out = vec![format!(
        "ASM upgrade plan {} -> {} ({}), {} stages",
        plan.from,
        plan.to,
        plan.method,
        plan.stages.len()
    )];
    for (i, s) in plan.stages.iter().enumerate() {
        let mark = if i < plan.done {
            "x"
        } else if i == plan.done {
            ">"
        } else {
            " "
        };
        out.push(format!(
            "{mark} {:>2}. [hop {} to {}] {}",
            i + 1,
            s.hop,
            s.hop_to,
            s.action.describe()
        ));
    }
    for n in &plan.notes {
        out.push(format!("note: {n}"));
    }
    out
}

fn plan_path(root: &Path) -> PathBuf {
    root.join(PLAN_FILE)
}

fn plan_text(plan: &UpgradePlan) -> String {
    let mut t = serde_json::to_string_pretty(plan).unwrap_or_default();
    t.push('\n');
    t
}

fn read_existing(path: &Path) -> Result<Option<String>, OpError> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => refuse(format!("{}: {e}", path.display())),
    }
}

/// `lanes upgrade plan`: the table in `summary`, and with `save` the plan file.
pub fn plan(index: &Index, a: &PlanArgs, opts: &Options) -> Result<Outcome, OpError> {
    let plan = build_plan(index, a, opts)?;
    let mut out = Outcome {
        summary: render(&plan),
        ..Outcome::default()
    };
    if a.save {
        let path = plan_path(&opts.root);
        let before = read_existing(&path)?;
        out.summary.push(format!("saved to {PLAN_FILE}"));
        out.changeset.changes.push(FileChange {
            display: display_name(&opts.root, &path.to_string_lossy()),
            path,
            before,
            after: Some(plan_text(&plan)),
        });
    }
    Ok(out)
}

/// Read the saved plan.
pub fn load_plan(root: &Path) -> Result<(UpgradePlan, String), OpError> {
    let path = plan_path(root);
    let Some(text) = read_existing(&path)? else {
        return refuse(format!(
            "no saved upgrade plan ({PLAN_FILE}); run `lanes upgrade plan ... --save` first"
        ));
    };
    let plan: UpgradePlan =
        serde_json::from_str(&text).map_err(|e| OpError::Refused(format!("{PLAN_FILE}: {e}")))?;
    if plan.done > plan.stages.len() {
        return refuse(format!("{PLAN_FILE}: done is past the last stage"));
    }
    Ok((plan, text))
}

/// `lanes upgrade next [--done]`.
#[derive(Clone, Debug, Default)]
pub struct NextArgs {
    /// Check off the next (manual) stage.
    pub done: bool,
    /// The `kubectl.kubernetes.io/restartedAt` value for switch stages.
    pub restarted_at: String,
}

/// What `upgrade next` did.
#[derive(Debug)]
pub struct NextOutcome {
    /// The change (the stage's edits plus the plan file).
    pub outcome: Outcome,
    /// The stage's number (1-based) and description, for the commit message.
    pub stage: (usize, String),
    /// Whether this was a manual stage printed but not checked off (nothing to write).
    pub waiting: bool,
}

/// Apply the next stage of the saved plan.
pub fn next(index: &Index, a: &NextArgs, opts: &Options) -> Result<NextOutcome, OpError> {
    let (mut plan, before) = load_plan(&opts.root)?;
    let Some(stage) = plan.stages.get(plan.done).cloned() else {
        return refuse(format!(
            "every stage of the upgrade plan {} -> {} is done",
            plan.from, plan.to
        ));
    };
    let number = plan.done + 1;
    let total = plan.stages.len();
    let desc = stage.action.describe();
    let mut outcome = match &stage.action {
        Action::Manual { step } => {
            if !a.done {
                return Ok(NextOutcome {
                    outcome: Outcome {
                        summary: vec![
                            format!("stage {number}/{total} is a manual step: {step}"),
                            "once it is done, check it off with `lanes upgrade next --done`"
                                .to_string(),
                        ],
                        ..Outcome::default()
                    },
                    stage: (number, desc),
                    waiting: true,
                });
            }
            Outcome {
                summary: vec![format!("stage {number}/{total} checked off: {step}")],
                ..Outcome::default()
            }
        }
        _ if a.done => {
            return refuse(format!(
                "stage {number}/{total} is a git change ({desc}); run `lanes upgrade next` without --done to apply it"
            ))
        }
        Action::GatewayCanaryStart { namespace, name } => mesh::gateway_canary_start(
            index,
            &GatewayCanaryArgs {
                name: name.clone(),
                namespace: namespace.clone(),
            },
            opts,
        )?,
        Action::GatewayCanaryFinish { namespace, name } => mesh::gateway_canary_finish(
            index,
            &GatewayCanaryArgs {
                name: name.clone(),
                namespace: namespace.clone(),
            },
            opts,
        )?,
        Action::Switch { namespaces, to } => mesh::mesh_switch(
            index,
            &SwitchArgs {
                namespaces: namespaces.clone(),
                to: to.clone(),
                restart: Vec::new(),
                restart_all: true,
                restarted_at: a.restarted_at.clone(),
            },
            opts,
        )?,
        Action::PromoteSync => mesh::mesh_promote(index, opts)?,
    };
    plan.done += 1;
    let path = plan_path(&opts.root);
    outcome.changeset.changes.push(FileChange {
        display: display_name(&opts.root, &path.to_string_lossy()),
        path,
        before: Some(before),
        after: Some(plan_text(&plan)),
    });
    if stage.action.is_git() {
        outcome
            .summary
            .insert(0, format!("stage {number}/{total}: {desc}"));
    }
    match plan.stages.get(plan.done) {
        Some(s) => outcome
            .summary
            .push(format!("next: {}", s.action.describe())),
        None => outcome
            .summary
            .push("that was the last stage of the plan".to_string()),
    }
    Ok(NextOutcome {
        outcome,
        stage: (number, desc),
        waiting: false,
    })
}
