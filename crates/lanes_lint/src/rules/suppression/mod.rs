pub(crate) mod suppression_without_reason;
pub(crate) mod unused_suppression;
