use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN009",
    name: "symlink-outside-repository",
    group: "syntax",
    severity: Severity::Warning,
    summary: "a symbolic link points outside the repository; lanes does not follow it",
    docs: r#"## What it does
Reports, once and without its content, a `.yaml`/`.yml`/`.json` symbolic link in the work tree
whose target is outside the repository root (outside the linted folder when there is no
repository). lanes does not read it. Devices, FIFOs and sockets met while walking a folder are
skipped too.

## Why is this bad?
A pull request that adds `env.yaml -> /proc/self/environ` would otherwise have lanes print the
CI runner's environment (its secrets) as a source snippet in the job log. Argo CD does not follow
such links either: the file is not part of what gets synced.

## Example
```text
ln -s /proc/self/environ env.yaml
```

Use instead: commit the manifest itself, or a link to a file inside the repository.
```text
ln -s ../base/deployment.yaml deployment.yaml
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for n in index
        .notes
        .iter()
        .filter(|n| n.code == lanes_model::files::CODE_SYMLINK_OUTSIDE)
    {
        cx.report_unparsed(&n.file, n.line, n.column, n.message.clone())
            .help("link to a file inside the repository, or commit the file itself");
    }
}
