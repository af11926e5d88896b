//! `split`, `set`, `plan` and `promote`: rewriting the weights of the group's split routes.

use lanes_model::traffic_edit;
use lanes_model::Index;

use super::find::SplitRoute;
use super::target::{scope, Scope};
use super::{finish, lane_of, refuse, Check, OpError, Options, Outcome, Pending, RouteWeights};
use lanes_plan::plan::{self as plans, NextStage, Plan};
use lanes_plan::weights::{self, format_split, normalize, Policy, DEFAULT_TOTAL};

/// Lane (or version) name of each destination.
pub(crate) fn lane_names(_index: &Index, r: &SplitRoute<'_>) -> Vec<String> {
    r.names()
}

/// The position of version `name` in a route: for an ASM scope the lane must exist in the
/// group (the refusal names the known lanes); otherwise the destination's subset or host.
pub(crate) fn position(
    index: &Index,
    sc: &Scope<'_>,
    r: &SplitRoute<'_>,
    name: &str,
) -> Result<Option<usize>, OpError> {
    match sc.group {
        Some(g) => {
            let lane = lane_of(index, g, name)?;
            Ok(r.position_of(lane))
        }
        None => Ok(r.position_named(name)),
    }
}

/// Refuse a version name that no route of the scope has (non-ASM scopes).
pub(crate) fn known_version(sc: &Scope<'_>, name: &str) -> Result<(), OpError> {
    if sc.group.is_some() || sc.routes.iter().any(|r| r.position_named(name).is_some()) {
        return Ok(());
    }
    let mut known: Vec<String> = sc.routes.iter().flat_map(|r| r.names()).collect();
    known.sort();
    known.dedup();
    refuse(format!(
        "unknown version {name} in {} (known: {})",
        sc.what,
        known.join(", ")
    ))
}

/// Edits that set every destination's weight of a route, plus the check and the record.
pub(crate) fn set_route_weights(
    index: &Index,
    p: &mut Pending,
    r: &SplitRoute<'_>,
    new: &[u32],
) -> Result<(), OpError> {
    let src = &index.files[r.file].source;
    let nodes: Vec<_> = r.dests.iter().map(|d| d.node).collect();
    for e in traffic_edit::set_weights(src, &nodes, new)? {
        p.edit(r.file, e);
    }
    let res = &index.resources[r.vs];
    p.checks.push(Check::Route {
        file: src.name().to_string(),
        vs_namespace: res.namespace.clone(),
        vs_name: res.name.clone(),
        pointer: r.pointer.clone(),
        expect: r
            .dests
            .iter()
            .zip(new)
            .map(|(d, w)| (d.key(), *w))
            .collect(),
    });
    record(
        index,
        p,
        r,
        lane_names(index, r),
        r.weights().into_iter().map(Some).collect(),
        new.to_vec(),
    );
    Ok(())
}

pub(crate) fn record(
    index: &Index,
    p: &mut Pending,
    r: &SplitRoute<'_>,
    lanes: Vec<String>,
    before: Vec<Option<u32>>,
    after: Vec<u32>,
) {
    let pairs: Vec<String> = lanes
        .iter()
        .zip(&after)
        .map(|(l, w)| format!("{l} {w}"))
        .collect();
    p.summary
        .push(format!("{}: {}", r.label, pairs.join(" / ")));
    p.weights.push(RouteWeights {
        file: index.files[r.file].source.name().to_string(),
        route: r.label.clone(),
        lanes,
        before,
        after,
    });
}

/// `lanes split A:B:C`.
#[derive(Clone, Debug, Default)]
pub struct SplitArgs {
    /// Weights in route order (`60:30:10`).
    pub split: String,
    /// Only the route (or VirtualService) with this name.
    pub route: Option<String>,
}

/// Set every destination's weight of the group's split routes, in route order.
pub fn split_weights(index: &Index, args: &SplitArgs, opts: &Options) -> Result<Outcome, OpError> {
    let weights = weights::parse_split(&args.split, DEFAULT_TOTAL)?;
    let sc = scope(index, opts, args.route.as_deref(), None)?;
    let mut p = Pending::default();
    for r in &sc.routes {
        if r.dests.len() != weights.len() {
            return refuse(format!(
                "{} has {} destinations ({}); the split {} has {}",
                r.label,
                r.dests.len(),
                lane_names(index, r).join(", "),
                args.split,
                weights.len()
            ));
        }
        set_route_weights(index, &mut p, r, &weights)?;
    }
    finish(index, opts, p)
}

