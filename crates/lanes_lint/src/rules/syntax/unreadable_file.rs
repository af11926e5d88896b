use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN006",
    name: "unreadable-file",
    group: "syntax",
    severity: Severity::Error,
    summary: "a path given to lanes does not exist or cannot be read",
    docs: r#"## What it does
Reports a path on the command line that does not exist, a file that cannot be read
(permissions, I/O error, larger than 32 MiB, a device or socket), and a path named on the
command line that yields nothing to lint (every file under it was skipped: a Helm values file, a
kustomization, a folder without manifests).

## Why is this bad?
A typo in a CI job's path would otherwise lint nothing and pass. lanes exits with code 2.

## Example
```text
lanes lint argo-cd/swimlan
```

Use instead:
```text
lanes lint argo-cd/swimlane
```
"#,
    fix: FixAvailability::None,
    input: true,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for e in index
        .input_errors
        .iter()
        .filter(|e| e.code == lanes_model::load::CODE_UNREADABLE)
    {
        let help = if e.message.starts_with("nothing to lint") {
            "name a folder or file with Kubernetes manifests; `--explain-files` says why each file was skipped"
        } else {
            "check the path and the file's permissions"
        };
        cx.report_unparsed(&e.file, e.line, e.column, e.message.clone())
            .help(help);
    }
}
