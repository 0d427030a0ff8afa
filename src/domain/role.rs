//! Roles and what each may do in general. Whether a particular caller may act on a particular
//! record also depends on scope and assignment; that is decided in the services.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Director,
    Mediator,
    Officer,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Director,
        Role::Mediator,
        Role::Officer,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Director => "director",
            Role::Mediator => "mediator",
            Role::Officer => "officer",
            Role::Viewer => "viewer",
        }
    }

    /// Center staff: the people who register, accept and mediate cases.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Director | Role::Mediator)
    }

    /// Directors and admins see whole ID numbers and may assign and extend.
    pub fn is_manager(self) -> bool {
        matches!(self, Role::Admin | Role::Director)
    }

    /// Whether this role may be named the mediator of a case.
    pub fn can_mediate(self) -> bool {
        matches!(self, Role::Director | Role::Mediator)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::domain::problem::Problem;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| crate::domain::problem::Code::NotARole.into())
    }
}
