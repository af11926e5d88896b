//! LN6xx: the mesh itself: namespace injection labels and revisions, ASM gateways.

pub(crate) mod gateway_canary_annotation;
pub(crate) mod gateway_canary_deployment;
pub(crate) mod gateway_canary_enabled;
pub(crate) mod multiple_injection_labels;
pub(crate) mod namespace_not_injected;
pub(crate) mod unknown_revision;

/// The injection labels of a namespace (named once, in lanes_model).
pub(crate) use lanes_model::views::{INJECTION_LABEL as INJECTION, REV_LABEL as REV};

/// Whether a `istio.io/rev` value has the shape of a revision name (`1-23-6`, `1-18-0-158`).
pub(crate) fn is_revision_name(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
