//! The ledger import page (`/ledger/import`): a director uploads a center's ledger as a browser
//! does (a multipart form with the CSRF token), reads what was imported and every bad row, and the
//! cases are there afterwards through the JSON API. Refusals (role, token, size, type, scope)
//! change nothing.

use crate::helpers::*;

const PAGE: &str = "/ledger/import";

struct Center {
    app: TestApp,
    enterprise: String,
    director: Person,
}

fn center() -> Center {
    let app = spawn_app();
    let id = app.enterprise(app.street);
    let enterprise = app
        .get(&app.admin_token, &format!("/api/v1/enterprises/{id}"))
        .body["name"]
        .as_str()
        .unwrap()
        .to_string();
    let director = person(&app, "director", Some(app.street), None);
    Center {
        app,
        enterprise,
        director,
    }
}

impl Center {
    /// Two good rows (lines 2 and 4) and two bad ones: an unknown enterprise whose name is
    /// markup (line 3) and a date that does not exist (line 5).
    fn ledger(&self) -> String {
        let e = &self.enterprise;
        format!(
            "\u{FEFF}案号,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,处理结果,协议金额,结案日期\r\n\
             W-1,2026-01-06,李雷,{e},拖欠工资,4,12000,调解成功,10000,2026-01-20\r\n\
             W-2,2026-01-07,韩梅梅,<b>无此企业</b>,工伤,1,5000,调解中,,\r\n\
             W-3,2026-01-08,张三,{e},劳动合同,2,800,调解中,,\r\n\
             W-4,2026-02-30,王五,{e},拖欠工资,2,100,撤回,,2026-03-01\r\n"
        )
    }

    /// Uploads `ledger()` as the director, into the street.
    fn upload_ledger(&mut self, file_name: &str, dry_run: bool) -> Page {
        let (text, street) = (self.ledger(), self.app.street);
        let file = (file_name, text.as_bytes());
        upload(&mut self.director.browser, street, file, dry_run)
    }

    fn case_total(&self) -> i64 {
        let r = self.app.get(&self.director.token, "/api/v1/cases");
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["total"].as_i64().unwrap()
    }
}

/// Uploads `file` (name, bytes) with the page's CSRF token into `unit`, checked only with
/// `dry_run`.
fn upload(b: &mut Browser, unit: i64, file: (&str, &[u8]), dry_run: bool) -> Page {
    let csrf = Browser::csrf(&b.get(PAGE));
    let unit = unit.to_string();
    let mut fields = vec![("csrf", csrf.as_str()), ("unit_id", unit.as_str())];
    if dry_run {
        fields.push(("dry_run", "on"));
    }
    b.post_multipart(PAGE, &fields, &[("file", file.0, file.1)])
}

/// The number shown in the result's row `id`.
fn shown(page: &Page, id: &str) -> i64 {
    let marker = format!("id=\"{id}\">");
    let at = page.body.find(&marker).unwrap_or_else(|| panic!("no {id}")) + marker.len();
    page.body[at..].split('<').next().unwrap().parse().unwrap()
}

#[test]
fn a_director_uploads_a_ledger_and_sees_the_imported_count_and_each_bad_rows_line_and_reason() {
    let mut c = center();
    let page = c.upload_ledger("台账.csv", false);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("导入结果"));
    assert_eq!(shown(&page, "imported"), 2);
    assert_eq!(shown(&page, "duplicates"), 0);
    assert_eq!(shown(&page, "bad"), 2);
    // Each bad row with its line, column, reason and content; the file's markup is shown as text.
    assert!(
        page.body.contains(
            "<td class=\"num\">3</td><td>被申请单位</td><td>不是已登记的企业（请先登记该企业）</td><td>&lt;b&gt;无此企业&lt;/b&gt;</td>"
        ),
        "{}",
        page.body
    );
    assert!(page.body.contains(
        "<td class=\"num\">5</td><td>受理日期</td><td>不是日期（应写作 2025-03-05、2025/3/5 或 2025.3.5）</td><td>2026-02-30</td>"
    ));
    assert!(!page.body.contains("<b>无此企业"));

    // The cases exist, in the street, with their outcome.
    let r = c.app.get(&c.director.token, "/api/v1/cases");
    assert_eq!(r.body["total"], 2, "{:?}", r.body);
    let mut numbers: Vec<(String, String, i64)> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            (
                case["case_no"].as_str().unwrap().to_string(),
                case["status"].as_str().unwrap().to_string(),
                case["unit_id"].as_i64().unwrap(),
            )
        })
        .collect();
    numbers.sort();
    assert_eq!(
        numbers,
        vec![
            ("W-1".to_string(), "resolved".to_string(), c.app.street),
            ("W-3".to_string(), "mediating".to_string(), c.app.street),
        ]
    );

    // Recorded as the director's: one access-log row per imported case, as the command line
    // writes under the admin's name.
    let director = c.director.id;
    let logged: i64 = c
        .app
        .ctx
        .db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::access_log;
            access_log::table
                .filter(access_log::user_id.eq(director))
                .filter(access_log::action.eq("edit_personal_data"))
                .filter(access_log::record_type.eq("case"))
                .count()
                .get_result(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap();
    assert_eq!(logged, 2);
}

