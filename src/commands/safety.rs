//! The recovery every command that reads a repository runs first, printed (the facade's
//! [`lanes::root`] says where lanes may write, where it locks and what it sweeps).

use lanes::root::RecoveryScope;
use lanes::Recovered;

/// Finish or undo a write that an earlier lanes process left half done under the scope's root,
/// and remove the staged files a killed writer left anywhere under it, before anything else is
/// read; say which on stderr. `Err(2)` when it cannot be recovered (or another writer holds the
/// lock while a journal waits). Called once, by the dispatcher ([`super::run`]), for every
/// command that reads a repository.
pub(super) fn recover(scope: &RecoveryScope) -> Result<(), i32> {
    let safe = |files: &[String]| super::terminal_safe(&files.join(", ")).into_owned();
    match lanes::root::recover_scope(scope) {
        Ok(r) => {
            match r.journal {
                None => {}
                Some(Recovered::Forward(files)) => eprintln!(
                    "lanes: an interrupted write was found and completed (rolled forward): {}",
                    safe(&files)
                ),
                Some(Recovered::Back(files)) => eprintln!(
                    "lanes: an interrupted write was found and undone (rolled back): {}",
                    safe(&files)
                ),
            }
            if !r.removed.is_empty() {
                let names: Vec<String> = r
                    .removed
                    .iter()
                    .map(|p| {
                        let rel = scope
                            .sweep
                            .iter()
                            .find_map(|s| p.strip_prefix(s).ok())
                            .unwrap_or(p);
                        lanes_model::load::display(rel)
                    })
                    .collect();
                eprintln!(
                    "lanes: removed {} temporary file(s) left by an interrupted write: {}",
                    names.len(),
                    safe(&names)
                );
            }
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {}", super::terminal_safe(&e.to_string()));
            Err(2)
        }
    }
}
