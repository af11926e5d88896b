//! `lanes upgrade check`: ASM upgrade methods and paths (lanes_plan::asm_version).

use std::path::Path;

use lanes_plan::asm_version::{self, AsmVersion, CanaryReach, Edition};

use crate::args_roll::{TextOrJson, UpgradeCheckArgs, UpgradeCommand};

pub(super) fn run(cmd: UpgradeCommand) -> i32 {
    match cmd {
        UpgradeCommand::Check(args) => check(&args),
        UpgradeCommand::Plan(args) => super::mesh_ops::plan(&args),
        UpgradeCommand::Next(args) => super::mesh_ops::next(&args),
    }
}

fn check(args: &UpgradeCheckArgs) -> i32 {
    let parse = |flag: &str, s: &str| {
        AsmVersion::parse(s)
            .map_err(|e| eprintln!("error: --{flag}: {e}"))
            .ok()
    };
    let (Some(from), Some(to)) = (parse("from", &args.from), parse("to", &args.to)) else {
        return 2;
    };
    let edition: Edition = match args.edition.parse() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: --edition: {e}");
            return 2;
        }
    };
    let reach = match canary_reach(args.canary_skip_minor) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let report = asm_version::upgrade_paths_reach(&from, &to, edition, reach);
    match args.format {
        TextOrJson::Text => print!("{}", asm_version::render_text(&report)),
        TextOrJson::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
    }
    if report.methods.is_empty() {
        1
    } else {
        0
    }
}

/// `--canary-skip-minor`, else `[mesh] canary-skip-minor` from lanes.toml (found from the
/// current directory), else the canary-upgrade guide's stricter reading.
pub(crate) fn canary_reach(flag: bool) -> Result<CanaryReach, i32> {
    if flag {
        return Ok(CanaryReach::SkipOneMinor);
    }
    let settings = lanes::config::settings(Path::new("."), None).map_err(|e| {
        eprintln!("error: {}", super::terminal_safe(&e.to_string()));
        2
    })?;
    Ok(settings.config.mesh.canary_reach)
}
