use crate::rules::mesh::unknown_revision::candidates;
use crate::rules::mesh::upgrade_common::{revision_labels, what, On};
use crate::{did_you_mean, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN611",
    name: "pod-unknown-revision",
    group: "mesh",
    severity: Severity::Error,
    summary: "a pod template's istio.io/rev names no known revision or tag",
    docs: r#"## What it does
Checks `istio.io/rev` on the pod templates of Deployments and Rollouts (a per-workload revision,
which overrides the namespace's) the way LN602 checks Namespaces: `stable`, `canary` and
`default` are always known; otherwise the value must be a revision name such as `1-23-6`, or one
of `[mesh] revisions`/`tags` when `lanes.toml` lists them.

## Why is this bad?
No injector webhook matches an unknown revision: after the next rollout the workload's pods run
without a sidecar.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v2
  namespace: reviews
spec:
  selector:
    matchLabels: {app: reviews}
  template:
    metadata:
      labels: {app: reviews, istio.io/rev: canry}
    spec:
      containers:
        - name: reviews
          image: reviews:v2
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v2
  namespace: reviews
spec:
  selector:
    matchLabels: {app: reviews}
  template:
    metadata:
      labels: {app: reviews, istio.io/rev: canary}
    spec:
      containers:
        - name: reviews
          image: reviews:v2
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, v, on) in revision_labels(index) {
        if on != On::PodTemplate {
            continue;
        }
        let t = v.as_text().unwrap_or("");
        if cx.config.knows_revision(t) {
            continue;
        }
        let c = candidates(cx.config);
        let who = what(index, res, on);
        let d = cx.report(
            res,
            v,
            format!(
                "{who} selects istio.io/rev '{t}', which is not a known revision or tag ({})",
                c.join(", ")
            ),
        );
        d.label("unknown revision");
        match did_you_mean(t, c.iter().map(String::as_str)) {
            Some(s) => d.help(format!("did you mean '{s}'?")),
            None => d.help("use a revision or tag the mesh has"),
        };
    }
}
