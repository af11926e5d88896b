//! Universes for every command: `lanes.toml` `[universes]`, Argo CD Applications of this
//! repository (by its remotes), kustomize roots ([`lanes_model::universes::assign`]).

use std::path::PathBuf;

use lanes_lint::config_file::Settings;
use lanes_model::Index;

/// Each file's universe ([`lanes_model::universes::assign`]): `lanes.toml` `[universes]`, else
/// the Argo CD Application whose source (in this repository, by its remotes) holds it, else its
/// kustomize root. Git sources are matched at their work-tree location.
pub fn assign(index: &mut Index, settings: &Settings, git_root: Option<&std::path::Path>) {
    let path_of = |name: &str| match (git_root, name.split_once(':')) {
        (Some(root), Some((_, p))) => root.join(p),
        (Some(root), None) => root.join(name),
        (None, _) => PathBuf::from(name),
    };
    let declared = |name: &str| settings.universe_of(&path_of(name));
    let repo = lanes_model::universes::has_applications(index)
        .then(|| match git_root {
            Some(root) => Some(root.to_path_buf()),
            None => index.files.first().map(|f| {
                let p = path_of(f.source.name());
                match p.parent().filter(|d| !d.as_os_str().is_empty()) {
                    Some(d) => d.to_path_buf(),
                    None => PathBuf::from("."),
                }
            }),
        })
        .flatten()
        .and_then(|start| lanes_git::remotes_of(&start));
    let ctx = lanes_model::universes::Context {
        declared: &declared,
        path_of: &path_of,
        repository: repo
            .as_ref()
            .map(|(root, remotes)| lanes_model::universes::Repository { root, remotes }),
    };
    lanes_model::universes::assign(index, &ctx);
}
