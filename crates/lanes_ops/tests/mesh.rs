//! The mesh upgrade ops on in-memory texts: every shape of labels and annotations they splice
//! (block, flow, missing maps, CRLF, comments), the refusals, the promotion sync and the revoke
//! check. Each expected text is the whole file after the op.

use lanes_model::Index;
use lanes_ops::ops::mesh::{
    gateway_canary_finish, gateway_canary_start, mesh_promote, mesh_switch, revoke_blockers,
    GatewayCanaryArgs, SwitchArgs,
};
use lanes_ops::{OpError, Options, Outcome};

fn opts(toml: &str) -> Options {
    let mut o = Options::new("");
    o.config = lanes_lint::config_file::Settings::parse("lanes.toml", toml, ".".into())
        .unwrap()
        .config;
    o
}

/// The new text of the only changed file.
fn after(o: &Outcome) -> String {
    let changed: Vec<_> = o
        .changeset
        .changes
        .iter()
        .filter(|c| c.before != c.after)
        .collect();
    assert_eq!(changed.len(), 1, "{:?}", o.changeset.summary());
    changed[0].after.clone().unwrap()
}

fn switch(text: &str, ns: &str, to: &str, restart: &[&str]) -> Result<Outcome, OpError> {
    let index = Index::from_texts([("a.yaml", text)]);
    mesh_switch(
        &index,
        &SwitchArgs {
            namespaces: vec![ns.into()],
            to: to.into(),
            restart: restart.iter().map(|s| s.to_string()).collect(),
            restart_all: false,
            restarted_at: "2026-12-02T16:00:00Z".into(),
        },
        &opts(""),
    )
}

const NS_ENABLED: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled # the default control plane\n    team: web\n";

#[test]
fn switch_replaces_istio_injection_in_place_keeping_the_comment() {
    let o = switch(NS_ENABLED, "shop", "canary", &[]).unwrap();
    assert_eq!(
        after(&o),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio.io/rev: canary # the default control plane\n    team: web\n"
    );
}

#[test]
fn switch_flow_labels_and_crlf() {
    let text = "apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: shop\r\n  labels: {team: web, istio-injection: enabled}\r\n";
    let o = switch(text, "shop", "1-23-6", &[]).unwrap();
    assert_eq!(
        after(&o),
        "apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: shop\r\n  labels: {team: web, istio.io/rev: 1-23-6}\r\n"
    );
    let quoted = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio.io/rev: \"stable\"\n";
    let o = switch(quoted, "shop", "canary", &[]).unwrap();
    assert!(
        after(&o).contains("    istio.io/rev: \"canary\"\n"),
        "quotes kept"
    );
}

#[test]
fn switch_resolves_a_conflict_by_dropping_istio_injection() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n    istio.io/rev: stable\n    team: web\n";
    let o = switch(text, "shop", "canary", &[]).unwrap();
    assert_eq!(
        after(&o),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio.io/rev: canary\n    team: web\n"
    );
    let flow = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled, istio.io/rev: stable}\n";
    let o = switch(flow, "shop", "canary", &[]).unwrap();
    assert_eq!(
        after(&o),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio.io/rev: canary}\n"
    );
}

#[test]
fn switch_refusals_say_why() {
    let ns = |labels: &str| {
        format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {labels}\n")
    };
    for (labels, to, why) in [
        (
            "{istio-injection: disabled, istio.io/rev: stable}",
            "canary",
            "istio-injection: disabled, which wins",
        ),
        (
            "{istio.io/dataplane-mode: ambient}",
            "canary",
            "ambient mode",
        ),
        ("{team: web}", "canary", "is not injected"),
        (
            "{istio.io/rev: stable}",
            "canry",
            "--to canry: not canary, stable or a known revision such as 1-23-6",
        ),
    ] {
        let e = switch(&ns(labels), "shop", to, &[]).unwrap_err();
        assert!(e.to_string().contains(why), "{labels}: {e}");
    }
    let e = switch(&ns("{istio.io/rev: stable}"), "other", "canary", &[]).unwrap_err();
    assert!(e.to_string().contains("no Namespace other"), "{e}");
    // Already on the target: nothing changes.
    let o = switch(&ns("{istio.io/rev: canary}"), "shop", "canary", &[]).unwrap();
    assert!(o.changeset.is_empty());
    assert_eq!(o.summary, ["namespace shop: already istio.io/rev: canary"]);
    // An unpublished revision is refused.
    let index = Index::from_texts([("a.yaml", ns("{istio.io/rev: stable}"))]);
    let e = mesh_switch(
        &index,
        &SwitchArgs {
            namespaces: vec!["shop".into()],
            to: "1-22-6".into(),
            ..SwitchArgs::default()
        },
        &opts("[mesh]\nrevisions = [\"1-22-6\", \"1-23-6\"]\nunpublished = [\"1-22-6\"]\n"),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("revision 1-22-6 is unpublished"),
        "{e}"
    );
}

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: web:1\n";

