//! Parts shared by pages.

pub mod bind;
pub mod book_activity;
pub mod clip_card;
pub mod header;
pub mod score_chart;
