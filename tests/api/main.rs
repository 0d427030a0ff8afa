//! API tests: one binary, one file per feature, each test on its own app and database.

mod helpers;

mod auth;
mod backup;
mod browser;
mod case_desk;
mod cases;
mod deadlines;
mod demo;
mod digest;
mod hardening;
mod house;
mod intake;
mod ledger;
mod ledger_upload;
mod migrations;
mod notifications;
mod organization;
mod permissions;
mod rollup;
mod scope;
mod stats;
mod warnings;
mod web;
mod web_pages;
mod writes;