fn with_ns(workload: &str) -> String {
    format!("{NS_ENABLED}---\n{workload}")
}

fn restarted(workload: &str) -> String {
    let text = with_ns(workload);
    let index = Index::from_texts([("a.yaml", text.as_str())]);
    let o = mesh_switch(
        &index,
        &SwitchArgs {
            namespaces: vec!["shop".into()],
            to: "canary".into(),
            restart: vec!["web".into()],
            restart_all: false,
            restarted_at: "2026-12-02T16:00:00Z".into(),
        },
        &opts(""),
    )
    .unwrap();
    let t = after(&o);
    t[t.find("---\n").unwrap() + 4..].to_string()
}

#[test]
fn restart_adds_or_updates_the_pod_template_annotation() {
    assert_eq!(
        restarted(DEPLOY),
        DEPLOY.replace(
            "        app: web\n    spec:",
            "        app: web\n      annotations:\n        kubectl.kubernetes.io/restartedAt: \"2026-12-02T16:00:00Z\"\n    spec:"
        )
    );
    // Existing annotations: one more entry.
    let with_ann = DEPLOY.replace(
        "        app: web\n    spec:",
        "        app: web\n      annotations:\n        prometheus.io/scrape: \"true\"\n    spec:",
    );
    assert!(restarted(&with_ann).contains("        prometheus.io/scrape: \"true\"\n        kubectl.kubernetes.io/restartedAt: \"2026-12-02T16:00:00Z\"\n"));
    // An earlier restart: the value is replaced, its quoting kept.
    let earlier = DEPLOY.replace(
        "        app: web\n    spec:",
        "        app: web\n      annotations:\n        kubectl.kubernetes.io/restartedAt: '2025-01-01T00:00:00Z'\n        app.example/x: y\n    spec:",
    );
    assert_eq!(
        restarted(&earlier),
        earlier.replace("2025-01-01T00:00:00Z", "2026-12-02T16:00:00Z")
    );
    // Flow-style template metadata.
    let flow = DEPLOY.replace(
        "    metadata:\n      labels:\n        app: web\n",
        "    metadata: {labels: {app: web}}\n",
    );
    assert!(restarted(&flow).contains(
        "    metadata: {labels: {app: web}, annotations: {kubectl.kubernetes.io/restartedAt: \"2026-12-02T16:00:00Z\"}}\n"
    ));
    // A Rollout is restarted the same way.
    let rollout = DEPLOY.replace(
        "apiVersion: apps/v1\nkind: Deployment",
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout",
    );
    assert!(restarted(&rollout)
        .contains("      annotations:\n        kubectl.kubernetes.io/restartedAt:"));
}

#[test]
fn restart_refusals() {
    let wr = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  workloadRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web-base\n";
    let text = with_ns(wr);
    let e = switch(&text, "shop", "canary", &["web"]).unwrap_err();
    assert!(e.to_string().contains("uses workloadRef"), "{e}");
    let text = with_ns(DEPLOY);
    let e = switch(&text, "shop", "canary", &["api"]).unwrap_err();
    assert!(
        e.to_string()
            .contains("--restart api: no Deployment or Rollout named api in namespace shop"),
        "{e}"
    );
}

const GW: &str = "# the ingress gateway\napiVersion: istio.alibabacloud.com/v1beta1\nkind: IstioGateway\nmetadata:\n  name: ingressgateway\n  namespace: istio-system\nspec:\n  gatewayType: ingress\n";

fn gw_args() -> GatewayCanaryArgs {
    GatewayCanaryArgs {
        name: "ingressgateway".into(),
        namespace: "istio-system".into(),
    }
}

fn gw(text: &str, start: bool, toml: &str) -> Result<Outcome, OpError> {
    let index = Index::from_texts([("gw.yaml", text)]);
    if start {
        gateway_canary_start(&index, &gw_args(), &opts(toml))
    } else {
        gateway_canary_finish(&index, &gw_args(), &opts(toml))
    }
}

