//! Pure domain rules: types, validation and reference data. No IO, no SQL, no terminal.

pub mod address;
pub mod agreement;
pub mod bsn;
pub mod contact;
pub mod dates;
pub mod flag;
pub mod goal;
pub mod household;
pub mod invalid;
pub mod istandaard;
pub mod phone;
pub mod postcode;
pub mod provision;
pub mod reference;
pub mod retention;
pub mod suppression;
pub mod text;
pub mod user;
pub mod zrm;

pub use invalid::Invalid;
