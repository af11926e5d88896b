//! Staged plans.