#[test]
fn gateway_canary_start_and_finish_round_trip() {
    let started = after(&gw(GW, true, "").unwrap());
    assert_eq!(
        started,
        GW.replace(
            "  namespace: istio-system\n",
            "  namespace: istio-system\n  annotations:\n    asm.alibabacloud.com/enable-canary-deployment: \"true\"\n"
        )
    );
    assert_eq!(after(&gw(&started, false, "").unwrap()), GW);
    // With other annotations, only the canary one comes and goes.
    let other = GW.replace(
        "  namespace: istio-system\n",
        "  namespace: istio-system\n  annotations:\n    owner: platform\n",
    );
    let s = after(&gw(&other, true, "").unwrap());
    assert!(s.contains(
        "    owner: platform\n    asm.alibabacloud.com/enable-canary-deployment: \"true\"\n"
    ));
    assert_eq!(after(&gw(&s, false, "").unwrap()), other);
    // Flow-style annotations.
    let flow = GW.replace(
        "  namespace: istio-system\n",
        "  namespace: istio-system\n  annotations: {owner: platform}\n",
    );
    let s = after(&gw(&flow, true, "").unwrap());
    assert!(s.contains("  annotations: {owner: platform, asm.alibabacloud.com/enable-canary-deployment: \"true\"}\n"), "{s}");
    assert_eq!(after(&gw(&s, false, "").unwrap()), flow);
    // An unquoted `true` (LN604) becomes the string.
    let bare = GW.replace(
        "  namespace: istio-system\n",
        "  namespace: istio-system\n  annotations:\n    asm.alibabacloud.com/enable-canary-deployment: true\n",
    );
    assert!(after(&gw(&bare, true, "").unwrap())
        .contains("    asm.alibabacloud.com/enable-canary-deployment: \"true\"\n"));
    // Already started: nothing to do.
    let o = gw(&started, true, "").unwrap();
    assert!(o.changeset.is_empty());
}

#[test]
fn gateway_canary_refusals() {
    let e = gw(GW, true, "[mesh]\nversion = \"1.19.2.10\"\n").unwrap_err();
    assert!(e.to_string().contains("needs ASM 1.20 or later"), "{e}");
    assert!(gw(GW, true, "[mesh]\nversion = \"1.20.0.1\"\n").is_ok());
    // An unrelated Deployment that merely ends in -canary is not the gateway's.
    let other = format!("{GW}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ingressgateway-canary\n  namespace: istio-system\n");
    assert!(gw(&other, true, "").is_ok());
    let text = format!("{GW}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: istio-ingressgateway-canary\n  namespace: istio-system\n");
    let e = gw(&text, true, "").unwrap_err();
    assert!(
        e.to_string()
            .contains("a Deployment istio-system/istio-ingressgateway-canary already exists"),
        "{e}"
    );
    let e = gw(GW, false, "").unwrap_err();
    assert!(
        e.to_string().contains("no gateway canary is running"),
        "{e}"
    );
}

#[test]
fn promote_rewrites_canary_and_older_listed_revisions() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {istio.io/rev: canary}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  labels:\n    istio.io/rev: 1-22-6\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: c\n  labels:\n    istio.io/rev: 1-21-0\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: d\n  labels:\n    istio.io/rev: stable\n";
    let index = Index::from_texts([("ns.yaml", text)]);
    assert_eq!(
        revoke_blockers(&index, std::path::Path::new(""))
            .iter()
            .map(|b| (b.namespace.as_str(), b.at.as_str()))
            .collect::<Vec<_>>(),
        [("a", "ns.yaml:5")]
    );
    let o = mesh_promote(
        &index,
        &opts("[mesh]\nrevisions = [\"1-22-6\", \"1-23-6\", \"1-21-0\"]\n"),
    );
    // 1-21-0 is listed, so it moves too; stable stays.
    let t = after(&o.unwrap());
    assert!(t.contains("  labels: {istio.io/rev: stable}\n"));
    assert!(t.contains("  name: b\n  labels:\n    istio.io/rev: 1-23-6\n"));
    assert!(t.contains("  name: c\n  labels:\n    istio.io/rev: 1-23-6\n"));
    assert!(t.contains("  name: d\n  labels:\n    istio.io/rev: stable\n"));
    // Without a revision list only the canary tag moves.
    let t = after(&mesh_promote(&index, &opts("")).unwrap());
    assert!(t.contains("    istio.io/rev: 1-22-6\n"));
    let after_index = Index::from_texts([("ns.yaml", t.as_str())]);
    assert!(revoke_blockers(&after_index, std::path::Path::new("")).is_empty());
    let e = mesh_promote(&after_index, &opts("")).unwrap_err();
    assert!(e.to_string().contains("nothing to promote"), "{e}");
}
