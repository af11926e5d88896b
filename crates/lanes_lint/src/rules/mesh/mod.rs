//! LN6xx: the mesh itself: namespace injection labels and revisions, ASM gateways.

pub(crate) mod canary_after_promotion;
pub(crate) mod gateway_canary_annotation;
pub(crate) mod gateway_canary_deployment;
pub(crate) mod gateway_canary_enabled;
pub(crate) mod gateway_canary_version;
pub(crate) mod multiple_injection_labels;
pub(crate) mod namespace_not_injected;
pub(crate) mod pod_revision_label;
pub(crate) mod revision_behind_mesh;
pub(crate) mod unknown_revision;
pub(crate) mod unpublished_revision;
pub(crate) mod upgrade_common;

/// The injection labels of a namespace (named once, in lanes_model).
pub(crate) use lanes_model::views::{INJECTION_LABEL as INJECTION, REV_LABEL as REV};
