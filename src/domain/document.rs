//! The documents of a case's file (文书), by the names the API gives them, with when a case has
//! each: every one is printed, and listed (available or not) so that clients see the whole set.

/// A document of a case's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    AcceptanceNotice,
    RejectionNotice,
    SessionRecord,
    Agreement,
    ArbitrationNotice,
    ServiceReceipt,
    PaymentOrderNotice,
    FileCover,
}

impl DocumentKind {
    /// Every document, in the order a case's file holds them.
    pub const ALL: [DocumentKind; 8] = [
        DocumentKind::AcceptanceNotice,
        DocumentKind::RejectionNotice,
        DocumentKind::SessionRecord,
        DocumentKind::Agreement,
        DocumentKind::ArbitrationNotice,
        DocumentKind::ServiceReceipt,
        DocumentKind::PaymentOrderNotice,
        DocumentKind::FileCover,
    ];

    /// The API's name: `acceptance_notice`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::AcceptanceNotice => "acceptance_notice",
            DocumentKind::RejectionNotice => "rejection_notice",
            DocumentKind::SessionRecord => "session_record",
            DocumentKind::Agreement => "agreement",
            DocumentKind::ArbitrationNotice => "arbitration_notice",
            DocumentKind::ServiceReceipt => "service_receipt",
            DocumentKind::PaymentOrderNotice => "payment_order_notice",
            DocumentKind::FileCover => "file_cover",
        }
    }

    /// The print page's address below `/cases/{id}/print/`: the name with hyphens.
    pub fn segment(self) -> String {
        self.as_str().replace('_', "-")
    }

    /// The document named `name` (the API's name or the print page's).
    pub fn named(name: &str) -> Option<DocumentKind> {
        let name = name.replace('-', "_");
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Its title's catalog key.
    pub fn title_key(self) -> &'static str {
        match self {
            DocumentKind::AcceptanceNotice => "print.acceptance_title",
            DocumentKind::RejectionNotice => "print.rejection_title",
            DocumentKind::SessionRecord => "print.session_record_title",
            DocumentKind::Agreement => "print.agreement_title",
            DocumentKind::ArbitrationNotice => "print.notice_title",
            DocumentKind::ServiceReceipt => "print.service_receipt_title",
            DocumentKind::PaymentOrderNotice => "print.payment_order_title",
            DocumentKind::FileCover => "print.file_cover_title",
        }
    }

    /// Whether a case standing as `case` does has this document now.
    pub fn available(self, case: Standing<'_>) -> bool {
        let status = case.status;
        match self {
            DocumentKind::AcceptanceNotice => case.accepted,
            // One record of each session held.
            DocumentKind::SessionRecord => case.sessions > 0,
            DocumentKind::RejectionNotice => status == "rejected",
            DocumentKind::Agreement => status == "resolved",
            DocumentKind::ArbitrationNotice => status == "failed",
            // The Law art. 16: an agreement to pay wages in arrears, work-injury medical
            // costs, economic compensation or damages.
            DocumentKind::PaymentOrderNotice => {
                status == "resolved" && case.instalments > 0 && payment_order_claim(case.category)
            }
            // Every case has its file from intake on.
            DocumentKind::FileCover => true,
            // A proof of service goes with each document served.
            DocumentKind::ServiceReceipt => {
                case.accepted || matches!(status, "rejected" | "resolved" | "failed")
            }
        }
    }
}

/// What decides which documents a case has.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    pub status: &'a str,
    /// Whether it was accepted at some time, whatever came after.
    pub accepted: bool,
    /// The mediation sessions it held.
    pub sessions: usize,
    pub category: &'a str,
    /// The instalments its agreement has.
    pub instalments: usize,
}

/// Whether a claim of `category` is one the Law art. 16 lets the worker take to a court for a
/// payment order when the employer does not perform the agreement: wages in arrears, work-injury
/// medical costs, economic compensation or damages.
pub fn payment_order_claim(category: &str) -> bool {
    matches!(category, "wage_arrears" | "work_injury" | "compensation")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_document_is_found_by_its_api_name_and_by_its_print_address() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::named(kind.as_str()), Some(kind));
            assert_eq!(DocumentKind::named(&kind.segment()), Some(kind));
        }
        assert_eq!(DocumentKind::named("nonsense"), None);
    }

    #[test]
    fn a_case_has_the_documents_of_where_it_stands() {
        use DocumentKind::*;
        let has = |status: &str, accepted: bool| -> Vec<DocumentKind> {
            DocumentKind::ALL
                .into_iter()
                .filter(|k| k.available(standing(status, accepted, 0)))
                .collect()
        };
        assert_eq!(has("received", false), vec![FileCover]);
        assert_eq!(
            has("mediating", true),
            vec![AcceptanceNotice, ServiceReceipt, FileCover]
        );
        assert_eq!(
            has("resolved", true),
            vec![AcceptanceNotice, Agreement, ServiceReceipt, FileCover]
        );
        assert_eq!(
            has("failed", true),
            vec![
                AcceptanceNotice,
                ArbitrationNotice,
                ServiceReceipt,
                FileCover
            ]
        );
        assert_eq!(
            has("rejected", false),
            vec![RejectionNotice, ServiceReceipt, FileCover]
        );
        assert_eq!(has("withdrawn", false), vec![FileCover]);
    }

    fn standing(status: &str, accepted: bool, sessions: usize) -> Standing<'_> {
        Standing {
            status,
            accepted,
            sessions,
            category: "contract",
            instalments: 0,
        }
    }

    #[test]
    fn a_payment_order_notice_goes_with_an_agreement_to_pay_the_claims_of_article_16() {
        use DocumentKind::PaymentOrderNotice as N;
        for (category, eligible) in [
            ("wage_arrears", true),
            ("work_injury", true),
            ("compensation", true),
            ("contract", false),
            ("social_insurance", false),
            ("overtime_leave", false),
            ("other", false),
        ] {
            let agreed = Standing {
                category,
                instalments: 1,
                ..standing("resolved", true, 1)
            };
            assert_eq!(N.available(agreed), eligible, "{category}");
            let no_money = Standing {
                instalments: 0,
                ..agreed
            };
            assert!(!N.available(no_money), "{category}: nothing to pay");
            let failed = Standing {
                status: "failed",
                ..agreed
            };
            assert!(!N.available(failed), "{category}: no agreement");
        }
    }

    #[test]
    fn a_case_has_a_session_record_once_it_has_held_a_session_whatever_came_after() {
        use DocumentKind::*;
        for status in ["mediating", "resolved", "failed", "withdrawn"] {
            assert!(
                !SessionRecord.available(standing(status, true, 0)),
                "{status}, no session"
            );
            assert!(
                SessionRecord.available(standing(status, true, 1)),
                "{status}, one session"
            );
            assert!(
                SessionRecord.available(standing(status, true, 3)),
                "{status}, three"
            );
        }
    }
}
