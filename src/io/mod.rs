//! Reading and writing `.kpitree.json` files.
//!
//! Loading reports exactly what is wrong (file, line and column, or which node
//! or edge and which field); saving is atomic, so an interrupted save never
//! leaves a truncated file.

mod load;
mod recovery;
mod save;

pub use load::{LoadError, MAX_FILE_BYTES, SchemaError, from_slice, from_str, load};
pub use recovery::{Recovered, RecoveryStore};
pub(crate) use save::number;
pub(crate) use save::number as json_number;
pub use save::{STALE_TEMP_AGE, save, to_json_string, to_value, write_atomic};
