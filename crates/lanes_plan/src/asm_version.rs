//! ASM versions.
