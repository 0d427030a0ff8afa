//! API tests: one binary, one file per feature, each test on its own app and database.

mod helpers;

mod auth;
mod cases;
mod deadlines;
mod intake;
mod migrations;
mod organization;
mod scope;
mod stats;