#[test]
fn a_dry_run_reports_what_would_be_imported_and_imports_nothing() {
    let mut c = center();
    let page = c.upload_ledger("ledger.CSV", true);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("试运行"));
    assert!(page.body.contains("可导入"));
    assert_eq!(shown(&page, "imported"), 2);
    assert_eq!(shown(&page, "bad"), 2);
    assert_eq!(c.case_total(), 0);
}

#[test]
fn uploading_the_same_ledger_twice_imports_nothing_the_second_time() {
    let mut c = center();
    let first = c.upload_ledger("a.csv", false);
    assert_eq!(shown(&first, "imported"), 2);
    let again = c.upload_ledger("a.csv", false);
    assert_eq!(again.status, 200);
    assert_eq!(shown(&again, "imported"), 0);
    assert_eq!(shown(&again, "duplicates"), 2);
    assert!(again.body.contains("<td class=\"num\">2</td><td>W-1</td>"));
    assert_eq!(c.case_total(), 2);
}

#[test]
fn an_xlsx_ledger_uploads_like_the_csv() {
    let mut c = center();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, line) in c
        .ledger()
        .trim_start_matches('\u{FEFF}')
        .lines()
        .enumerate()
    {
        for (col, cell) in line.split(',').enumerate() {
            sheet.write_string(r as u32, col as u16, cell).unwrap();
        }
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let street = c.app.street;
    let page = upload(
        &mut c.director.browser,
        street,
        ("台账.xlsx", &bytes),
        false,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(shown(&page, "imported"), 2);
    assert!(page
        .body
        .contains("<td class=\"num\">5</td><td>受理日期</td>"));
    assert_eq!(c.case_total(), 2);
}

#[test]
fn directors_and_admins_find_the_page_and_mediators_and_officers_get_the_forbidden_page() {
    let mut c = center();
    assert!(c
        .director
        .browser
        .get("/")
        .body
        .contains("href=\"/ledger/import\""));
    let mut admin = Browser::new(&c.app);
    let r = admin.post("/login", &[("username", "admin"), ("password", PASSWORD)]);
    assert_eq!(r.status, 303);
    let page = admin.get(PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        page.body.contains("南街街道"),
        "an admin may import into any unit"
    );

    let e = c.app.enterprise(c.app.street);
    let text = c.ledger();
    for mut other in [
        person(&c.app, "mediator", Some(c.app.street), None),
        person(&c.app, "officer", Some(c.app.street), Some(e)),
    ] {
        let b = &mut other.browser;
        assert!(!b.get("/").body.contains("href=\"/ledger/import\""));
        assert_eq!(b.get(PAGE).status, 403);
        let csrf = Browser::csrf(&b.get("/"));
        let street = c.app.street.to_string();
        let r = b.post_multipart(
            PAGE,
            &[("csrf", &csrf), ("unit_id", &street)],
            &[("file", "a.csv", text.as_bytes())],
        );
        assert_eq!(r.status, 403);
    }
    assert_eq!(c.case_total(), 0);
}

#[test]
fn an_upload_without_the_csrf_token_changes_nothing() {
    let mut c = center();
    let text = c.ledger();
    let street = c.app.street.to_string();
    let b = &mut c.director.browser;
    for csrf in [None, Some("forged")] {
        let mut fields = vec![("unit_id", street.as_str())];
        fields.extend(csrf.map(|t| ("csrf", t)));
        let r = b.post_multipart(PAGE, &fields, &[("file", "a.csv", text.as_bytes())]);
        assert_eq!(r.status, 403, "{}", r.body);
    }
    assert_eq!(c.case_total(), 0);
}

#[test]
fn an_oversized_empty_misnamed_or_non_ledger_file_or_a_unit_out_of_scope_gets_a_clear_message() {
    let mut c = center();
    let street = c.app.street;
    let text = c.ledger();
    let big = vec![b'x'; 20 * 1024 * 1024 + 1];
    let cases: [(&str, &[u8], i64, u16, &str); 7] = [
        ("big.csv", &big, street, 413, "文件超过上传上限"),
        ("", b"", street, 422, "请选择要上传的台账文件"),
        (
            "report.pdf",
            b"%PDF-1.7",
            street,
            422,
            "只能上传 .csv 或 .xlsx 文件",
        ),
        (
            "people.csv",
            b"name,age\r\nli,30\r\n",
            street,
            422,
            "缺少台账列：案号",
        ),
        ("fake.xlsx", b"not a zip", street, 422, "不是 xlsx 工作簿"),
        (
            "gbk.csv",
            b"\xb0\xb8\xba\xc5\r\n",
            street,
            422,
            "不是 UTF-8 文本",
        ),
        (
            "a.csv",
            text.as_bytes(),
            c.app.other_street,
            422,
            "您的管辖范围内没有这个单位",
        ),
    ];
    for (name, bytes, unit, status, message) in cases {
        let page = upload(&mut c.director.browser, unit, (name, bytes), false);
        assert_eq!(page.status, status, "{name}: {}", page.body);
        assert!(page.body.contains(message), "{name}: {}", page.body);
        assert!(page.body.contains("文件没有导入"), "{name}");
    }
    // A body that is no multipart form at all.
    let csrf = Browser::csrf(&c.director.browser.get(PAGE));
    let r = c.director.browser.post(PAGE, &[("csrf", &csrf)]);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("上传的表单无法读取"));
    assert_eq!(c.case_total(), 0);
}
