//! A document of the case file as .docx, for last edits in Word or WPS: the print page's article
//! (the same template, data and wording as the printed page), read as the well-formed markup the
//! print templates write and laid out on A4 by docx-rs.
//!
//! What the templates mean carries over: the title (`h1`) is centred, large and bold, headings
//! (`h2`) and table headers bold; the document number (`.doc-no`) centred; the committee's block
//! (`.seal-block`) to the right; a blank to fill in by hand (`span.blank`) an underlined space; the
//! items of a list numbered; the signature block kept on one page with its date; the file's
//! index (`.file-index`) on a page of its own. The print bar (`.no-print`) is left out.

use docx_rs::{
    AlignmentType, BreakType, Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableCell,
    TableRow, WidthType,
};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A4 in twentieths of a point, and margins of 2.5 cm (top, bottom) and 2.8 cm (the sides).
const A4: (u32, u32) = (11906, 16838);
const MARGIN_TOP: i32 = 1418;
const MARGIN_SIDE: i32 = 1588;
/// Sizes in half-points: 小二 for the title, 四号 for headings, 小四 for the text.
const TITLE_SIZE: usize = 36;
const HEADING_SIZE: usize = 28;
const TEXT_SIZE: usize = 24;

/// Why a page could not be written as .docx (a template that is not well-formed: a bug).
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("the print page is not well-formed at byte {0}: {1}")]
    Markup(u64, String),
    #[error("the print page has no article")]
    NoArticle,
    #[error("writing the .docx: {0}")]
    Write(String),
}

/// How a paragraph stands on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Center,
    Right,
}

/// A stretch of text, bold or not, or a blank of `n` full-width spaces to write in.
#[derive(Debug, Clone, PartialEq)]
enum Span {
    Text { text: String, bold: bool },
    Blank(usize),
}

#[derive(Debug, Clone, PartialEq)]
struct Para {
    spans: Vec<Span>,
    align: Align,
    size: usize,
    keep_with_next: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Block {
    Para(Para),
    /// Rows of cells, each cell its paragraphs; `bordered` for a grid (the index), not the
    /// particulars' layout table.
    Table {
        rows: Vec<Vec<Vec<Para>>>,
        bordered: bool,
    },
    PageBreak,
}

/// An open element: its name and classes.
struct Open {
    name: String,
    classes: Vec<String>,
}

impl Open {
    fn has(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }
}

/// The blocks of the article, built as its markup is read.
#[derive(Default)]
struct Layout {
    open: Vec<Open>,
    blocks: Vec<Block>,
    spans: Vec<Span>,
    /// The table being read: its rows, the last row's last cell being filled.
    table: Option<(Vec<Vec<Vec<Para>>>, bool)>,
    /// The item counter of each open list.
    lists: Vec<usize>,
    /// Depth inside an element left out (the print bar).
    skipping: usize,
}

/// Elements with no end tag in HTML.
const VOID: [&str; 6] = ["br", "img", "hr", "meta", "input", "col"];
/// Elements that make a paragraph of their own.
const BLOCKS: [&str; 13] = [
    "p", "h1", "h2", "h3", "li", "div", "section", "ol", "ul", "table", "tr", "td", "th",
];

impl Layout {
    fn within(&self, test: impl Fn(&Open) -> bool) -> bool {
        self.open.iter().any(test)
    }

    /// Ends the paragraph being built, styled by where it stands.
    fn flush(&mut self) {
        let spans = std::mem::take(&mut self.spans);
        let spans = trimmed(spans);
        if spans.is_empty() {
            return;
        }
        let align = if self.within(|o| o.name == "h1" || o.has("doc-no") || o.has("cover-unit")) {
            Align::Center
        } else if self.within(|o| o.has("seal-block")) {
            Align::Right
        } else {
            Align::Left
        };
        let size = if self.within(|o| o.name == "h1") {
            TITLE_SIZE
        } else if self.within(|o| o.name == "h2") {
            HEADING_SIZE
        } else {
            TEXT_SIZE
        };
        let para = Para {
            spans,
            align,
            size,
            keep_with_next: self.within(|o| o.has("sign-block")),
        };
        match &mut self.table {
            Some((rows, _)) => {
                if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                    cell.push(para);
                }
            }
            None => self.blocks.push(Block::Para(para)),
        }
    }

