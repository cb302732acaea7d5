//! Reading and writing `.kpitree.json` files.
//!
//! Loading reports exactly what is wrong (file, line and column, or which node
//! or edge and which field) and reads only regular files, boundedly; saving is
//! atomic, so an interrupted save never leaves a truncated file, and keeps the
//! file's owner, group, mode and hard links (docs/FORMAT.md, "Saving").
//!
//! For the editor: [`FileIdentity`] tells whether a file changed since it was
//! read, [`Lock`] keeps a LibreOffice-style lock file beside an open
//! document, [`FileWatcher`] reports changes made by other programs.

mod atomic;
mod bounded;
mod fields;
pub mod identity;
pub mod import;
pub mod json_num;
pub mod json_stream;
pub mod links;
mod load;
pub mod lock;
pub mod outline;
mod recovery;
mod save;
pub mod scenarios;
pub mod schema;
mod settings;
mod temp;
pub mod watch;

pub use atomic::{check_target, writable, write_atomic};
pub use identity::{Change, FileIdentity};
pub use links::{LinkRefusal, error_message};
pub use load::{LoadError, MAX_FILE_BYTES, SchemaError, both_ways, from_slice, from_str, from_value, load};
pub use lock::{Held, Lock};
pub use recovery::{KEPT_PER_DOCUMENT, Recovered, RecoveryStore};
pub(crate) use save::number as json_number;
pub use save::{PRETTY_LIMIT_BYTES, node_value, save, to_json_string, to_value};
pub use settings::{SETTINGS_CAP, Settings};
pub use temp::{STALE_TEMP_AGE, install_signal_cleanup, remove_stale_temps};
pub use watch::{Changed, FileWatcher};
