//! The app's pages.

pub mod citizen;
pub mod home;
pub mod login;
pub mod note_form;