    fn text(&mut self, text: &str) {
        if self.skipping > 0 || self.open.is_empty() {
            return;
        }
        let bold =
            self.within(|o| matches!(o.name.as_str(), "h1" | "h2" | "h3" | "th" | "strong" | "b"));
        match self.spans.last_mut() {
            Some(Span::Text {
                text: last,
                bold: b,
            }) if *b == bold => last.push_str(text),
            _ => self.spans.push(Span::Text {
                text: text.to_string(),
                bold,
            }),
        }
    }

    fn start(&mut self, name: String, classes: Vec<String>, empty: bool) {
        if self.skipping > 0 || classes.iter().any(|c| c == "no-print") {
            if !empty {
                self.skipping += 1;
            }
            return;
        }
        if name == "br" {
            self.flush();
            return;
        }
        if BLOCKS.contains(&name.as_str()) {
            self.flush();
        }
        match name.as_str() {
            "section" if classes.iter().any(|c| c == "file-index") && !self.blocks.is_empty() => {
                self.blocks.push(Block::PageBreak)
            }
            "table" => {
                let bordered = !classes.iter().any(|c| c == "parties");
                self.table = Some((Vec::new(), bordered));
            }
            "tr" => {
                if let Some((rows, _)) = &mut self.table {
                    rows.push(Vec::new());
                }
            }
            "td" | "th" => {
                if let Some(row) = self.table.as_mut().and_then(|(rows, _)| rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            "ol" | "ul" => self.lists.push(0),
            "span" if classes.iter().any(|c| c == "blank") => {
                let width = if classes.iter().any(|c| c == "short") {
                    4
                } else {
                    8
                };
                self.spans.push(Span::Blank(width));
            }
            _ => {}
        }
        if empty || VOID.contains(&name.as_str()) {
            return;
        }
        if name == "li" {
            if let Some(n) = self.lists.last_mut() {
                *n += 1;
                let mark = format!("{n}. ");
                self.open.push(Open { name, classes });
                self.text(&mark);
                return;
            }
        }
        self.open.push(Open { name, classes });
    }

    fn end(&mut self, name: &str) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        if VOID.contains(&name) {
            return;
        }
        if BLOCKS.contains(&name) {
            self.flush();
        }
        match name {
            "table" => {
                if let Some((rows, bordered)) = self.table.take() {
                    self.blocks.push(Block::Table { rows, bordered });
                }
            }
            "ol" | "ul" => {
                self.lists.pop();
            }
            _ => {}
        }
        // Close up to the element named (a stray end tag closes nothing).
        if let Some(at) = self.open.iter().rposition(|o| o.name == name) {
            self.open.truncate(at);
        }
    }
}

/// The spans with each run of the markup's line breaks and indentation folded to one space, and
/// none at the paragraph's ends; empty when nothing but space is left (a blank stays).
fn trimmed(spans: Vec<Span>) -> Vec<Span> {
    let fold = |text: &str| {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c.is_whitespace() && c != '\u{a0}' && c != '\u{3000}' {
                true if out.ends_with(' ') => {}
                true => out.push(' '),
                false => out.push(c),
            }
        }
        out
    };
    let mut out: Vec<Span> = spans
        .into_iter()
        .map(|s| match s {
            Span::Text { text, bold } => Span::Text {
                text: fold(&text),
                bold,
            },
            blank => blank,
        })
        .collect();
    if let Some(Span::Text { text, .. }) = out.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Span::Text { text, .. }) = out.last_mut() {
        *text = text.trim_end().to_string();
    }
    out.retain(|s| !matches!(s, Span::Text { text, .. } if text.is_empty()));
    out
}

fn element(e: &BytesStart<'_>) -> (String, Vec<String>) {
    let name = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
    let classes = e
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == b"class")
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        .map(|v| v.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    (name, classes)
}

