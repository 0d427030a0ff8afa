//! The ledger's file format (台账): its columns and the words its 处理结果 column uses for a case's
//! status. The export writes them and the import reads them back, so both take them from here.
//! They are a format other centers' spreadsheets are written in, not labels of the interface:
//! they stay Chinese whatever the page's language.

use super::case::CaseStatus;

/// A column of the ledger, in the export's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    No,
    CaseNo,
    Received,
    Accepted,
    Applicant,
    Enterprise,
    Category,
    Workers,
    Claimed,
    Mediator,
    Outcome,
    Agreed,
    Paid,
    Closed,
    /// 履行情况: how the agreement stands (derived from its terms; not read back).
    Fulfilment,
    /// 司法确认: the judicial confirmation applied for or ruled on.
    Confirmation,
    /// 归档号: the archive number.
    ArchiveNo,
}

impl Column {
    /// Every column, in the export's order.
    pub const ALL: [Column; 17] = [
        Column::No,
        Column::CaseNo,
        Column::Received,
        Column::Accepted,
        Column::Applicant,
        Column::Enterprise,
        Column::Category,
        Column::Workers,
        Column::Claimed,
        Column::Mediator,
        Column::Outcome,
        Column::Agreed,
        Column::Paid,
        Column::Closed,
        Column::Fulfilment,
        Column::Confirmation,
        Column::ArchiveNo,
    ];

    /// The header cell that names the column.
    pub fn header(self) -> &'static str {
        match self {
            Column::No => "序号",
            Column::CaseNo => "案号",
            Column::Received => "收案日期",
            Column::Accepted => "受理日期",
            Column::Applicant => "申请人",
            Column::Enterprise => "被申请单位",
            Column::Category => "争议类型",
            Column::Workers => "涉及人数",
            Column::Claimed => "涉案金额",
            Column::Mediator => "调解员",
            Column::Outcome => "处理结果",
            Column::Agreed => "协议金额",
            Column::Paid => "履行金额",
            Column::Closed => "结案日期",
            Column::Fulfilment => "履行情况",
            Column::Confirmation => "司法确认",
            Column::ArchiveNo => "归档号",
        }
    }

    /// Whether an import needs the column. 序号 is the export's own numbering; a ledger kept by
    /// hand may lack the acceptance date, the mediator, the amounts agreed and paid, the closing
    /// date, and what came after the agreement.
    pub fn required(self) -> bool {
        !matches!(
            self,
            Column::No
                | Column::Accepted
                | Column::Mediator
                | Column::Agreed
                | Column::Paid
                | Column::Closed
                | Column::Fulfilment
                | Column::Confirmation
                | Column::ArchiveNo
        )
    }

    /// The column of a header cell as the import reads it. Ledgers written before 收案日期 had a
    /// column of its own (this product's, and most centers' own) used 受理日期 for the date a
    /// case was received: in a header without 收案日期, 受理日期 is read as the receipt date.
    pub fn of_header(header: &[&str]) -> Vec<Option<Column>> {
        let old = !header.iter().any(|h| h.trim() == Column::Received.header());
        header
            .iter()
            .map(|h| match h.trim() {
                t if old && t == Column::Accepted.header() => Some(Column::Received),
                t => Column::ALL.into_iter().find(|c| c.header() == t),
            })
            .collect()
    }
}

/// The ledger's header row, in order.
pub fn header() -> [&'static str; 17] {
    Column::ALL.map(Column::header)
}

/// 处理结果 of a status: the closing outcome of a case, or where an open case stands.
pub fn outcome_label(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Received => "待受理",
        CaseStatus::Accepted => "已受理",
        CaseStatus::Mediating => "调解中",
        CaseStatus::Resolved => "调解成功",
        CaseStatus::Failed => "调解不成",
        CaseStatus::Withdrawn => "撤回",
        CaseStatus::Rejected => "不予受理",
    }
}

/// The status a 处理结果 names, if any (surrounding spaces ignored).
pub fn status_of(label: &str) -> Option<CaseStatus> {
    let label = label.trim();
    CaseStatus::ALL
        .iter()
        .copied()
        .find(|&s| outcome_label(s) == label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_one_outcome_label_that_reads_back_as_it() {
        for &status in CaseStatus::ALL.iter() {
            assert_eq!(status_of(outcome_label(status)), Some(status));
        }
        assert_eq!(status_of(" 调解成功 "), Some(CaseStatus::Resolved));
        assert_eq!(status_of("结案"), None);
    }

    #[test]
    fn an_old_header_without_a_receipt_date_column_reads_its_acceptance_date_as_the_receipt() {
        let old = Column::of_header(&["案号", " 受理日期 ", "备注"]);
        assert_eq!(old, [Some(Column::CaseNo), Some(Column::Received), None]);
        let new = Column::of_header(&["受理日期", "收案日期"]);
        assert_eq!(new, [Some(Column::Accepted), Some(Column::Received)]);
    }

    #[test]
    fn the_header_names_each_column_once_and_the_import_needs_eight() {
        let header = header();
        let mut unique = header.to_vec();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), header.len());
        let required: Vec<&str> = Column::ALL
            .into_iter()
            .filter(|c| c.required())
            .map(Column::header)
            .collect();
        assert_eq!(
            required,
            [
                "案号",
                "收案日期",
                "申请人",
                "被申请单位",
                "争议类型",
                "涉及人数",
                "涉案金额",
                "处理结果"
            ]
        );
    }
}
