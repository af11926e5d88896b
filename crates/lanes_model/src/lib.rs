//! `lanes_model`: typed, span-keeping views of the resources lanes understands, and one index
//! across all files so that references resolve across files.
//!
//! Views ([`views`]) are thin wrappers over [`lanes_yaml::NodeRef`]: every value comes with its
//! exact byte range. Documents of unknown kinds are indexed by kind/namespace/name and
//! otherwise left alone.
#![warn(missing_docs)]

pub mod cache;
pub mod files;
mod index;
mod kind;
pub mod load;
pub mod render;
pub mod terminal;
pub mod traffic;
pub mod traffic_edit;
pub mod universes;
pub mod views;
pub mod views_argo;

pub use index::{
    resolve_host, HostRef, Index, InputError, LaneGroup, ResIdx, Resource, SubsetTarget,
};
pub use kind::{Kind, ASM_LANE_API};
