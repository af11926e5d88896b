//! The committed docs equal what the code generates. Re-bless with
//! `LANES_BLESS=1 cargo test -p lanes_lint --test docs`.

use std::path::Path;

#[test]
fn committed_docs_match_the_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bless = std::env::var_os("LANES_BLESS").is_some_and(|v| v == "1");
    let files = lanes_lint::docs::generated_files();
    let mut stale = Vec::new();
    for (rel, text) in &files {
        let path = root.join(rel);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != *text {
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
            } else {
                stale.push(rel.clone());
            }
        }
    }
    // Pages of rules that no longer exist.
    for e in std::fs::read_dir(root.join("docs/rules"))
        .into_iter()
        .flatten()
    {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let rel = format!("docs/rules/{name}");
        if name.ends_with(".md") && !files.iter().any(|(r, _)| *r == rel) {
            if bless {
                std::fs::remove_file(root.join(&rel)).unwrap();
            } else {
                stale.push(format!("{rel} (no such rule)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated docs are out of date; run `LANES_BLESS=1 cargo test -p lanes_lint --test docs`:\n{}",
        stale.join("\n")
    );
}
