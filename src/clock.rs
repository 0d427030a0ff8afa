//! The one source of "now". Production reads the system clock; tests fix it and move it.

use chrono::{DateTime, SubsecRound, Utc};
use std::sync::{Arc, RwLock};

#[derive(Clone, Default)]
pub struct Clock(Option<Arc<RwLock<DateTime<Utc>>>>);

impl Clock {
    pub fn system() -> Clock {
        Clock(None)
    }

    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Some(Arc::new(RwLock::new(at))))
    }

    /// Now, to the microsecond (what PostgreSQL keeps), so a time read back equals the time written.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            None => Utc::now().trunc_subsecs(6),
            Some(t) => *t.read().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Moves a fixed clock; a system clock ignores it.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(t) = &self.0 {
            *t.write().unwrap_or_else(|p| p.into_inner()) = at;
        }
    }
}
