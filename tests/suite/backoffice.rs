//! Stories of this area, on every backend (see `common`).

#[allow(unused_imports)]
use crate::common::*;
