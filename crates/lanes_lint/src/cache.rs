//! Results computed once per lint run and shared by several rules.

use std::sync::OnceLock;

use lanes_model::Index;

use crate::rules::coverage::Coverage;
use crate::schema::{validate, Violation};

/// Per-run cache, created by [`crate::lint`] and lent to every rule's [`crate::Context`].
#[derive(Default)]
pub(crate) struct LintCache<'i> {
    schema: OnceLock<Vec<Violation>>,
    coverage: OnceLock<Coverage<'i>>,
}

impl<'i> LintCache<'i> {
    /// Schema violations of every document (LN701 and LN702 share one validation).
    pub(crate) fn schema_violations(&self, index: &Index) -> &[Violation] {
        self.schema.get_or_init(|| validate(index))
    }

    /// Which workloads each lane holds for each group service (LN401 and LN412).
    pub(crate) fn coverage(&self, index: &'i Index) -> &Coverage<'i> {
        self.coverage.get_or_init(|| Coverage::new(index))
    }
}
