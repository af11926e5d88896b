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
    rule!(syntax::quoted_scalar_indentation),
    rule!(syntax::chart_not_rendered),
    rule!(syntax::symlink_outside),
    rule!(syntax::render_failed),
    rule!(references::duplicate_object),
    rule!(routing::route_weights_not_100),
    rule!(routing::negative_weight),
    rule!(routing::all_zero_weights),
    rule!(routing::single_destination_weight),
    rule!(routing::duplicate_destination),
    rule!(routing::invalid_weight),
    rule!(routing::controller_owned_weights),
    rule!(routing::unreachable_rule),
    rule!(routing::ineffective_match),
    rule!(references::unknown_subset),
    rule!(references::host_in_other_namespace),
    rule!(references::unknown_gateway),
    rule!(references::group_gateway_not_found),
    rule!(references::unknown_destination_host),
    rule!(references::host_not_in_gateway),
    rule!(references::internal_gateway),
    rule!(references::destination_port_required),
    rule!(references::ingress_subset_no_effect),
    rule!(references::conflicting_mesh_hosts),
    rule!(references::subset_selects_no_pods),
    rule!(references::dr_unknown_host),
    rule!(references::gateway_workload),
    rule!(references::gateway_port_not_on_service),
    rule!(references::conflicting_gateways),
    rule!(references::unknown_destination_port),
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
    rule!(coverage::port_name_convention),
    rule!(coverage::external_name_port),
    rule!(coverage::service_association),
    rule!(coverage::conflicting_target_ports),
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
    rule!(argo::surge_unavailable_zero),
    rule!(argo::selector_missing),
    rule!(argo::experiment_weight_router),
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
    rule!(schema::deprecated_field),
    rule!(suppression::unused_suppression),
    rule!(suppression::suppression_without_reason),
];

/// Rules that run only when asked for: listed in `select`, or given a severity in the
/// configuration. Their `RuleMeta` is unchanged; `lanes rules` still lists them.
pub(crate) static DEFAULT_OFF: &[&str] = &["LN603"];

/// Find a rule by code (`LN101`, case-insensitive) or kebab name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}

/// A peer tool's check that a lanes rule covers, as the rule's docs name it: a line
/// `istioctl analyze: IST0101 (...)` or ``kubectl argo rollouts lint: `message` ``.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PeerCheck {
    /// `istioctl analyze` or `kubectl argo rollouts lint`.
    pub tool: &'static str,
    /// The peer's code (`IST0101`), when it has codes.
    pub code: Option<String>,
    /// The rest of the line: the message name, analyzer, or error text.
    pub detail: String,
}

/// The peer tools whose checks rule docs name.
pub(crate) const PEER_TOOLS: &[&str] = &["istioctl analyze", "kubectl argo rollouts lint"];

/// The peer checks a rule covers, read from its docs (the one place they are written).
pub fn peer_checks(meta: &crate::RuleMeta) -> Vec<PeerCheck> {
    let mut out = Vec::new();
    let mut lines = meta.docs.lines().peekable();
    while let Some(line) = lines.next() {
        for tool in PEER_TOOLS {
            let Some(rest) = line.strip_prefix(tool).and_then(|r| r.strip_prefix(':')) else {
                continue;
            };
            // A detail may continue on the next lines of the same paragraph.
            let mut text = rest.trim().to_string();
            while let Some(next) = lines.peek() {
                if next.trim().is_empty() || next.starts_with('#') {
                    break;
                }
                text.push(' ');
                text.push_str(next.trim());
                lines.next();
            }
            let text = text.trim_end_matches('.').to_string();
            for part in text.split("; ") {
                let code = part
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .find(|w| {
                        w.len() == 7
                            && w.starts_with("IST")
                            && w[3..].bytes().all(|b| b.is_ascii_digit())
                    })
                    .map(str::to_string);
                out.push(PeerCheck {
                    tool,
                    code,
                    detail: part.trim().to_string(),
                });
            }
        }
    }
    out
}

/// The rules that cover a peer code (`IST0101`, case-insensitive).
pub fn rules_for_peer_code(code: &str) -> Vec<&'static Rule> {
    RULES
        .iter()
        .filter(|r| {
            peer_checks(r.meta).iter().any(|p| {
                p.code
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(code))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_codes_come_from_the_docs() {
        let ln203 = find("LN203").unwrap();
        let checks = peer_checks(ln203.meta);
        assert_eq!(checks[0].tool, "istioctl analyze");
        assert_eq!(checks[0].code.as_deref(), Some("IST0101"));
        let codes: Vec<&str> = rules_for_peer_code("ist0101")
            .iter()
            .map(|r| r.meta.code)
            .collect();
        for c in ["LN201", "LN203", "LN210", "LN221"] {
            assert!(codes.contains(&c), "{c} covers IST0101: {codes:?}");
        }
        let ln519 = peer_checks(find("LN519").unwrap().meta);
        assert_eq!(ln519[0].tool, "kubectl argo rollouts lint");
        assert_eq!(ln519[0].code, None);
        assert!(rules_for_peer_code("IST9999").is_empty());
    }
}
