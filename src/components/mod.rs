//! Parts shared by pages.

pub mod bind;
pub mod book_activity;
pub mod booking_list;
pub mod choice;
pub mod clip_card;
pub mod field;
pub mod header;
pub mod outcome;
pub mod score_chart;
