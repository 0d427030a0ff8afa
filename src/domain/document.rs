//! The documents of a case's file (文书), by the names the API gives them, with when a case has
//! each: what tiaojie prints, and the rest of the file's documents (the payment order notice of
//! the next issue), listed as not (yet) available so that clients see the whole set.

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

    /// Whether tiaojie prints this document yet.
    pub fn printed(self) -> bool {
        matches!(
            self,
            DocumentKind::AcceptanceNotice
                | DocumentKind::RejectionNotice
                | DocumentKind::Agreement
                | DocumentKind::ArbitrationNotice
                | DocumentKind::FileCover
                | DocumentKind::ServiceReceipt
                | DocumentKind::SessionRecord
        )
    }

    /// Whether a case in `status`, accepted or not at some time, that has held `sessions`
    /// mediation sessions, has this document now.
    pub fn available(self, status: &str, accepted: bool, sessions: usize) -> bool {
        self.printed()
            && match self {
                DocumentKind::AcceptanceNotice => accepted,
                // One record of each session held.
                DocumentKind::SessionRecord => sessions > 0,
                DocumentKind::RejectionNotice => status == "rejected",
                DocumentKind::Agreement => status == "resolved",
                DocumentKind::ArbitrationNotice => status == "failed",
                // Every case has its file from intake on.
                DocumentKind::FileCover => true,
                // A proof of service goes with each document served.
                DocumentKind::ServiceReceipt => {
                    accepted || matches!(status, "rejected" | "resolved" | "failed")
                }
                _ => false,
            }
    }
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
                .filter(|k| k.available(status, accepted, 0))
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

    #[test]
    fn a_case_has_a_session_record_once_it_has_held_a_session_whatever_came_after() {
        use DocumentKind::*;
        for status in ["mediating", "resolved", "failed", "withdrawn"] {
            assert!(
                !SessionRecord.available(status, true, 0),
                "{status}, no session"
            );
            assert!(
                SessionRecord.available(status, true, 1),
                "{status}, one session"
            );
            assert!(SessionRecord.available(status, true, 3), "{status}, three");
        }
    }
}