/// The blocks of the print page's article.
fn layout(page: &str) -> Result<Vec<Block>, DocxError> {
    let start = page.find("<article").ok_or(DocxError::NoArticle)?;
    let end = page.rfind("</article>").ok_or(DocxError::NoArticle)? + "</article>".len();
    let mut reader = Reader::from_str(&page[start..end]);
    reader.config_mut().check_end_names = false;
    let mut out = Layout::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| DocxError::Markup(reader.buffer_position(), e.to_string()))?;
        match event {
            Event::Start(e) => {
                let (name, classes) = element(&e);
                out.start(name, classes, false);
            }
            Event::Empty(e) => {
                let (name, classes) = element(&e);
                out.start(name, classes, true);
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
                out.end(&name);
            }
            Event::Text(t) => {
                let text = t
                    .decode()
                    .map_err(|e| DocxError::Markup(0, e.to_string()))?;
                out.text(&text);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = r
                            .decode()
                            .map_err(|e| DocxError::Markup(0, e.to_string()))?;
                        match name.as_ref() {
                            "nbsp" => "\u{a0}".to_string(),
                            other => quick_xml::escape::resolve_predefined_entity(other)
                                .unwrap_or("")
                                .to_string(),
                        }
                    }
                };
                out.text(&resolved);
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t).into_owned();
                out.text(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.flush();
    Ok(out.blocks)
}

fn paragraph(p: &Para) -> Paragraph {
    let align = match p.align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    };
    let mut out = Paragraph::new().align(align);
    if p.keep_with_next {
        out = out.keep_next(true).keep_lines(true);
    }
    for span in &p.spans {
        let run = match span {
            Span::Text { text, bold } => {
                let run = Run::new().add_text(text.clone()).size(p.size);
                if *bold {
                    run.bold()
                } else {
                    run
                }
            }
            Span::Blank(n) => Run::new()
                .add_text("\u{3000}".repeat(*n))
                .size(p.size)
                .underline("single"),
        };
        out = out.add_run(run);
    }
    out
}

/// The width of the text between the margins, in twentieths of a point.
const TEXT_WIDTH: usize = A4.0 as usize - 2 * MARGIN_SIDE as usize;

/// The columns' widths of a table of `columns`: a label and its value (the particulars), the
/// index's number, title, date and note, or equal shares.
fn grid(columns: usize) -> Vec<usize> {
    match columns {
        2 => vec![1900, TEXT_WIDTH - 1900],
        4 => vec![800, TEXT_WIDTH - 800 - 2 * 1700, 1700, 1700],
        n => vec![TEXT_WIDTH / n.max(1); n.max(1)],
    }
}

fn table(rows: &[Vec<Vec<Para>>], bordered: bool) -> Table {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1);
    let widths = grid(columns);
    let rows = rows
        .iter()
        .map(|row| {
            TableRow::new(
                row.iter()
                    .zip(&widths)
                    .map(|(cell, &width)| {
                        let mut c = TableCell::new().width(width, WidthType::Dxa);
                        if cell.is_empty() {
                            c = c.add_paragraph(Paragraph::new());
                        }
                        for p in cell {
                            c = c.add_paragraph(paragraph(p));
                        }
                        if bordered {
                            c
                        } else {
                            c.clear_all_border()
                        }
                    })
                    .collect(),
            )
        })
        .collect();
    let t = Table::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa);
    if bordered {
        t
    } else {
        t.clear_all_border()
    }
}

