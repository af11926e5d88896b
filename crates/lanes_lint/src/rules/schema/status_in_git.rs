use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN703",
    name: "status-in-git",
    group: "schema",
    severity: Severity::Warning,
    summary: "a manifest in git carries a `status` that controllers write",
    docs: r#"## What it does
Reports a top-level `status` in a document of a kind lanes models. `status` is written by
controllers (Argo CD, Argo Rollouts, the ASM control plane); a `kubectl get -o yaml` pasted into
the repository brings it along.

## Why is this bad?
The API server ignores `status` on create and update, so the committed value is stale from the
first sync, yet readers of the repository take it for the live state. It also bloats diffs and
hides real changes.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: mocka
spec:
  ports:
    - port: 8000
status:
  loadBalancer: {}
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: mocka
spec:
  ports:
    - port: 8000
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, r) in index.resources.iter().enumerate() {
        if r.kind == Kind::Other {
            continue;
        }
        let Some((key, _)) = index.root(res).entry("status") else {
            continue;
        };
        cx.report(res, key, format!("{} commits a `status`", r.display()))
            .label("written by controllers, ignored on apply")
            .help("delete the `status` block; controllers write it in the cluster");
    }
}
