pub(crate) mod duplicate_lane_name;
pub(crate) mod fallback_lane_incomplete;
pub(crate) mod group_gateway_name_missing;
pub(crate) mod group_services_invalid;
pub(crate) mod lane_empty_selector;
pub(crate) mod lane_name_invalid;
pub(crate) mod lane_namespace_set;
pub(crate) mod lane_service_not_in_group;
pub(crate) mod lane_unknown_group;
pub(crate) mod overlapping_lane_selectors;
pub(crate) mod permissive_config_invalid;
pub(crate) mod wrong_lane_api_version;

use lanes_yaml::NodeRef;

/// The `kind:` value node of a document, the fallback anchor of findings about a whole object.
pub(crate) fn kind_node(root: NodeRef<'_>) -> NodeRef<'_> {
    root.get("kind").unwrap_or(root)
}

/// `metadata.name` value, else the kind.
pub(crate) fn name_node(root: NodeRef<'_>) -> NodeRef<'_> {
    root.get("metadata")
        .and_then(|m| m.get("name"))
        .unwrap_or_else(|| kind_node(root))
}
