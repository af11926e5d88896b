pub(crate) mod chart_not_rendered;
pub(crate) mod duplicate_key;
pub(crate) mod input_too_complex;
pub(crate) mod invalid_yaml;
pub(crate) mod missing_kind;
pub(crate) mod not_utf8;
pub(crate) mod quoted_scalar_indentation;
pub(crate) mod render_failed;
pub(crate) mod symlink_outside;
pub(crate) mod unreadable_file;

use lanes_yaml::YamlErrorKind;

use crate::Context;

/// Report the parse errors of every file that match `want`.
pub(crate) fn report_yaml_errors(
    cx: &mut Context<'_>,
    want: fn(&YamlErrorKind) -> bool,
    help: &str,
) {
    let index = cx.index;
    for (fi, file) in index.files.iter().enumerate() {
        for e in &file.errors {
            if !want(&e.kind) {
                continue;
            }
            let d = cx.report_in_file(fi, e.range.clone(), e.message.clone());
            d.help(help);
            if let YamlErrorKind::DuplicateKey { first } = &e.kind {
                let start = file.source.line_col(first.start);
                d.related.push(crate::Related {
                    file: file.source.name().to_string(),
                    range: first.clone(),
                    start: start.into(),
                    message: "first defined here".into(),
                });
            }
        }
    }
}
