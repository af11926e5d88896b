pub(crate) mod all_zero_weights;
pub(crate) mod duplicate_destination;
pub(crate) mod ineffective_match;
pub(crate) mod negative_weight;
pub(crate) mod route_weights_not_100;
pub(crate) mod single_destination_weight;
pub(crate) mod unreachable_rule;
