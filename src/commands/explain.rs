use lanes_lint::registry;

pub(super) fn rules(json: bool) -> i32 {
    if json {
        let list: Vec<serde_json::Value> = registry::RULES
            .iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.meta.code,
                    "name": r.meta.name,
                    "group": r.meta.group,
                    "severity": r.meta.severity.as_str(),
                    "summary": r.meta.summary,
                    "fix": r.meta.fix,
                    "peers": registry::peer_checks(r.meta),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        );
        return 0;
    }
    print!("{}", lanes_lint::render::rules_table());
    0
}

pub(super) fn explain(code: &str) -> i32 {
    match registry::find(code) {
        Some(rule) => {
            print!("{}", lanes_lint::render::explain(rule.meta));
            0
        }
        None => {
            let covering = registry::rules_for_peer_code(code);
            if covering.is_empty() {
                eprintln!("error: no rule with code or name `{code}`, and no rule covers a peer check of that code; `lanes rules` lists them");
                return 2;
            }
            print!("{}", lanes_lint::render::explain_peer(code, &covering));
            0
        }
    }
}