/// The print page `page` (a whole HTML page whose `<article>` is the document) as a .docx file.
pub fn from_print_page(page: &str) -> Result<Vec<u8>, DocxError> {
    let blocks = layout(page)?;
    let fonts = RunFonts::new()
        .east_asia("SimSun")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman");
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_TOP)
                .left(MARGIN_SIDE)
                .right(MARGIN_SIDE),
        )
        .default_fonts(fonts)
        .default_size(TEXT_SIZE);
    for block in &blocks {
        doc = match block {
            Block::Para(p) => doc.add_paragraph(paragraph(p)),
            Block::Table { rows, bordered } => doc.add_table(table(rows, *bordered)),
            Block::PageBreak => {
                doc.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| DocxError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(blocks: &[Block]) -> Vec<String> {
        fn para(p: &Para) -> String {
            p.spans
                .iter()
                .map(|s| match s {
                    Span::Text { text, .. } => text.clone(),
                    Span::Blank(n) => "_".repeat(*n),
                })
                .collect()
        }
        blocks
            .iter()
            .map(|b| match b {
                Block::Para(p) => para(p),
                Block::Table { rows, .. } => rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| c.iter().map(para).collect::<String>())
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                Block::PageBreak => "<page>".to_string(),
            })
            .collect()
    }

    const PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"></head><body>
<nav class="print-bar no-print"><a href="/x">返回</a><span>提示</span></nav>
<article class="doc" id="main">
<h1 class="doc-title">调解协议书</h1>
<p class="doc-no">编号 <span class="blank"></span></p>
<table class="parties"><tbody><tr><th scope="row">申请人</th><td>张三，男</td></tr></tbody></table>
<ol class="terms">
  <li>支付 &#x27;¥86,400.00&#x27; &amp; 利息</li>
  <li>其他</li>
</ol>
<div class="sign-block"><p>申请人（签名）<span class="blank"></span> 日期<span class="blank short"></span></p>
<div class="seal-block"><p>某调解委员会</p><div class="seal">（印章）</div><p>2026-12-01</p></div></div>
<section class="file-index"><h2>卷内目录</h2><table class="index"><tr><td>1</td><td>受理通知书</td></tr></table></section>
</article></body></html>"#;

    #[test]
    fn the_article_reads_as_paragraphs_tables_and_numbered_items_without_the_print_bar() {
        let blocks = layout(PAGE).unwrap();
        assert_eq!(
            text_of(&blocks),
            vec![
                "调解协议书",
                "编号 ________",
                "申请人|张三，男",
                "1. 支付 '¥86,400.00' & 利息",
                "2. 其他",
                "申请人（签名）________ 日期____",
                "某调解委员会",
                "（印章）",
                "2026-12-01",
                "<page>",
                "卷内目录",
                "1|受理通知书",
            ]
        );
    }

    #[test]
    fn the_title_is_centred_and_large_and_the_seal_block_stands_right_and_keeps_with_its_date() {
        let blocks = layout(PAGE).unwrap();
        let paras: Vec<&Para> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(p) => Some(p),
                _ => None,
            })
            .collect();
        assert_eq!(paras[0].align, Align::Center);
        assert_eq!(paras[0].size, TITLE_SIZE);
        assert!(matches!(&paras[0].spans[0], Span::Text { bold: true, .. }));
        let seal = paras
            .iter()
            .find(|p| {
                p.spans
                    .iter()
                    .any(|s| matches!(s, Span::Text { text, .. } if text == "某调解委员会"))
            })
            .unwrap();
        assert_eq!(seal.align, Align::Right);
        assert!(seal.keep_with_next);
        assert_eq!(paras[2].align, Align::Left);
    }

    #[test]
    fn the_docx_opens_with_a_reader_and_holds_the_text() {
        let bytes = from_print_page(PAGE).unwrap();
        let doc = docx_rs::read_docx(&bytes).expect("a .docx docx-rs reads back");
        let json = doc.json();
        for text in ["调解协议书", "张三，男", "¥86,400.00", "受理通知书"] {
            assert!(json.contains(text), "{text} is in the document");
        }
        assert!(!json.contains("返回"), "the print bar is left out");
    }

    #[test]
    fn a_page_without_an_article_or_with_broken_markup_is_an_error_not_a_document() {
        assert!(matches!(
            from_print_page("<html></html>"),
            Err(DocxError::NoArticle)
        ));
        let broken = "<article><p a=\"1 b></article>";
        assert!(from_print_page(broken).is_err());
    }
}
