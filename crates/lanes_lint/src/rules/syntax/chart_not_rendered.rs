use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN008",
    name: "helm-chart-not-rendered",
    group: "syntax",
    severity: Severity::Info,
    summary: "a Helm chart was not rendered, so nothing inside it was linted",
    docs: r#"## What it does
Notes, once per chart, that a folder with a `Chart.yaml` is a Helm chart whose templates were
not rendered. Nothing inside the chart is linted: `templates/` are Go templates, not manifests
(every `{{ }}` line would be a YAML error), and `Chart.yaml`, `values*.yaml` and `charts/` are
not Kubernetes objects. Argo CD renders such a folder with `helm template`; lanes does so with
`lanes lint --render` when `helm` is on `PATH`.

## Why is this bad?
It is not: the note says what lanes did not check. A route split inside a chart's templates is
only checked once the chart is rendered.

## Example
```text
charts/podinfo/Chart.yaml
charts/podinfo/templates/virtualservice.yaml
```

Use instead: render the chart and lint the output:
```text
helm template podinfo charts/podinfo | lanes lint --stdin-filename podinfo.yaml -
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
        .filter(|n| n.code == lanes_model::files::CODE_CHART)
    {
        let dir = n.file.rsplit_once('/').map_or(".", |(d, _)| d);
        cx.report_unparsed(&n.file, n.line, n.column, n.message.clone())
            .help(format!(
                "render it to lint it: `lanes lint --render` (needs helm on PATH), or `helm template NAME {dir} | lanes lint -`"
            ));
    }
}
