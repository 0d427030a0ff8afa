//! The statistics' queries: the facts of a period streamed from the cases and consultations
//! (`facts`) and PostgreSQL's roll-up of them (`rollup`), each folded into a
//! `domain::stats::Fold`. Which period, which units and how many threads read them is the
//! services' (`services::stats`).

pub mod facts;
pub mod rollup;
