//! The closed vocabularies of the contract (channels, categories, unit kinds, referrals), each an
//! enum that parses from and prints as its snake_case code.

use serde::{Deserialize, Serialize};

/// Declares a snake_case string enum with `as_str`, `FromStr` (with an error listing the codes),
/// `ALL`, and serde in the same codes.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::problem::Problem;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::domain::problem::Code::OneOf.with("list", [$($code),+].join(", "))),
                }
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// How a petition or consultation reached the center.
    Channel {
        Visit => "visit",
        Phone => "phone",
        Letter => "letter",
        Online => "online",
        Warning => "warning",
        Inspection => "inspection",
        Other => "other",
    }
);

code_enum!(
    /// The dispute category of a case, and the topic of a consultation.
    Category {
        WageArrears => "wage_arrears",
        Contract => "contract",
        SocialInsurance => "social_insurance",
        WorkInjury => "work_injury",
        OvertimeLeave => "overtime_leave",
        Compensation => "compensation",
        Other => "other",
    }
);

code_enum!(
    /// Levels of the unit tree.
    UnitKind {
        District => "district",
        Street => "street",
        Community => "community",
    }
);

code_enum!(
    /// Where a failed mediation sends the parties.
    Referral {
        Arbitration => "arbitration",
        Litigation => "litigation",
        Inspection => "inspection",
        LegalAid => "legal_aid",
        Other => "other",
    }
);

impl UnitKind {
    /// The kind a child of this unit may have; a community has no children.
    pub fn may_contain(self, child: UnitKind) -> bool {
        matches!(
            (self, child),
            (UnitKind::District, UnitKind::Street)
                | (UnitKind::District, UnitKind::Community)
                | (UnitKind::Street, UnitKind::Community)
        )
    }
}

/// Collective disputes involve ten or more workers (derived, never entered).
pub const COLLECTIVE_THRESHOLD: i64 = 10;
