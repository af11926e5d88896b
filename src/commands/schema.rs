use lanes_lint::schema;

pub(super) fn run(kind: Option<&str>) -> i32 {
    let Some(kind) = kind else {
        for s in schema::SCHEMAS {
            println!("{:<18} {}", s.name, s.kinds.join(", "));
        }
        println!("{:<18} lanes.toml", "lanes-toml");
        println!(
            "{:<18} every kind above, dispatching on apiVersion/kind",
            "all"
        );
        return 0;
    };
    if kind.eq_ignore_ascii_case("all") {
        return super::write_stdout(lanes_lint::schema_combined::combined_text().as_bytes());
    }
    if kind.eq_ignore_ascii_case("lanes-toml") || kind.eq_ignore_ascii_case("lanes.toml") {
        let s = lanes_lint::config_file::json_schema();
        println!("{}", serde_json::to_string_pretty(&s).unwrap_or_default());
        return 0;
    }
    match schema::find(kind) {
        Some(s) => {
            print!("{}", s.text);
            if !s.text.ends_with('\n') {
                println!();
            }
            0
        }
        None => {
            eprintln!("error: no schema for `{kind}`; `lanes schema` lists the kinds");
            2
        }
    }
}

pub(super) fn docs(out: &std::path::Path) -> i32 {
    for (rel, text) in lanes_lint::docs::generated_files() {
        let path = out.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 2;
        }
    }
    0
}
