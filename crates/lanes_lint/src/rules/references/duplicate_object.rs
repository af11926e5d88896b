use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN011",
    name: "duplicate-object",
    group: "references",
    severity: Severity::Warning,
    summary: "the same object (API group, kind, namespace, name) is defined twice in one universe",
    docs: r#"## What it does
Warns when two documents define the same object (API group, kind, namespace and name) in one
universe: the resources synced into one cluster together. A universe is a `lanes.toml`
`[universes]` entry, else the nearest kustomize root above the file, else the linted tree. The
warning names both locations. References to the object resolve to the definition nearest to
the reference (same folder first, then the closest common folder), so a duplicate does not
cascade into reference errors.

## Why is this bad?
Argo CD applies both and one of them silently wins; which one depends on sync order. Two demo
folders or two environments that reuse names are fine only when they are synced separately:
say so in `lanes.toml`:

```text
[universes]
istio = ["examples/istio/**"]
istio-subset = ["examples/istio-subset/**"]
```

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
---
apiVersion: v1
kind: Service
metadata:
  name: reviews-canary
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (first, again) in index.duplicates() {
        let node = index.root(again);
        let name_node = lanes_model::views::Meta::of(node)
            .and_then(|m| m.name())
            .unwrap_or(node);
        let at = index.root(first);
        let first_node = lanes_model::views::Meta::of(at)
            .and_then(|m| m.name())
            .unwrap_or(at);
        let first_file = index.file_of(first).source.name().to_string();
        let line = index
            .file_of(first)
            .source
            .line_col(first_node.range().start)
            .line;
        let related = cx.related(first, first_node, "first defined here");
        let d = cx.report(
            again,
            name_node,
            format!(
                "{} is defined again in this universe (first in {first_file}:{line}); Argo CD syncs both and one silently wins",
                index.resources[again].display()
            ),
        );
        d.related.push(related);
        d.help("rename one, remove one, or declare the folders as separate `[universes]` in lanes.toml");
    }
}
