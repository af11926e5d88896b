pub(crate) mod deprecated_field;
pub(crate) mod schema_violation;
pub(crate) mod status_in_git;
pub(crate) mod unknown_field;
