use crate::schema::ViolationKind;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN701",
    name: "schema-violation",
    group: "schema",
    severity: Severity::Error,
    summary: "a field has the wrong type, an out-of-range value, or a required field is missing",
    docs: r#"## What it does
Validates every document of a kind lanes models (`ASMSwimLaneGroup`, `ASMSwimLane`,
`VirtualService`, `DestinationRule`, `Gateway`, `Deployment`, `Service`, `Namespace`, `Rollout`,
`AnalysisTemplate`, `ClusterAnalysisTemplate`, `Application`, `IstioGateway`) against its JSON
Schema (`lanes schema <KIND>` prints it) and reports each violation at the YAML node at fault:
a string where an integer is needed (`weight: "10"`), a value outside an enum, a missing required
field (reported at the key of the mapping that lacks it). Unknown fields are LN702.
A `null` value (the API server prunes it) and an unrendered template expression (`{{ ... }}`,
`${...}`) are not judged.

## Why is this bad?
The API server rejects the object at sync time, after Argo CD has applied the rest of the commit,
or a controller reads a default instead of the value you meant.

## Example
```yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: ["*"]
  http:
    - route:
        - destination: {host: mocka.default.svc.cluster.local, subset: v1}
          weight: "100"
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: ["*"]
  http:
    - route:
        - destination: {host: mocka.default.svc.cluster.local, subset: v1}
          weight: 100
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for v in cx.cache.schema_violations(index).to_vec() {
        if v.kind != ViolationKind::Invalid {
            continue;
        }
        let file = index.resources[v.res].file;
        cx.report_in_file(file, v.range, v.message).help(format!(
            "see `lanes schema {}` for the fields and types this kind accepts",
            index.resources[v.res].kind_str
        ));
    }
}
