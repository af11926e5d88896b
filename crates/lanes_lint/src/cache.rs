//! Results computed once per lint run and shared by several rules.

use std::sync::OnceLock;

use lanes_model::cache::ParseCache;
use lanes_model::Index;

use crate::rules::coverage::Coverage;
use crate::schema::{validate_memo, Violation};

/// Per-run cache, created by [`crate::lint`] and lent to every rule's [`crate::Context`].
pub(crate) struct LintCache<'i> {
    /// The persistent cache of earlier runs (files known to pass the schemas are not validated
    /// again); disabled outside the git modes.
    memo: &'i ParseCache,
    schema: OnceLock<Vec<Violation>>,
    coverage: OnceLock<Coverage<'i>>,
}

impl<'i> LintCache<'i> {
    pub(crate) fn new(memo: &'i ParseCache) -> Self {
        LintCache {
            memo,
            schema: OnceLock::new(),
            coverage: OnceLock::new(),
        }
    }

    /// Schema violations of every document (LN701 and LN702 share one validation).
    pub(crate) fn schema_violations(&self, index: &Index) -> &[Violation] {
        self.schema.get_or_init(|| validate_memo(index, self.memo))
    }

    /// Which workloads each lane holds for each group service (LN401 and LN412).
    pub(crate) fn coverage(&self, index: &'i Index) -> &Coverage<'i> {
        self.coverage.get_or_init(|| Coverage::new(index))
    }
}
