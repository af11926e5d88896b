//! The one list of rules. Codes are never reused; a retired rule keeps its code here.

use crate::rule::Rule;
use crate::rules::{routing, schema, suppression, syntax};

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
    rule!(schema::schema_violation),
    rule!(schema::unknown_field),
    rule!(schema::status_in_git),
    rule!(suppression::unused_suppression),
    rule!(suppression::suppression_without_reason),
];

/// Find a rule by code (`LN101`, case-insensitive) or kebab name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}
