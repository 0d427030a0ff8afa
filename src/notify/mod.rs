//! Email notifications: outbox rows written in the transaction of the change that causes them.

pub mod outbox;
