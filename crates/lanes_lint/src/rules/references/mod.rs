pub(crate) mod duplicate_object;
pub(crate) mod group_gateway_not_found;
pub(crate) mod host_in_other_namespace;
pub(crate) mod unknown_gateway;
pub(crate) mod unknown_subset;
