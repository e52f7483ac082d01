//! Parts shared by pages.

pub mod header;
