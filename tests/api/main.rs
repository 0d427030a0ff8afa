//! API tests: one binary, one file per feature, each test on its own app and database.

mod helpers;

mod auth;
mod cases;
mod deadlines;
mod demo;
mod intake;
mod migrations;
mod notifications;
mod organization;
mod scope;
mod warnings;
mod web;
mod web_pages;
