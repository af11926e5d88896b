use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN010",
    name: "render-failed",
    group: "syntax",
    severity: Severity::Error,
    summary: "a kustomize root or Helm chart cannot be rendered (a named file is missing, or the engine failed)",
    docs: r#"## What it does
Without rendering, reports a file that a kustomization names (`resources`, `patches`,
`patchesStrategicMerge`, `patchesJson6902`, `replacements`) and that is not there: kustomize
fails on it. With `--render`, lanes renders every kustomize root that no other kustomization includes
(`kustomize build` when `kustomize` is on `PATH`, else `kubectl kustomize`) and every Helm chart
(`helm template`, when `helm` is on `PATH`), and lints the output. This rule reports, at the
kustomization, a render that failed: the engine is missing, or it rejected the input (the first
line of its error is quoted).

## Why is this bad?
Argo CD runs the same engine: a kustomization that does not build is a sync that fails, and
nothing in it reaches the cluster.

## Example
```text
# kustomization.yaml
resources:
- deployment.yaml   # the file does not exist
```

Use instead:
```text
# kustomization.yaml
resources:
- deploy.yaml
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
        .filter(|n| n.code == lanes_model::files::CODE_RENDER_FAILED)
    {
        let help = if n.message.contains("does not exist") {
            "fix the path, or add the file"
        } else {
            "run the command shown to see the whole error; `lanes lint` without --render lints the files as written"
        };
        cx.report_unparsed(&n.file, n.line, n.column, n.message.clone())
            .help(help);
    }
}
