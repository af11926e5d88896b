//! Generated documentation: one page per rule (the text `lanes explain` prints), the rule
//! index, the configuration reference, the `lanes.toml` JSON Schema and the combined editor
//! schema of every kind.
//!
//! `LANES_BLESS=1 cargo test -p lanes_lint --test docs` rewrites the committed files;
//! without it the test fails when they differ. `lanes docs --out DIR` writes the same files.

use std::fmt::Write as _;

use crate::registry::RULES;
use crate::FixAvailability;

/// Every generated file: `(path relative to the repository root, contents)`.
pub fn generated_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in RULES {
        out.push((format!("docs/rules/{}.md", r.meta.code), page(r.meta)));
    }
    out.push(("docs/rules/README.md".into(), rules_index()));
    out.push((
        "docs/configuration.md".into(),
        crate::config_file::reference_markdown(),
    ));
    let mut schema =
        serde_json::to_string_pretty(&crate::config_file::json_schema()).unwrap_or_default();
    schema.push('\n');
    out.push(("schemas/lanes-toml.schema.json".into(), schema));
    out.push((
        crate::schema_combined::PATH.into(),
        crate::schema_combined::combined_text(),
    ));
    out
}

fn page(meta: &crate::RuleMeta) -> String {
    let mut s = crate::render::explain(meta);
    if !s.ends_with('\n') {
        s.push('\n');
    }
    format!("<!-- generated from the rule's source by `LANES_BLESS=1 cargo test -p lanes_lint --test docs`; do not edit -->\n{s}")
}

/// Whether a rule declares its fix unsafe: its docs have a `## Fix safety` section that says
/// "unsafe" (a section that calls the fix safe, or no section, means safe).
pub fn fix_is_unsafe(meta: &crate::RuleMeta) -> bool {
    let Some((_, rest)) = meta.docs.split_once("## Fix safety") else {
        return false;
    };
    let section = rest.split("\n## ").next().unwrap_or("");
    section.to_lowercase().contains("unsafe")
}

/// How a rule's fix is described in the index: `—`, `safe`, `unsafe` (sometimes: `… (sometimes)`).
pub(crate) fn fix_label(meta: &crate::RuleMeta) -> &'static str {
    match (meta.fix, fix_is_unsafe(meta)) {
        (FixAvailability::None, _) => "—",
        (FixAvailability::Always, false) => "safe",
        (FixAvailability::Always, true) => "unsafe",
        (FixAvailability::Sometimes, false) => "safe (sometimes)",
        (FixAvailability::Sometimes, true) => "unsafe (sometimes)",
    }
}

/// `docs/rules/README.md`: one row per rule.
pub(crate) fn rules_index() -> String {
    let mut s = String::from(
        "<!-- generated from the rule registry by `LANES_BLESS=1 cargo test -p lanes_lint --test docs`; do not edit -->\n\
         # Rules\n\n\
         `lanes explain CODE` prints a rule's page. Severities and rules are configured in \
         [`lanes.toml`](../configuration.md); findings are silenced with `# lanes: ignore[CODE] reason` \
         or the `lanes.dev/ignore` annotation.\n\n\
         | Code | Name | Group | Severity | Fix | Summary |\n|---|---|---|---|---|---|\n",
    );
    for r in RULES {
        let m = r.meta;
        let _ = writeln!(
            s,
            "| [{code}]({code}.md) | `{name}` | {group} | {sev} | {fix} | {summary} |",
            code = m.code,
            name = m.name,
            group = m.group,
            sev = m.severity.as_str(),
            fix = fix_label(m),
            summary = m.summary.replace('|', "\\|"),
        );
    }
    s
}
