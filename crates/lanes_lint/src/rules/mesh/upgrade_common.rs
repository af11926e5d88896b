//! What the upgrade-state rules (LN607–LN611) look at: every `istio.io/rev` label that selects
//! a control plane, on Namespaces and on the pod templates of Deployments and Rollouts.

use lanes_model::views::{path, Namespace, REV_LABEL};
use lanes_model::{Index, Kind, ResIdx};
use lanes_yaml::NodeRef;

/// Where a revision label is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum On {
    /// A Namespace's label.
    Namespace,
    /// A pod template's label (Deployment or Rollout).
    PodTemplate,
}

/// Every `istio.io/rev` label: (resource, value node, where).
pub(crate) fn revision_labels(index: &Index) -> Vec<(ResIdx, NodeRef<'_>, On)> {
    let mut out = Vec::new();
    for res in index.of_kind(Kind::Namespace) {
        if let Some(v) = Namespace(index.root(res)).label(REV_LABEL) {
            out.push((res, v, On::Namespace));
        }
    }
    for kind in [Kind::Deployment, Kind::Rollout] {
        for res in index.of_kind(kind) {
            if let Some(v) = path(index.root(res), "spec/template/metadata/labels")
                .and_then(|l| l.get(REV_LABEL))
            {
                out.push((res, v, On::PodTemplate));
            }
        }
    }
    out
}

/// `namespace reviews` / `Deployment reviews/reviews-v2`.
pub(crate) fn what(index: &Index, res: ResIdx, on: On) -> String {
    let r = &index.resources[res];
    match on {
        On::Namespace => format!("namespace {}", r.name),
        On::PodTemplate => format!(
            "the pod template of {} {}/{}",
            r.kind_str, r.namespace, r.name
        ),
    }
}
