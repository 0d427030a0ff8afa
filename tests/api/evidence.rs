//! Evidence (证据材料) through the JSON API: files uploaded as multipart, listed, downloaded byte
//! for byte, refused by size and by their content's type (not their name), seen only in scope,
//! every download access-logged, removed with a reason, and a warning's photos carried to the
//! case it is escalated to.

use crate::helpers::*;
use diesel::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// A PDF of about `size` bytes (its body padded with a comment).
pub fn pdf(size: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%".to_vec();
    let mut n: u32 = 0;
    while out.len() + 6 < size {
        // Bytes that vary, so that a chunk out of order would show.
        out.push(b'a' + (n % 26) as u8);
        n = n.wrapping_add(7);
    }
    out.extend_from_slice(b"\n%%EOF");
    out
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A multipart body: the text fields, then the file.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----tiaojie-evidence-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

fn send(
    app: &TestApp,
    token: &str,
    path: &str,
    key: Option<&str>,
    ct: &str,
    body: &[u8],
) -> Response {
    let mut req = ureq::post(&format!("{}{path}", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", ct);
    if let Some(k) = key {
        req = req.set("Idempotency-Key", k);
    }
    let r = match req.send_bytes(body) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = r.status();
    let text = r.into_string().unwrap_or_default();
    Response {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// Uploads `bytes` as `file_name` with a title, provided by the applicant.
pub fn upload(app: &TestApp, token: &str, path: &str, file_name: &str, bytes: &[u8]) -> Response {
    let (ct, body) = multipart(
        &[
            ("title", "工资条照片"),
            ("provided_by", "applicant"),
            ("received_on", "2026-03-01"),
        ],
        Some((file_name, bytes)),
    );
    send(app, token, path, None, &ct, &body)
}

/// (evidence rows, chunk rows) in the database, staged ones included.
fn stored(app: &TestApp) -> (i64, i64) {
    use tiaojie::db::schema::{evidence, evidence_chunks};
    let mut conn = app.ctx.db.get().unwrap();
    (
        evidence::table.count().get_result(&mut *conn).unwrap(),
        evidence_chunks::table
            .count()
            .get_result(&mut *conn)
            .unwrap(),
    )
}

fn downloads_logged(app: &TestApp, id: i64) -> i64 {
    use tiaojie::db::schema::access_log;
    let mut conn = app.ctx.db.get().unwrap();
    access_log::table
        .filter(access_log::action.eq("download_evidence"))
        .filter(access_log::record_id.eq(id))
        .count()
        .get_result(&mut *conn)
        .unwrap()
}

struct Center {
    app: TestApp,
    enterprise: i64,
    case_id: i64,
    mediator: String,
    officer: String,
}

fn center_with(adjust: impl FnOnce(&mut tiaojie::config::Config)) -> Center {
    let app = spawn_app_with(adjust);
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let (_, officer) = app.designated_officer(enterprise);
    let case_id = app.create_case(&mediator, enterprise)["id"]
        .as_i64()
        .unwrap();
    Center {
        app,
        enterprise,
        case_id,
        mediator,
        officer,
    }
}

fn center() -> Center {
    center_with(|_| {})
}

impl Center {
    fn path(&self) -> String {
        format!("/api/v1/cases/{}/evidence", self.case_id)
    }
}

#[test]
fn a_file_goes_up_and_comes_down_byte_for_byte_with_its_sha256() {
    let c = center();
    // Larger than two chunks, so that the order of the chunks is tested too.
    let file = pdf(600 * 1024);
    let r = upload(&c.app, &c.mediator, &c.path(), "劳动合同 2026.pdf", &file);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let item = r.body.clone();
    for key in [
        "id",
        "title",
        "file_name",
        "content_type",
        "size",
        "sha256",
        "provided_by",
        "received_on",
        "internal",
        "uploaded_by",
        "uploaded_at",
        "removed",
    ] {
        assert!(item.get(key).is_some(), "{key} missing from {item}");
    }
    assert_eq!(item["content_type"], "application/pdf");
    assert_eq!(item["size"], file.len());
    assert_eq!(item["sha256"], hex(&file));
    assert_eq!(item["provided_by"], "applicant");
    assert_eq!(item["received_on"], "2026-03-01");
    assert_eq!(item["internal"], false);
    assert_eq!(item["removed"], false);
    assert_eq!(item["file_name"], "劳动合同 2026.pdf");

    let list = c.app.get(&c.mediator, &c.path());
    assert_eq!(list.status, 200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["items"][0]["id"], item["id"]);

    let id = item["id"].as_i64().unwrap();
    let response = ureq::get(&format!("{}/api/v1/evidence/{id}/file", c.app.base))
        .set("Authorization", &format!("Bearer {}", c.mediator))
        .call()
        .unwrap();
    assert_eq!(response.content_type(), "application/pdf");
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    let disposition = response.header("content-disposition").unwrap().to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%E5%8A%B3%E5%8A%A8%E5%90%88%E5%90%8C%202026.pdf"),
        "{disposition}"
    );
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).unwrap();
    assert_eq!(bytes.len(), file.len());
    assert!(bytes == file, "the bytes differ");
    assert_eq!(hex(&bytes), item["sha256"]);
    // The case's timeline says so.
    let case = c
        .app
        .get(&c.mediator, &format!("/api/v1/cases/{}", c.case_id));
    assert!(case.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "evidence.added" && e["note"] == "工资条照片"));
}

#[test]
fn a_file_over_the_configured_limit_is_413_and_nothing_is_stored() {
    let c = center_with(|config| config.evidence.max_file_mb = 1);
    let r = upload(
        &c.app,
        &c.mediator,
        &c.path(),
        "big.pdf",
        &pdf(1024 * 1024 + 1),
    );
    assert_eq!(r.status, 413, "{:?}", r.body);
    assert_eq!(r.code(), "too_large");
    assert_eq!(stored(&c.app), (0, 0));
    // Just under the limit is taken.
    let r = upload(
        &c.app,
        &c.mediator,
        &c.path(),
        "ok.pdf",
        &pdf(1024 * 1024 - 200),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    // A body that declares far more than the limit is refused before it is read.
    let (ct, body) = multipart(
        &[("title", "x"), ("provided_by", "center")],
        Some(("big.pdf", &pdf(3 * 1024 * 1024))),
    );
    let r = send(&c.app, &c.mediator, &c.path(), None, &ct, &body);
    assert_eq!(r.status, 413);
    assert_eq!(stored(&c.app).0, 1);
}

#[test]
fn the_type_is_judged_from_the_content_not_the_name() {
    let c = center();
    let page = b"<!doctype html><html><script>alert(document.cookie)</script></html>";
    let r = upload(&c.app, &c.mediator, &c.path(), "photo.jpg", page);
    assert_eq!(r.status, 415, "{:?}", r.body);
    assert_eq!(r.code(), "unsupported_type");
    let r = upload(
        &c.app,
        &c.mediator,
        &c.path(),
        "run.jpg",
        b"#!/bin/sh\necho hi\n",
    );
    assert_eq!(r.status, 415);
    assert_eq!(stored(&c.app), (0, 0));

    let r = upload(&c.app, &c.mediator, &c.path(), "scan.jpg", &pdf(2000));
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["content_type"], "application/pdf");
    let r = upload(&c.app, &c.mediator, &c.path(), "现场.png", PNG);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["content_type"], "image/png");
    let id = r.body["id"].as_i64().unwrap();
    let (status, ct, bytes) = c
        .app
        .get_bytes(&c.mediator, &format!("/api/v1/evidence/{id}/file"));
    assert_eq!(
        (status, ct.as_str(), bytes.as_slice()),
        (200, "image/png", PNG)
    );
}

#[test]
fn particulars_are_checked_and_a_refused_upload_leaves_nothing() {
    let c = center();
    let (ct, body) = multipart(
        &[("provided_by", "neighbour"), ("received_on", "2026-02-30")],
        Some(("a.png", PNG)),
    );
    let r = send(&c.app, &c.mediator, &c.path(), None, &ct, &body);
    assert_eq!(r.status, 422, "{:?}", r.body);
    for field in ["title", "provided_by", "received_on"] {
        assert!(r.field_error(field).is_some(), "{field}: {:?}", r.body);
    }
    let (ct, body) = multipart(&[("title", "x"), ("provided_by", "center")], None);
    let r = send(&c.app, &c.mediator, &c.path(), None, &ct, &body);
    assert_eq!(r.status, 422);
    assert!(r.field_error("file").is_some());
    assert_eq!(stored(&c.app), (0, 0));
}

#[test]
fn officers_see_their_own_enterprises_evidence_but_not_the_internal_and_others_nothing() {
    let c = center();
    let r = upload(&c.app, &c.mediator, &c.path(), "a.png", PNG);
    let open_id = r.body["id"].as_i64().unwrap();
    let (ct, body) = multipart(
        &[
            ("title", "内部意见"),
            ("provided_by", "center"),
            ("internal", "true"),
        ],
        Some(("note.pdf", &pdf(500))),
    );
    let r = send(&c.app, &c.mediator, &c.path(), None, &ct, &body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["internal"], true);
    let internal_id = r.body["id"].as_i64().unwrap();

    let seen = c.app.get(&c.officer, &c.path());
    assert_eq!(seen.status, 200, "{:?}", seen.body);
    let ids: Vec<i64> = seen.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![open_id]);
    let (status, ..) = c
        .app
        .get_bytes(&c.officer, &format!("/api/v1/evidence/{internal_id}/file"));
    assert_eq!(status, 404);
    let (status, _, bytes) = c
        .app
        .get_bytes(&c.officer, &format!("/api/v1/evidence/{open_id}/file"));
    assert_eq!((status, bytes.as_slice()), (200, PNG));
    // An officer does not attach to a case.
    assert_eq!(
        upload(&c.app, &c.officer, &c.path(), "b.png", PNG).status,
        403
    );

    // Another enterprise's officer, and staff of another street: 404 alike.
    let other = c.app.enterprise(c.app.street);
    let (_, stranger) = c.app.designated_officer(other);
    let (_, far) = c.app.user("mediator", c.app.other_street, None);
    for token in [&stranger, &far] {
        assert_eq!(c.app.get(token, &c.path()).status, 404);
        assert_eq!(
            c.app
                .get_bytes(token, &format!("/api/v1/evidence/{open_id}/file"))
                .0,
            404
        );
    }
    assert_eq!(upload(&c.app, &far, &c.path(), "c.png", PNG).status, 404);
    let (_, viewer) = c.app.user("viewer", c.app.street, None);
    assert_eq!(c.app.get(&viewer, &c.path()).status, 403);
    assert_eq!(downloads_logged(&c.app, open_id), 1);
    let _ = c.enterprise;
}

