//! The recovery every writing command runs first, printed (the facade's [`lanes::root`] says
//! where lanes may write and where it locks).

use std::path::Path;

use lanes::Recovered;

/// Finish or undo a write that an earlier lanes process left half done under `root`, before
/// anything else is read, and say which. `Err(2)` when it cannot be recovered (or another
/// writer holds the lock).
pub fn recover(root: &Path) -> Result<(), i32> {
    match lanes::root::recover(root) {
        Ok(None) => Ok(()),
        Ok(Some(Recovered::Forward(files))) => {
            eprintln!(
                "lanes: an interrupted write was found and completed (rolled forward): {}",
                files.join(", ")
            );
            Ok(())
        }
        Ok(Some(Recovered::Back(files))) => {
            eprintln!(
                "lanes: an interrupted write was found and undone (rolled back): {}",
                files.join(", ")
            );
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(2)
        }
    }
}
