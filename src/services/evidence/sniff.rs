//! What a file is, judged from its first bytes (its magic numbers), never from its name: the
//! allow-list of evidence types. Pure: bytes in, a type or a refusal out.
//!
//! The first chunk of an upload (256 KiB, or the whole file when smaller) is enough for every
//! type here: images and PDF announce themselves in their first bytes; an Office Open XML file is
//! a zip whose first entries (`[Content_Types].xml`, `word/...`, `xl/...`, `ppt/...`) name its
//! kind; the older Word, Excel and WPS files are OLE compound files, which share one signature,
//! so the declared extension only picks which of those content types to name (it can never turn
//! something else into one of them).

/// A type evidence may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Heic,
    Heif,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    /// An OLE compound file: .doc, .xls, .ppt, .wps, .et, .dps.
    Ole,
}

impl Kind {
    /// Whether it is a photo (what an officer's phone form takes and the warning page shows).
    pub fn is_image(self) -> bool {
        matches!(
            self,
            Kind::Jpeg | Kind::Png | Kind::Gif | Kind::Webp | Kind::Heic | Kind::Heif
        )
    }

    /// The content type served with the file. For an OLE file, the declared extension chooses
    /// among the compound-file types only.
    pub fn content_type(self, file_name: &str) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Gif => "image/gif",
            Kind::Webp => "image/webp",
            Kind::Heic => "image/heic",
            Kind::Heif => "image/heif",
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Kind::Ole => {
                let ext = file_name
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_ascii_lowercase())
                    .unwrap_or_default();
                match ext.as_str() {
                    "doc" | "wps" => "application/msword",
                    "xls" | "et" => "application/vnd.ms-excel",
                    "ppt" | "dps" => "application/vnd.ms-powerpoint",
                    _ => "application/x-ole-storage",
                }
            }
        }
    }
}

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_ENTRY: [u8; 4] = *b"PK\x03\x04";

/// The kind of a file whose first bytes are `head`, or `None` when it is none of the allowed.
pub fn sniff(head: &[u8]) -> Option<Kind> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(Kind::Gif)
    } else if head.len() >= 12 && starts(b"RIFF") && &head[8..12] == b"WEBP" {
        Some(Kind::Webp)
    } else if starts(b"%PDF-") {
        Some(Kind::Pdf)
    } else if starts(&OLE) {
        Some(Kind::Ole)
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        match &head[8..12] {
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" => Some(Kind::Heic),
            b"mif1" | b"msf1" => Some(Kind::Heif),
            _ => None,
        }
    } else if starts(&ZIP_ENTRY) {
        office_zip(head)
    } else {
        None
    }
}

/// An Office Open XML file among the zip's entries found in `head`: each local header
/// (`PK\x03\x04`) names its entry 30 bytes in. Headers are found by their signature rather than
/// by walking the sizes, which a writer using data descriptors leaves at zero.
fn office_zip(head: &[u8]) -> Option<Kind> {
    let mut content_types = false;
    let mut kind = None;
    let mut at = 0;
    while let Some(found) = find(&head[at..], &ZIP_ENTRY) {
        let entry = at + found;
        at = entry + 4;
        let Some(fixed) = head.get(entry..entry + 30) else {
            break;
        };
        let name_len = usize::from(u16::from_le_bytes([fixed[26], fixed[27]]));
        let Some(name) = head.get(entry + 30..entry + 30 + name_len) else {
            break;
        };
        if name == b"[Content_Types].xml" {
            content_types = true;
        } else if kind.is_none() {
            kind = if name.starts_with(b"word/") {
                Some(Kind::Docx)
            } else if name.starts_with(b"xl/") {
                Some(Kind::Xlsx)
            } else if name.starts_with(b"ppt/") {
                Some(Kind::Pptx)
            } else {
                None
            };
        }
        if content_types && kind.is_some() {
            return kind;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for name in names {
            out.extend_from_slice(&ZIP_ENTRY);
            // version, flags (data descriptor), method, time, date, crc, sizes: zeros.
            out.extend_from_slice(&[20, 0, 8, 0, 8, 0]);
            out.extend_from_slice(&[0; 16]);
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"compressed bytes here");
        }
        out
    }

    #[test]
    fn images_and_pdf_are_known_by_their_first_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(Kind::Png));
        assert_eq!(sniff(b"GIF89a...."), Some(Kind::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some(Kind::Heic));
        assert_eq!(sniff(b"\0\0\0\x18ftypmif1\0\0\0\0"), Some(Kind::Heif));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(Kind::Pdf));
    }

    #[test]
    fn markup_and_scripts_are_refused_whatever_they_are_called() {
        assert_eq!(sniff(b"<!doctype html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b""), None);
        // An MP4 is an ftyp box too, but not a HEIF image.
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), None);
    }

    #[test]
    fn office_files_are_known_by_their_entries_and_a_plain_zip_is_refused() {
        let docx = zip_with(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        assert_eq!(sniff(&docx), Some(Kind::Docx));
        let xlsx = zip_with(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(sniff(&xlsx), Some(Kind::Xlsx));
        let pptx = zip_with(&["[Content_Types].xml", "ppt/presentation.xml"]);
        assert_eq!(sniff(&pptx), Some(Kind::Pptx));
        assert_eq!(sniff(&zip_with(&["index.html", "app.js"])), None);
        assert_eq!(sniff(&zip_with(&["word/document.xml"])), None);
    }

    #[test]
    fn an_ole_file_is_named_by_its_extension_among_the_compound_types_only() {
        let mut ole = OLE.to_vec();
        ole.extend_from_slice(&[0; 32]);
        assert_eq!(sniff(&ole), Some(Kind::Ole));
        assert_eq!(Kind::Ole.content_type("合同.DOC"), "application/msword");
        assert_eq!(
            Kind::Ole.content_type("工资表.et"),
            "application/vnd.ms-excel"
        );
        assert_eq!(
            Kind::Ole.content_type("x.html"),
            "application/x-ole-storage"
        );
        assert_eq!(Kind::Pdf.content_type("photo.jpg"), "application/pdf");
    }
}
