use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN004",
    name: "missing-api-version-or-kind",
    group: "syntax",
    severity: Severity::Warning,
    summary: "a document has no `apiVersion` or no `kind`",
    docs: r#"## What it does
Warns about a non-empty document whose top level is not a mapping with both `apiVersion` and
`kind` strings. A document with neither key is reported only when it looks like a Kubernetes
object (it has `metadata` or `spec`): other YAML (CI workflows, tool configuration) is not a
manifest. Known non-manifest files (`.github/**`, `.pre-commit-config.yaml`, `skaffold.yaml`,
docker-compose files, `values*.yaml`, `Chart.yaml`, kustomizations and the patches they name,
OpenAPI documents) are not linted at all; `lanes lint --explain-files` lists them.

## Why is this bad?
Argo CD cannot apply an object without a kind, and lanes cannot check it against anything: a
Deployment that lost its `kind:` line silently drops out of lane coverage.

## Example
```yaml
metadata:
  name: mocka-v1
spec:
  replicas: 1
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mocka-v1
spec:
  replicas: 1
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    // Resources are the mappings with both keys, in (file, document) order: skip those.
    let mut resources = index.resources.iter().peekable();
    for (fi, file) in index.files.iter().enumerate() {
        for (di, doc) in file.docs.iter().enumerate() {
            while resources.next_if(|r| (r.file, r.doc) < (fi, di)).is_some() {}
            if resources.next_if(|r| (r.file, r.doc) == (fi, di)).is_some() {
                continue;
            }
            let Some(root) = doc.root() else { continue };
            if root.is_null() {
                continue;
            }
            let api = root.get("apiVersion").and_then(|n| n.as_text());
            let kind = root.get("kind").and_then(|n| n.as_text());
            let object_like = root.get("metadata").is_some() || root.get("spec").is_some();
            if api.is_none() && kind.is_none() && !object_like {
                continue;
            }
            let missing = match (api, kind) {
                (Some(_), Some(_)) => continue,
                (None, Some(_)) => "`apiVersion`",
                (Some(_), None) => "`kind`",
                (None, None) => "`apiVersion` and `kind`",
            };
            let start = root.range().start;
            let line_end = file.source.text()[start..]
                .find(['\n', '\r'])
                .map_or(root.range().end, |i| start + i)
                .min(root.range().end);
            cx.report_in_file(fi, start..line_end, format!("document has no {missing}"))
                .help(
                    "add `apiVersion:` and `kind:` so Argo CD and lanes know what this object is",
                );
        }
    }
}
