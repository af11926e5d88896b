//! The one list of rules. Codes are never reused; a retired rule keeps its code here.

use crate::rule::Rule;
use crate::rules::{argo, coverage, lanes, mesh, references, routing, schema, suppression, syntax};

macro_rules! rule {
    ($m:path) => {{
        use $m as r;
        Rule {
            meta: &r::META,
            check: r::check,
        }
    }};
}

/// Every rule, sorted by code.
pub static RULES: &[Rule] = &[
    rule!(syntax::invalid_yaml),
    rule!(syntax::duplicate_key),
    rule!(syntax::not_utf8),
    rule!(syntax::missing_kind),
    rule!(syntax::input_too_complex),
    rule!(syntax::unreadable_file),
    rule!(routing::route_weights_not_100),
    rule!(routing::negative_weight),
    rule!(routing::all_zero_weights),
    rule!(routing::single_destination_weight),
    rule!(routing::duplicate_destination),
    rule!(references::unknown_subset),
    rule!(references::host_in_other_namespace),
    rule!(references::unknown_gateway),
    rule!(references::group_gateway_not_found),
    rule!(lanes::group_services_invalid),
    rule!(lanes::group_gateway_name_missing),
    rule!(lanes::wrong_lane_api_version),
    rule!(lanes::lane_namespace_set),
    rule!(lanes::permissive_config_invalid),
    rule!(lanes::fallback_lane_incomplete),
    rule!(lanes::lane_unknown_group),
    rule!(lanes::lane_empty_selector),
    rule!(lanes::lane_name_invalid),
    rule!(lanes::duplicate_lane_name),
    rule!(lanes::overlapping_lane_selectors),
    rule!(lanes::lane_service_not_in_group),
    rule!(coverage::lane_missing_deployment),
    rule!(coverage::group_service_not_found),
    rule!(coverage::selector_not_in_template),
    rule!(coverage::traffic_tag_mismatch),
    rule!(coverage::service_selects_lane_label),
    rule!(argo::set_weight_range),
    rule!(argo::step_actions),
    rule!(argo::negative_pause),
    rule!(argo::same_service),
    rule!(argo::services_required),
    rule!(argo::virtual_service_config),
    rule!(argo::virtual_service_not_found),
    rule!(argo::route_not_found),
    rule!(argo::route_missing_service),
    rule!(argo::route_weights),
    rule!(argo::service_selector_mismatch),
    rule!(argo::analysis_template_not_found),
    rule!(argo::analysis_arg_missing),
    rule!(argo::analysis_duplicate_metric),
    rule!(argo::analysis_interval_required),
    rule!(argo::manual_pause),
    rule!(argo::route_extra_destinations),
    rule!(argo::deployment_overlap),
    rule!(mesh::multiple_injection_labels),
    rule!(mesh::unknown_revision),
    rule!(mesh::namespace_not_injected),
    rule!(mesh::gateway_canary_annotation),
    rule!(mesh::gateway_canary_deployment),
    rule!(mesh::gateway_canary_enabled),
    rule!(mesh::canary_after_promotion),
    rule!(mesh::unpublished_revision),
    rule!(mesh::revision_behind_mesh),
    rule!(mesh::gateway_canary_version),
    rule!(mesh::pod_revision_label),
    rule!(schema::schema_violation),
    rule!(schema::unknown_field),
    rule!(schema::status_in_git),
    rule!(suppression::unused_suppression),
    rule!(suppression::suppression_without_reason),
];

/// Rules that run only when asked for: listed in `select`, or given a severity in the
/// configuration. Their `RuleMeta` is unchanged; `lanes rules` still lists them.
pub static DEFAULT_OFF: &[&str] = &["LN603"];

/// Find a rule by code (`LN101`, case-insensitive) or kebab name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}
