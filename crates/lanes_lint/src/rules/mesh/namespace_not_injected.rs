use lanes_model::views::{Meta, Namespace};
use lanes_model::Kind;

use crate::rules::mesh::{INJECTION, REV};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN603",
    name: "namespace-not-injected",
    group: "mesh",
    severity: Severity::Info,
    summary: "a namespace has neither istio-injection nor istio.io/rev (off by default)",
    docs: r#"## What it does
Notes a Namespace with neither `istio-injection` nor `istio.io/rev`: its pods get no sidecar.

istioctl analyze: IST0102 (NamespaceNotInjected).

This rule is **off by default** (many repositories hold namespaces that are deliberately outside
the mesh). Turn it on by selecting it or by giving it a severity in `lanes.toml`.

## Why is this bad?
Pods outside the mesh are invisible to lanes, VirtualServices and canary routing (istioctl
IST0102: `The namespace is not enabled for Istio injection`).

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
```

Use instead:
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio.io/rev: stable
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for res in index.of_kind(Kind::Namespace) {
        let root = index.root(res);
        let ns = Namespace(root);
        if ns.label(INJECTION).is_some() || ns.label(REV).is_some() {
            continue;
        }
        let at = Meta::of(root).and_then(|m| m.name()).unwrap_or(root);
        let name = index.resources[res].name.clone();
        cx.report(res, at, format!("the namespace {name} is not enabled for Istio injection"))
            .label("no injection label")
            .help(format!("label it `istio.io/rev: stable` (or run `kubectl label namespace {name} istio-injection=enabled`)"));
    }
}