#[test]
fn every_download_is_written_to_the_access_log() {
    let c = center();
    let id = upload(&c.app, &c.mediator, &c.path(), "a.png", PNG).body["id"]
        .as_i64()
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            c.app
                .get_bytes(&c.mediator, &format!("/api/v1/evidence/{id}/file"))
                .0,
            200
        );
    }
    assert_eq!(downloads_logged(&c.app, id), 3);
}

#[test]
fn a_removed_item_stays_listed_with_its_file_and_the_reason_is_on_the_timeline() {
    let c = center();
    let id = upload(&c.app, &c.mediator, &c.path(), "a.png", PNG).body["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/evidence/{id}/remove");
    let r = c.app.post(&c.mediator, &path, json!({}));
    assert_eq!(r.status, 422);
    assert!(r.field_error("reason").is_some());
    assert_eq!(
        c.app.post(&c.officer, &path, json!({"reason": "x"})).status,
        403
    );
    let r = c
        .app
        .post(&c.mediator, &path, json!({"reason": "上传错了案件"}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["removed"], true);
    assert_eq!(r.body["removal_reason"], "上传错了案件");
    let list = c.app.get(&c.mediator, &c.path());
    assert_eq!(list.body["items"][0]["removed"], true);
    assert_eq!(
        c.app
            .get_bytes(&c.mediator, &format!("/api/v1/evidence/{id}/file"))
            .2,
        PNG
    );
    let case = c
        .app
        .get(&c.mediator, &format!("/api/v1/cases/{}", c.case_id));
    assert!(case.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "evidence.removed"
            && e["note"].as_str().unwrap().contains("上传错了案件")));
    let again = c.app.post(&c.mediator, &path, json!({"reason": "again"}));
    assert_eq!(again.status, 409);
}

