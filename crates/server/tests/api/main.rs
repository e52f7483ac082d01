//! The server over real HTTP on 127.0.0.1, with a real SQLite file in a
//! temporary folder and the demo data. Each test starts its own server; it
//! stops when the test's runtime ends.

mod accounts;
mod activities;
mod bad_input;
mod common;
mod fake_idp;
mod hardening;
mod klippekort;
mod login;
mod loneliness;
mod moves;
mod oidc;
mod restore;
mod scale_demo;
mod scoping;
mod sessions;
mod static_files;
mod store_conformance;
mod sync_protocol;