/// `lanes set LANE=W...`.
#[derive(Clone, Debug, Default)]
pub struct SetArgs {
    /// `(lane, weight)` pairs. Lanes not named share the rest in proportion.
    pub assignments: Vec<(String, u32)>,
    /// Only the route (or VirtualService) with this name.
    pub route: Option<String>,
}

/// Parse `v3=10`.
pub fn parse_assignment(s: &str) -> Result<(String, u32), OpError> {
    let Some((lane, w)) = s.split_once('=') else {
        return refuse(format!("`{s}` is not LANE=WEIGHT"));
    };
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| OpError::Refused(format!("`{s}`: the weight is not a whole number")))?;
    if w > DEFAULT_TOTAL {
        return refuse(format!("`{s}`: weight {w} is over 100"));
    }
    Ok((lane.trim().to_string(), w))
}

/// Set some lanes' weights; the other lanes of each route share the rest in proportion.
pub fn set(index: &Index, args: &SetArgs, opts: &Options) -> Result<Outcome, OpError> {
    if args.assignments.is_empty() {
        return refuse("nothing to set: give LANE=WEIGHT pairs");
    }
    let first = args.assignments.first().map(|(l, _)| l.as_str());
    let sc = scope(index, opts, args.route.as_deref(), first)?;
    if let Some(g) = sc.group {
        for (l, _) in &args.assignments {
            lane_of(index, g, l)?;
        }
    }
    for (l, _) in &args.assignments {
        known_version(&sc, l)?;
    }
    let mut p = Pending::default();
    for r in &sc.routes {
        let mut fixed = Vec::new();
        for (lane, w) in &args.assignments {
            let Some(i) = position(index, &sc, r, lane)? else {
                return refuse(format!("{} has no destination for lane {lane}", r.label));
            };
            fixed.push((i, *w));
        }
        let new = weights::set_many(
            &normalize(&r.weights(), DEFAULT_TOTAL),
            &fixed,
            DEFAULT_TOTAL,
        )
        .map_err(|e| OpError::Refused(format!("{}: {e}", r.label)))?;
        set_route_weights(index, &mut p, r, &new)?;
    }
    finish(index, opts, p)
}

/// `lanes plan LANE --stages ...`.
#[derive(Clone, Debug, Default)]
pub struct PlanArgs {
    /// Target lane.
    pub lane: String,
    /// `10,30,80,100` or `60:30:10,40:30:30,...`.
    pub stages: String,
    /// How the short form shrinks the other lanes.
    pub policy: Policy,
    /// Record the plan in `.lanes/plan-<group>.json`.
    pub save: bool,
    /// Take the current weights from this route.
    pub route: Option<String>,
}

/// The plan's table and, with `save`, the plan file. The table is in `summary`.
pub fn plan(index: &Index, args: &PlanArgs, opts: &Options) -> Result<Outcome, OpError> {
    let sc = scope(index, opts, args.route.as_deref(), Some(&args.lane))?;
    known_version(&sc, &args.lane)?;
    let r = &sc.routes[0];
    let lanes = lane_names(index, r);
    let Some(target) = position(index, &sc, r, &args.lane)? else {
        return refuse(format!(
            "{} has no destination for lane {}; add it first (lanes add)",
            r.label, args.lane
        ));
    };
    let current = normalize(&r.weights(), DEFAULT_TOTAL);
    let stages = plans::parse_stages(&args.stages)?;
    let plan = plans::plan_from_stages(&lanes, &current, target, &stages, args.policy)?;
    let next = match plans::next_stage(&plan, &current)? {
        NextStage::Stage { number, .. } => Some(number - 1),
        NextStage::Done => None,
    };
    let mut p = Pending::default();
    p.summary.push(format!(
        "plan for lane {} of {} ({}); now {} = {}",
        args.lane,
        sc.what,
        r.label,
        lanes.join(":"),
        format_split(&current)
    ));
    // The table's rows start with the right-aligned stage number; `>` marks the next stage.
    for (i, line) in plans::render_table(&plan).lines().enumerate() {
        match (i.checked_sub(1), next) {
            (Some(row), Some(n)) if row == n && line.starts_with(' ') => {
                p.summary.push(format!(">{}", &line[1..]))
            }
            _ => p.summary.push(line.to_string()),
        }
    }
    if args.save {
        let rel = plans::plan_file_path(&sc.key)?;
        let text = plan.to_file_string(&sc.key, args.route.as_deref().or(opts.route.as_deref()))?;
        let path = opts.root.join(&rel);
        let before = match std::fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return refuse(format!("{}: {e}", path.display())),
        };
        p.summary.push(format!(
            "saved to {}",
            super::display_name(&opts.root, &path.to_string_lossy())
        ));
        p.other.push((path, before, text));
    }
    finish(index, opts, p)
}

