//! Traffic changes: load a repository once, plan an op (add a lane, set a split, promote,
//! roll back) into an [`Outcome`], then preview its [`Changeset`] as a unified diff or write it
//! atomically.
//!
//! Every op splices the original text at byte ranges (comments, quoting and layout stay),
//! re-parses and checks the intended values, and re-lints the whole tree in memory: an op whose
//! result has lint errors the input did not have is refused ([`OpError::NewLintErrors`])
//! unless [`Options::force`] is set. Nothing is written until [`Workspace::write`].

use std::path::{Path, PathBuf};

pub use lanes_ops::{
    parse_assignment, AddArgs, OpError, Options, Outcome, PlanArgs, PromoteArgs, RollbackArgs,
    RouteWeights, SetArgs, SplitArgs,
};

use lanes_lint::config_file::Settings;
use lanes_model::Index;
use lanes_ops::{Changeset, Policy, Recovery, WriteError};

use crate::Error;

/// Which routes an op changes: a lane group (default: `[lanes] default-group`, else the only
/// group), or a route or host for trees without lane groups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The lane group.
    pub group: Option<String>,
    /// `NAMESPACE/VS[#ROUTE]` (route `name` or index), or a file path: the split to change when
    /// it is not an ASM lane group's.
    pub route: Option<String>,
    /// Every split route across this host's DestinationRule subsets.
    pub host: Option<String>,
}

/// A repository loaded for traffic ops: its settings, the files that matter to the scope and
/// the options every op takes.
pub struct Workspace {
    /// The effective configuration (`lanes.toml` found from the root upwards, up to the
    /// repository root).
    pub settings: Settings,
    /// The files loaded.
    pub index: Index,
    /// Root, scope, `force` and the lint configuration of the before/after comparison.
    pub options: Options,
    /// What [`Workspace::open`] finished or undid of an interrupted earlier write, and the
    /// stray staged files it removed.
    pub recovered: Recovery,
}

impl Workspace {
    /// Open the repository folder `root` for ops in `scope`: finish or undo an interrupted
    /// earlier write ([`crate::root::recover`]), read `lanes.toml`, load the files.
    pub fn open(root: impl Into<PathBuf>, scope: Scope) -> Result<Workspace, Error> {
        let root = root.into();
        if !root.is_dir() {
            return Err(Error::NotADirectory(root));
        }
        let recovered = crate::root::recover(&root)?;
        let settings = crate::config::settings_for_root(&root)?;
        let mut ws = Workspace::with_settings(root, scope, settings);
        ws.recovered = recovered;
        Ok(ws)
    }

    /// [`Workspace::open`] with settings already read (and recovery already run). Loads the
    /// files that can matter to the scope ([`lanes_ops::scope::load_for`]).
    pub fn with_settings(root: PathBuf, scope: Scope, settings: Settings) -> Workspace {
        let group = scope.group.or_else(|| settings.ops.default_group.clone());
        let mut index = lanes_ops::scope::load_for(
            std::slice::from_ref(&root),
            group.as_deref(),
            scope.route.as_deref(),
            scope.host.as_deref(),
        );
        // The universes `lanes lint` uses: `lanes.toml` `[universes]`, this repository's Argo CD
        // Applications (always loaded by `load_for`), else kustomize roots.
        crate::universes::assign(&mut index, &settings, None);
        Workspace::from_parts(root, group, scope.route, scope.host, settings, index)
    }

    /// Every file under `root`, for ops on the whole mesh (gateways, namespaces, upgrades).
    pub fn whole(root: PathBuf, settings: Settings) -> Workspace {
        let mut index = lanes_model::load::load(std::slice::from_ref(&root));
        crate::universes::assign(&mut index, &settings, None);
        Workspace::from_parts(root, None, None, None, settings, index)
    }

    fn from_parts(
        root: PathBuf,
        group: Option<String>,
        route: Option<String>,
        host: Option<String>,
        settings: Settings,
        index: Index,
    ) -> Workspace {
        let options = Options {
            root,
            group,
            route,
            host,
            force: false,
            config: settings.config.clone(),
        };
        Workspace {
            settings,
            index,
            options,
            recovered: Recovery::default(),
        }
    }

    /// Write even when the result has new lint errors ([`Outcome::new_errors`] lists them).
    pub fn force(mut self, force: bool) -> Workspace {
        self.options.force = force;
        self
    }

    /// The plan policy: `explicit` when given, else `[lanes] plan-policy`.
    pub fn policy(&self, explicit: Option<Policy>) -> Policy {
        explicit.unwrap_or(self.settings.ops.plan_policy)
    }

    /// Add a lane: Deployments cloned from the source lane, an ASMSwimLane, and a destination
    /// in every route that splits traffic across the lanes.
    pub fn add(&self, args: &AddArgs) -> Result<Outcome, OpError> {
        lanes_ops::add(&self.index, args, &self.options)
    }

    /// Set every destination's weight of the scope's split routes (`60:30:10`).
    pub fn split(&self, args: &SplitArgs) -> Result<Outcome, OpError> {
        lanes_ops::split_weights(&self.index, args, &self.options)
    }

    /// Set some lanes' weights (`v3=30`); the other lanes share the rest in proportion.
    pub fn set(&self, args: &SetArgs) -> Result<Outcome, OpError> {
        lanes_ops::set(&self.index, args, &self.options)
    }

    /// A staged plan for a lane (`save` records it for [`Workspace::promote`]).
    pub fn plan(&self, args: &PlanArgs) -> Result<Outcome, OpError> {
        lanes_ops::plan(&self.index, args, &self.options)
    }

    /// Apply the saved plan's next stage, or a given weight.
    pub fn promote(&self, args: &PromoteArgs) -> Result<Outcome, OpError> {
        lanes_ops::promote(&self.index, args, &self.options)
    }

    /// Set a lane's weight to 0 everywhere (`prune` also removes the lane).
    pub fn rollback(&self, args: &RollbackArgs) -> Result<Outcome, OpError> {
        lanes_ops::rollback(&self.index, args, &self.options)
    }

    /// Write a changeset: all or nothing, locked and journalled, nothing outside the root.
    pub fn write(&self, changeset: &Changeset) -> Result<(), WriteError> {
        write(&self.options.root, changeset)
    }
}

/// Write a changeset under `root` ([`crate::root::write_options`]): all files or none, with a
/// journal that [`crate::root::recover`] rolls forward after a crash.
pub fn write(root: &Path, changeset: &Changeset) -> Result<(), WriteError> {
    changeset.write_with(&crate::root::write_options(root))
}