#[test]
fn a_warnings_photos_carry_over_to_the_case_it_is_escalated_to() {
    let c = center();
    let w = c.app.post(
        &c.officer,
        "/api/v1/warnings",
        json!({"level": "red", "category": "wage_arrears", "workers_at_risk": 30,
               "description": "工人聚集讨薪"}),
    );
    assert_eq!(w.status, 201, "{:?}", w.body);
    let wid = w.body["id"].as_i64().unwrap();
    let wpath = format!("/api/v1/warnings/{wid}/evidence");
    let (ct, body) = multipart(
        &[("title", "现场照片"), ("provided_by", "respondent")],
        Some(("IMG_0001.png", PNG)),
    );
    let r = send(&c.app, &c.officer, &wpath, None, &ct, &body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let photo = r.body["id"].clone();
    // The officer cannot hide their own photo from themselves.
    let (ct, body) = multipart(
        &[
            ("title", "x"),
            ("provided_by", "respondent"),
            ("internal", "true"),
        ],
        Some(("b.png", PNG)),
    );
    assert_eq!(
        send(&c.app, &c.officer, &wpath, None, &ct, &body).status,
        422
    );
    assert_eq!(c.app.get(&c.officer, &wpath).body["items"][0]["id"], photo);

    let case = c.app.post(
        &c.mediator,
        &format!("/api/v1/warnings/{wid}/escalate"),
        json!({}),
    );
    assert_eq!(case.status, 201, "{:?}", case.body);
    let case_id = case.body["id"].as_i64().unwrap();
    let items = c
        .app
        .get(&c.mediator, &format!("/api/v1/cases/{case_id}/evidence"))
        .body["items"]
        .clone();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["id"], photo);
    assert_eq!(items[0]["warning_id"], wid);
    // Still listed on the warning too.
    assert_eq!(c.app.get(&c.mediator, &wpath).body["items"][0]["id"], photo);
}