/// `lanes promote LANE [--to W | --next]`.
#[derive(Clone, Debug, Default)]
pub struct PromoteArgs {
    /// The lane to promote.
    pub lane: String,
    /// Give the lane this weight (the others follow `policy`); without it, apply the saved
    /// plan's next stage.
    pub to: Option<u32>,
    /// How the other lanes give up weight with `to`.
    pub policy: Policy,
}

/// Apply the saved plan's next stage, or a given weight.
pub fn promote(index: &Index, args: &PromoteArgs, opts: &Options) -> Result<Outcome, OpError> {
    let sc = scope(index, opts, None, Some(&args.lane))?;
    known_version(&sc, &args.lane)?;
    let routes = &sc.routes;
    let mut p = Pending::default();
    if let Some(w) = args.to {
        for r in routes {
            let Some(i) = position(index, &sc, r, &args.lane)? else {
                return refuse(format!(
                    "{} has no destination for lane {}",
                    r.label, args.lane
                ));
            };
            let new = weights::set_weight_policy(
                &normalize(&r.weights(), DEFAULT_TOTAL),
                i,
                w,
                DEFAULT_TOTAL,
                args.policy,
            )?;
            set_route_weights(index, &mut p, r, &new)?;
        }
        return finish(index, opts, p);
    }
    let path = opts.root.join(plans::plan_file_path(&sc.key)?);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) => {
            return refuse(format!(
                "no saved plan for {} ({}); run `lanes plan {} --stages ... --save` or use --to W",
                sc.what,
                super::display_name(&opts.root, &path.to_string_lossy()),
                args.lane
            ))
        }
    };
    let saved = Plan::from_file_str(&text)
        .map_err(|e| OpError::Refused(format!("{}: {e}", path.display())))?;
    if saved.group != sc.key {
        return refuse(format!(
            "{} is a plan for group {}, not {}",
            path.display(),
            saved.group,
            sc.key
        ));
    }
    let plan = saved.plan;
    if plan.target != args.lane {
        return refuse(format!(
            "the saved plan of {} promotes lane {}, not {}",
            sc.what, plan.target, args.lane
        ));
    }
    // Every route, in the plan's lane order.
    let mut orders = Vec::new();
    for r in routes {
        let names = lane_names(index, r);
        let mut order = Vec::new();
        for l in &plan.lanes {
            match names.iter().position(|n| n == l) {
                Some(i) => order.push(i),
                None => {
                    return refuse(format!(
                        "{} has no destination for lane {l} of the saved plan",
                        r.label
                    ))
                }
            }
        }
        if order.len() != names.len() {
            return refuse(format!(
                "{} has lanes the saved plan does not list ({} vs {})",
                r.label,
                names.join(", "),
                plan.lanes.join(", ")
            ));
        }
        orders.push(order);
    }
    let current: Vec<u32> = orders[0]
        .iter()
        .map(|i| routes[0].dests[*i].weight)
        .collect();
    let NextStage::Stage { number, .. } = plans::next_stage(&plan, &current)? else {
        return refuse(format!(
            "lane {} is at the last stage of the saved plan ({} for {}); there is no next stage",
            args.lane,
            format_split(&current),
            plan.lanes.join(":")
        ));
    };
    let k = number - 1;
    let stage = &plan.stages[k];
    for (r, order) in routes.iter().zip(&orders) {
        let mut new = vec![0; r.dests.len()];
        for (col, i) in order.iter().enumerate() {
            new[*i] = stage[col];
        }
        set_route_weights(index, &mut p, r, &new)?;
    }
    p.summary.insert(
        0,
        format!(
            "stage {}/{}: {} = {}",
            k + 1,
            plan.stages.len(),
            plan.lanes.join(":"),
            format_split(stage)
        ),
    );
    match plan.stages.get(k + 1) {
        Some(next) => p.summary.push(format!(
            "next stage: {}/{}: {}",
            k + 2,
            plan.stages.len(),
            format_split(next)
        )),
        None => p.summary.push("this was the plan's last stage".to_string()),
    }
    finish(index, opts, p)
}
