//! Email notifications. Every notification is first written to the outbox (`outbox`) in the
//! transaction of the change that causes it; the `worker` claims due rows, sends them through the
//! `mailer` outside any transaction and records the outcome. Bodies come from the handlebars
//! templates compiled into the binary (`render`). Logs name a notification by id and kind only,
//! never by recipient.

pub mod mailer;
pub mod outbox;
pub mod render;
pub mod worker;
