//! The app's pages.

pub mod accounts;
pub mod calendar;
pub mod catalogue;
pub mod citizen;
pub mod clip_form;
pub mod home;
pub mod login;
pub mod loneliness_form;
pub mod note_form;
pub mod overview;
pub mod pin;
pub mod teams;
