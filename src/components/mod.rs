//! Parts shared by pages.

pub mod choices;
pub mod header;
pub mod score_chart;