#[test]
fn an_upload_with_an_idempotency_key_is_kept_once() {
    let c = center();
    let (ct, body) = multipart(
        &[("title", "t"), ("provided_by", "center")],
        Some(("a.png", PNG)),
    );
    let first = send(&c.app, &c.mediator, &c.path(), Some("ev-1"), &ct, &body);
    assert_eq!(first.status, 201, "{:?}", first.body);
    let again = send(&c.app, &c.mediator, &c.path(), Some("ev-1"), &ct, &body);
    assert_eq!(again.status, 201, "{:?}", again.body);
    assert_eq!(again.body["id"], first.body["id"]);
    let (ct2, other) = multipart(
        &[("title", "t"), ("provided_by", "center")],
        Some(("a.pdf", &pdf(300))),
    );
    let conflict = send(&c.app, &c.mediator, &c.path(), Some("ev-1"), &ct2, &other);
    assert_eq!(conflict.status, 409);
    assert_eq!(conflict.code(), "idempotency_conflict");
    assert_eq!(
        c.app.get(&c.mediator, &c.path()).body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The repeats' staged copies go once their requests are answered.
    eventually("one item stored", || stored(&c.app) == (1, 1));
}

#[test]
fn a_backup_holds_the_evidence_and_a_restore_brings_its_bytes_back() {
    if std::env::var("TIAOJIE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        skipped("backs up SQLite; PostgreSQL's pg_dump dumps the evidence tables like any other");
        return;
    }
    let c = center();
    let file = pdf(700 * 1024);
    let r = upload(&c.app, &c.mediator, &c.path(), "合同.pdf", &file);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();

    let dir = std::env::temp_dir().join(format!("tiaojie-evidence-backup-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let backup = dir.join("backup.db");
    let restored = dir.join("restored.db");
    let run = |url: &str, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiaojie"))
            .env("TIAOJIE_DATABASE_URL", url)
            .env_remove("TIAOJIE_CONFIG")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let url = c.app.ctx.settings.config.database_url.clone();
    run(&url, &["backup", "--out", backup.to_str().unwrap()]);
    let target = format!("sqlite://{}", restored.display());
    run(&target, &["restore", backup.to_str().unwrap()]);

    let mut conn = SqliteConnection::establish(restored.to_str().unwrap()).unwrap();
    use tiaojie::db::schema::{evidence, evidence_chunks};
    let sha: String = evidence::table
        .find(id)
        .select(evidence::sha256)
        .first(&mut conn)
        .unwrap();
    let chunks: Vec<Vec<u8>> = evidence_chunks::table
        .filter(evidence_chunks::evidence_id.eq(id))
        .order(evidence_chunks::seq)
        .select(evidence_chunks::bytes)
        .load(&mut conn)
        .unwrap();
    let bytes = chunks.concat();
    assert!(bytes == file, "the restored bytes differ");
    assert_eq!(hex(&bytes), sha);
}

/// Starts an upload of `file` over a raw connection and sends only its first `sent` bytes.
fn start_upload(
    app: &TestApp,
    token: &str,
    path: &str,
    file: &[u8],
    sent: usize,
) -> (std::net::TcpStream, Vec<u8>) {
    use std::io::Write;
    let (ct, body) = multipart(
        &[("title", "慢速上传"), ("provided_by", "center")],
        Some(("slow.pdf", file)),
    );
    let addr = app.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body[..sent]).unwrap();
    stream.flush().unwrap();
    (stream, body[sent..].to_vec())
}

/// Waits (up to 10 s) until `check` holds.
fn eventually(what: &str, check: impl Fn() -> bool) {
    let started = std::time::Instant::now();
    while !check() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "never: {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_slow_upload_does_not_hold_up_other_writes_and_is_listed_only_once_kept() {
    use std::io::{Read, Write};
    let c = center();
    let file = pdf(1024 * 1024);
    let (mut stream, rest) = start_upload(&c.app, &c.mediator, &c.path(), &file, 600 * 1024);
    // Two chunks are staged while the client is still sending.
    eventually("chunks staged", || stored(&c.app).1 >= 2);
    assert_eq!(
        c.app.get(&c.mediator, &c.path()).body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Meanwhile another request writes at once: no transaction is open across the upload.
    let started = std::time::Instant::now();
    let other = c
        .app
        .post(&c.mediator, "/api/v1/cases", c.app.case_body(c.enterprise));
    assert_eq!(other.status, 201, "{:?}", other.body);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    stream.write_all(&rest).unwrap();
    let mut answer = String::new();
    let mut buf = [0u8; 4096];
    while !answer.contains("\"removed\"") {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the connection closed: {answer}");
        answer.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let items = c.app.get(&c.mediator, &c.path()).body["items"].clone();
    assert_eq!(items[0]["size"], file.len());
    assert_eq!(items[0]["sha256"], hex(&file));
}

#[test]
fn an_upload_the_client_abandons_leaves_nothing_behind() {
    let c = center();
    let file = pdf(1024 * 1024);
    let (stream, _) = start_upload(&c.app, &c.mediator, &c.path(), &file, 700 * 1024);
    eventually("chunks staged", || stored(&c.app).1 >= 2);
    drop(stream);
    eventually("the staged upload removed", || stored(&c.app) == (0, 0));
}
