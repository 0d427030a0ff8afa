//! JSON handlers: extract, call one service, answer. Creating answers 201, acting 200.

pub mod auth;
pub mod cases;
pub mod consultations;
pub mod enterprises;
pub mod notifications;
pub mod openapi;
pub mod stats;
pub mod units;
pub mod users;
pub mod warnings;

use actix_web::HttpResponse;
use serde::Serialize;

pub fn created<T: Serialize>(value: T) -> HttpResponse {
    HttpResponse::Created().json(value)
}

pub fn ok<T: Serialize>(value: T) -> HttpResponse {
    HttpResponse::Ok().json(value)
}
