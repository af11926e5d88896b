//! The mesh upgrade commands: `lanes gateway canary start|finish`, `lanes mesh switch|promote|
//! check`, `lanes upgrade plan|next`. They call lanes_ops (ops::mesh, upgrade) and print or
//! write through the same path as the traffic commands (`ops::finish`): `--dry-run` diffs,
//! re-lint before writing, atomic writes, `--commit` for one commit per stage.

use lanes::ops::{OpError, Options, Outcome, Workspace};
use lanes_ops::ops::mesh;
use lanes_ops::upgrade;
use lanes_plan::asm_version::{CanaryReach, Edition, MethodKind};

use super::ops::{finish, Commit};
use crate::args_mesh as a;
use crate::args_ops::Common;

/// The whole repository and the options (lanes.toml found from `--root` upwards). Refuses when
/// any input failed to read or parse: nothing is written then.
fn prepare(c: &a::MeshCommon) -> Result<(lanes_model::Index, Options, Common), i32> {
    let settings = super::ops::writer_settings(&c.root)?;
    // Writing ops refuse an incomplete picture themselves (lanes_ops: nothing is written when
    // an input failed to read or parse).
    let ws = Workspace::whole(c.root.clone(), settings).force(c.force);
    let (index, options) = (ws.index, ws.options);
    let common = Common {
        root: c.root.clone(),
        group: None,
        route: None,
        host: None,
        dry_run: c.dry_run,
        force: c.force,
    };
    Ok((index, options, common))
}

/// Now as RFC 3339 UTC (`2026-12-02T16:40:00Z`), as `kubectl rollout restart` writes it.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

pub(super) fn gateway(cmd: a::GatewayCommand) -> i32 {
    let a::GatewayCommand::Canary(c) = cmd;
    let (start, args) = match &c {
        a::GatewayCanaryCommand::Start(x) => (true, x),
        a::GatewayCanaryCommand::Finish(x) => (false, x),
    };
    let Ok((index, opts, common)) = prepare(&args.common) else {
        return 2;
    };
    let op = mesh::GatewayCanaryArgs {
        name: args.name.clone(),
        namespace: args.namespace.clone(),
    };
    let result = if start {
        mesh::gateway_canary_start(&index, &op, &opts)
    } else {
        mesh::gateway_canary_finish(&index, &op, &opts)
    };
    let message = |_: &Outcome| {
        format!(
            "lanes: gateway canary {} {}/{}",
            if start { "start" } else { "finish" },
            args.namespace,
            args.name
        )
    };
    finish(
        &common,
        result,
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}

pub(super) fn switch(args: &a::MeshSwitchArgs) -> i32 {
    let Ok((index, opts, common)) = prepare(&args.common) else {
        return 2;
    };
    let op = mesh::SwitchArgs {
        namespaces: args.namespaces.clone(),
        to: args.to.clone(),
        restart: args.restart.clone(),
        restart_all: args.restart_all,
        restarted_at: args.restarted_at.clone().unwrap_or_else(now_rfc3339),
    };
    let message = |_: &Outcome| {
        let mut m = format!(
            "lanes: switch {} to istio.io/rev {}",
            args.namespaces.join(", "),
            args.to
        );
        if args.restart_all {
            m.push_str(", restart all workloads");
        } else if !args.restart.is_empty() {
            m.push_str(&format!(", restart {}", args.restart.join(", ")));
        }
        m
    };
    finish(
        &common,
        mesh::mesh_switch(&index, &op, &opts),
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}

pub(super) fn promote(args: &a::MeshPromoteArgs) -> i32 {
    let Ok((index, opts, common)) = prepare(&args.common) else {
        return 2;
    };
    let message = |_: &Outcome| "lanes: promotion sync: istio.io/rev canary -> stable".to_string();
    finish(
        &common,
        mesh::mesh_promote(&index, &opts),
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}

pub(super) fn check(args: &a::MeshCheckArgs) -> i32 {
    let common = a::MeshCommon {
        root: args.root.clone(),
        dry_run: true,
        force: false,
    };
    let Ok((index, opts, _)) = prepare(&common) else {
        return 2;
    };
    let blockers = mesh::revoke_blockers(&index, &opts.root);
    if blockers.is_empty() {
        println!("revoke: ok, no namespace uses the canary label");
        return 0;
    }
    eprintln!(
        "error: refused: the canary upgrade cannot be revoked while a namespace still uses the canary label:"
    );
    for b in &blockers {
        let line = format!(
            "  {}: namespace {} has istio.io/rev: canary",
            b.at, b.namespace
        );
        eprintln!("{}", super::terminal_safe(&line));
    }
    eprintln!("switch them back first: lanes mesh switch NAMESPACE... --to stable");
    2
}

fn edition(s: &str) -> Result<Edition, i32> {
    s.parse().map_err(|e| {
        eprintln!("error: --edition: {e}");
        2
    })
}

pub(super) fn plan(args: &a::UpgradePlanArgs) -> i32 {
    let Ok((index, opts, common)) = prepare(&args.common) else {
        return 2;
    };
    let Ok(edition) = edition(&args.edition) else {
        return 2;
    };
    let reach = if args.canary_skip_minor {
        CanaryReach::SkipOneMinor
    } else {
        opts.config.mesh.canary_reach
    };
    let op = upgrade::PlanArgs {
        from: args.from.clone(),
        to: args.to.clone(),
        method: args.method.map(|m| match m {
            a::MethodArg::Canary => MethodKind::Canary,
            a::MethodArg::InPlace => MethodKind::InPlace,
        }),
        edition,
        reach,
        direct: args.direct,
        save: args.save,
    };
    let message = |_: &Outcome| format!("lanes: upgrade plan to {}", args.to);
    finish(
        &common,
        upgrade::plan(&index, &op, &opts),
        !args.save,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}

pub(super) fn next(args: &a::UpgradeNextArgs) -> i32 {
    let Ok((index, opts, common)) = prepare(&args.common) else {
        return 2;
    };
    let op = upgrade::NextArgs {
        done: args.done,
        restarted_at: args.restarted_at.clone().unwrap_or_else(now_rfc3339),
    };
    let (result, stage): (Result<Outcome, OpError>, (usize, String)) =
        match upgrade::next(&index, &op, &opts) {
            Ok(n) if n.waiting => {
                for l in &n.outcome.summary {
                    println!("{}", super::terminal_safe(l));
                }
                return 0;
            }
            Ok(n) => (Ok(n.outcome), n.stage),
            Err(e) => (Err(e), (0, String::new())),
        };
    let message = |_: &Outcome| {
        let what = stage.1.strip_prefix("git: lanes ").unwrap_or(&stage.1);
        format!("lanes: upgrade stage {}: {what}", stage.0)
    };
    finish(
        &common,
        result,
        false,
        Some(Commit {
            args: &args.git,
            message: &message,
        }),
    )
}
