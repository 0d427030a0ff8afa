//! Notifications end to end: actions queue outbox rows, the worker sends them to a small SMTP
//! sink written here (switchable to refuse, to drop connections, or to hang), reminders go once.

use crate::helpers::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiaojie::notify::mailer::Mailer;
use tiaojie::notify::worker::Worker;

const NORMAL: usize = 0;
/// Accept the connection and close it at once (the server is "down").
const DOWN: usize = 1;
/// Answer 550 to every recipient.
const REJECT: usize = 2;

/// A delivered message: its recipients and its raw text.
#[derive(Debug, Clone)]
struct Delivered {
    rcpt: Vec<String>,
    data: String,
}

impl Delivered {
    fn message_id(&self) -> String {
        self.data
            .lines()
            .find_map(|l| {
                l.strip_prefix("Message-ID: ")
                    .or_else(|| l.strip_prefix("Message-Id: "))
            })
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

#[derive(Clone)]
struct Sink {
    url: String,
    mode: Arc<AtomicUsize>,
    /// How many of the next connections to accept and never answer.
    hang_next: Arc<AtomicUsize>,
    delivered: Arc<Mutex<Vec<Delivered>>>,
}

impl Sink {
    fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Sink {
            url: format!("smtp://127.0.0.1:{port}"),
            mode: Arc::default(),
            hang_next: Arc::default(),
            delivered: Arc::default(),
        };
        let s = sink.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.serve(stream));
            }
        });
        sink
    }

    fn set(&self, mode: usize) {
        self.mode.store(mode, Ordering::SeqCst);
    }

    fn delivered(&self) -> Vec<Delivered> {
        self.delivered.lock().unwrap().clone()
    }

    fn recipients(&self) -> Vec<String> {
        let mut all: Vec<String> = self.delivered().into_iter().flat_map(|d| d.rcpt).collect();
        all.sort();
        all
    }

    fn serve(&self, stream: TcpStream) {
        let hang = self
            .hang_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if hang {
            std::thread::sleep(Duration::from_secs(30));
            return;
        }
        if self.mode.load(Ordering::SeqCst) == DOWN {
            return;
        }
        let mut out = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let mut say = |line: &str| {
            let _ = out.write_all(format!("{line}\r\n").as_bytes());
        };
        say("220 sink ESMTP");
        let mut rcpt = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let upper = line.trim().to_ascii_uppercase();
            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                say("250 sink");
            } else if upper.starts_with("MAIL FROM") {
                rcpt.clear();
                say("250 OK");
            } else if upper.starts_with("RCPT TO") {
                if self.mode.load(Ordering::SeqCst) == REJECT {
                    say("550 5.1.1 no such mailbox");
                } else {
                    let addr = line.trim()[8..]
                        .trim()
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string();
                    rcpt.push(addr);
                    say("250 OK");
                }
            } else if upper == "DATA" {
                say("354 go ahead");
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if reader.read_line(&mut l).unwrap_or(0) == 0 {
                        return;
                    }
                    if l == ".\r\n" || l == ".\n" {
                        break;
                    }
                    data.push_str(&l);
                }
                self.delivered.lock().unwrap().push(Delivered {
                    rcpt: rcpt.clone(),
                    data,
                });
                say("250 queued");
            } else if upper == "QUIT" {
                say("221 bye");
                return;
            } else {
                say("250 OK");
            }
        }
    }
}

fn worker(sink: &Sink) -> Worker {
    Worker {
        mailer: Mailer::smtp(&sink.url, 10).unwrap(),
        from: "tiaojie@localhost".into(),
        // Short enough for a quick test, long enough for a loaded machine's local sends.
        send_timeout: Duration::from_secs(4),
        give_up_after: chrono::Duration::hours(48),
        batch: 20,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn drain(app: &TestApp, worker: &Worker) -> usize {
    runtime().block_on(worker.drain(&app.ctx)).unwrap()
}

/// The outbox as the admin sees it.
fn outbox(app: &TestApp) -> Vec<Value> {
    let r = app.get(&app.admin_token, "/api/v1/notifications?per_page=200");
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

fn of_kind(app: &TestApp, kind: &str) -> Vec<Value> {
    outbox(app)
        .into_iter()
        .filter(|n| n["kind"] == kind)
        .collect()
}

fn email_of(app: &TestApp, id: i64) -> String {
    app.get(&app.admin_token, &format!("/api/v1/users/{id}"))
        .body["email"]
        .as_str()
        .unwrap()
        .to_string()
}

struct Setup {
    app: TestApp,
    enterprise: i64,
    officer: String,
    officer_email: String,
    director: String,
    director_email: String,
    mediator_id: i64,
    mediator: String,
    mediator_email: String,
}

fn setup() -> Setup {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (officer_id, officer) = app.designated_officer(enterprise);
    let (director_id, director) = app.user("director", app.street, None);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    Setup {
        officer_email: email_of(&app, officer_id),
        director_email: email_of(&app, director_id),
        mediator_email: email_of(&app, mediator_id),
        app,
        enterprise,
        officer,
        director,
        mediator_id,
        mediator,
    }
}

/// A case walked to `mediating` with the setup's mediator; answers (id, case page).
fn mediating_case(s: &Setup) -> (i64, Value) {
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    let r = s.app.post(
        &s.mediator,
        &format!("/api/v1/cases/{id}/accept"),
        json!({}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = s.app.post(
        &s.director,
        &format!("/api/v1/cases/{id}/assign"),
        json!({"mediator_id": s.mediator_id}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    (id, r.body)
}

fn red_warning(s: &Setup) -> i64 {
    let r = s.app.post(
        &s.officer,
        "/api/v1/warnings",
        json!({"level": "red", "category": "closure_absconding", "workers_at_risk": 80,
               "description": "老板失联,工厂停工"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["id"].as_i64().unwrap()
}

#[test]
fn an_assignment_mails_the_mediator_and_the_coordinator() {
    let s = setup();
    let sink = Sink::start();
    let (id, case) = mediating_case(&s);
    let queued = of_kind(&s.app, "case_assigned");
    assert_eq!(queued.len(), 2);
    let case_no = case["case_no"].as_str().unwrap();
    for n in &queued {
        assert!(n["subject"].as_str().unwrap().contains(case_no), "{n}");
        assert!(!n["subject"].as_str().unwrap().contains("王芳"));
        assert_eq!(n["case_id"], id);
        assert_eq!(n["status"], "pending");
    }

    assert_eq!(drain(&s.app, &worker(&sink)), 2);
    let mut expected = vec![s.mediator_email.clone(), s.officer_email.clone()];
    expected.sort();
    assert_eq!(sink.recipients(), expected);
    for n in of_kind(&s.app, "case_assigned") {
        assert_eq!(n["status"], "sent");
        assert!(n["sent_at"].is_string());
    }
    // The body links to the case page and names no applicant.
    let raw = sink.delivered()[0].data.clone();
    assert!(
        raw.contains("Message-ID: <notification-") || raw.contains("Message-Id: <notification-")
    );
    let row_text: String = {
        use diesel::prelude::*;
        use tiaojie::db::schema::notifications;
        let mut conn = s.app.ctx.db.get().unwrap();
        notifications::table
            .filter(notifications::kind.eq("case_assigned"))
            .select(notifications::body_text)
            .first(&mut *conn)
            .unwrap()
    };
    assert!(row_text.contains(&format!("http://127.0.0.1:8080/cases/{id}")));
    assert!(row_text.contains(case_no));
    assert!(!row_text.contains("王芳") && !row_text.contains("13812348000"));
}

#[test]
fn a_red_warning_mails_the_units_directors_and_no_one_else() {
    let s = setup();
    let sink = Sink::start();
    let (second_id, _) = s.app.user("director", s.app.street, None);
    let second = email_of(&s.app, second_id);
    s.app.user("director", s.app.other_street, None);
    s.app.user("mediator", s.app.street, None);

    let yellow = s.app.post(
        &s.officer,
        "/api/v1/warnings",
        json!({"level": "yellow", "category": "other", "workers_at_risk": 3, "description": "苗头"}),
    );
    assert_eq!(yellow.status, 201);
    red_warning(&s);
    drain(&s.app, &worker(&sink));
    let mut expected = vec![s.director_email.clone(), second];
    expected.sort();
    assert_eq!(sink.recipients(), expected);
    assert_eq!(of_kind(&s.app, "warning_red").len(), 2);
}

#[test]
fn escalating_or_defusing_a_warning_tells_the_officer_who_reported_it() {
    let s = setup();
    let sink = Sink::start();
    let a = red_warning(&s);
    let b = red_warning(&s);
    let r = s.app.post(
        &s.director,
        &format!("/api/v1/warnings/{a}/defuse"),
        json!({"note": "已补发"}),
    );
    assert_eq!(r.status, 200);
    let r = s.app.post(
        &s.mediator,
        &format!("/api/v1/warnings/{b}/escalate"),
        json!({}),
    );
    assert_eq!(r.status, 201);
    let closed = of_kind(&s.app, "warning_closed");
    assert_eq!(closed.len(), 2);
    assert!(closed
        .iter()
        .all(|n| n["recipient"] == s.officer_email.as_str()));
    drain(&s.app, &worker(&sink));
    assert_eq!(
        sink.recipients()
            .iter()
            .filter(|r| **r == s.officer_email)
            .count(),
        2
    );
}

fn scan(app: &TestApp, at: chrono::DateTime<chrono::Utc>) {
    app.set_now(at);
    tiaojie::services::reminders::scan_blocking(&app.ctx, at).unwrap();
}

fn local(date: &str, hour: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let d: chrono::NaiveDate = date.parse().unwrap();
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&d.and_hms_opt(hour, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc)
}

#[test]
fn each_deadline_reminder_goes_once_however_often_the_scan_runs() {
    let s = setup();
    let (_, case) = mediating_case(&s);
    let deadline: chrono::NaiveDate = case["deadline"].as_str().unwrap().parse().unwrap();
    let day = |offset: i64| (deadline + chrono::Duration::days(offset)).to_string();

    // Four days before: nothing is due yet.
    scan(&s.app, local(&day(-4), 9));
    assert!(of_kind(&s.app, "deadline_reminder").is_empty());

    for _ in 0..3 {
        scan(&s.app, local(&day(-3), 9));
    }
    scan(&s.app, local(&day(-2), 9));
    let reminders = of_kind(&s.app, "deadline_reminder");
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0]["recipient"], s.mediator_email.as_str());

    scan(&s.app, local(&day(-1), 9));
    scan(&s.app, local(&day(0), 9));
    assert_eq!(of_kind(&s.app, "deadline_reminder").len(), 2);

    scan(&s.app, local(&day(1), 9));
    scan(&s.app, local(&day(2), 9));
    let passed = of_kind(&s.app, "deadline_passed");
    let mut to: Vec<&str> = passed
        .iter()
        .map(|n| n["recipient"].as_str().unwrap())
        .collect();
    to.sort();
    let mut expected = vec![s.director_email.as_str(), s.mediator_email.as_str()];
    expected.sort();
    assert_eq!(to, expected);
}

#[test]
fn a_scan_sends_only_the_reminder_due_now_not_a_missed_one() {
    let s = setup();
    let (_, case) = mediating_case(&s);
    let deadline: chrono::NaiveDate = case["deadline"].as_str().unwrap().parse().unwrap();
    scan(&s.app, local(&deadline.to_string(), 9));
    let reminders = of_kind(&s.app, "deadline_reminder");
    assert_eq!(reminders.len(), 1);
    assert!(reminders[0]["subject"].as_str().unwrap().contains("0 天"));
}

#[test]
fn a_warning_not_acknowledged_in_time_mails_the_directors_once() {
    let s = setup();
    red_warning(&s);
    let acknowledged = red_warning(&s);
    let r = s.app.post(
        &s.director,
        &format!("/api/v1/warnings/{acknowledged}/acknowledge"),
        json!({}),
    );
    assert_eq!(r.status, 200);
    let later = default_now() + chrono::Duration::hours(25);
    scan(&s.app, later);
    scan(&s.app, later + chrono::Duration::hours(1));
    let overdue = of_kind(&s.app, "warning_overdue");
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["recipient"], s.director_email.as_str());
}

#[test]
fn when_the_mail_server_is_down_actions_succeed_and_every_mail_goes_once_it_is_back() {
    let s = setup();
    let sink = Sink::start();
    sink.set(DOWN);
    mediating_case(&s);
    red_warning(&s);
    let w = worker(&sink);
    assert_eq!(drain(&s.app, &w), 3);
    for n in outbox(&s.app) {
        assert_eq!(n["status"], "pending", "{n}");
        assert_eq!(n["attempts"], 1);
        assert!(n["last_error"].is_string(), "{n}");
    }
    // Not due again until the backoff has passed.
    assert_eq!(drain(&s.app, &w), 0);

    sink.set(NORMAL);
    s.app.set_now(default_now() + chrono::Duration::seconds(15));
    assert_eq!(drain(&s.app, &w), 3);
    s.app.set_now(default_now() + chrono::Duration::hours(2));
    assert_eq!(drain(&s.app, &w), 0);

    let mut ids: Vec<String> = sink.delivered().iter().map(Delivered::message_id).collect();
    assert_eq!(ids.len(), 3);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "each Message-ID once");
    assert!(outbox(&s.app).iter().all(|n| n["status"] == "sent"));
}

#[test]
fn a_server_that_never_answers_times_out_and_other_mails_still_go() {
    let s = setup();
    let sink = Sink::start();
    sink.hang_next.store(1, Ordering::SeqCst);
    mediating_case(&s);
    red_warning(&s);
    let started = std::time::Instant::now();
    assert_eq!(drain(&s.app, &worker(&sink)), 3);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(sink.delivered().len(), 2);
    let stuck: Vec<Value> = outbox(&s.app)
        .into_iter()
        .filter(|n| n["status"] == "pending")
        .collect();
    assert_eq!(stuck.len(), 1);
    assert!(stuck[0]["last_error"]
        .as_str()
        .unwrap()
        .contains("no answer"));

    s.app.set_now(default_now() + chrono::Duration::seconds(15));
    assert_eq!(drain(&s.app, &worker(&sink)), 1);
    assert_eq!(sink.delivered().len(), 3);
    assert!(outbox(&s.app).iter().all(|n| n["status"] == "sent"));
}

#[test]
fn a_permanent_refusal_marks_the_mail_failed_and_it_is_not_retried() {
    let s = setup();
    let sink = Sink::start();
    sink.set(REJECT);
    red_warning(&s);
    let w = worker(&sink);
    assert_eq!(drain(&s.app, &w), 1);
    let failed = s
        .app
        .get(&s.app.admin_token, "/api/v1/notifications?status=failed")
        .body;
    assert_eq!(failed["total"], 1);
    assert!(failed["items"][0]["last_error"]
        .as_str()
        .unwrap()
        .contains("550"));
    sink.set(NORMAL);
    s.app.set_now(default_now() + chrono::Duration::hours(1));
    assert_eq!(drain(&s.app, &w), 0);
    assert!(sink.delivered().is_empty());
}

#[test]
fn a_mail_failing_for_longer_than_the_give_up_time_is_marked_failed() {
    let s = setup();
    let sink = Sink::start();
    sink.set(DOWN);
    red_warning(&s);
    let w = worker(&sink);
    drain(&s.app, &w);
    s.app.set_now(default_now() + chrono::Duration::hours(49));
    drain(&s.app, &w);
    assert_eq!(outbox(&s.app)[0]["status"], "failed");
}

#[test]
fn only_admins_and_directors_read_the_outbox() {
    let s = setup();
    assert_eq!(s.app.get(&s.director, "/api/v1/notifications").status, 200);
    assert_eq!(s.app.get(&s.mediator, "/api/v1/notifications").status, 403);
    assert_eq!(s.app.get(&s.officer, "/api/v1/notifications").status, 403);
    let r = s
        .app
        .get(&s.app.admin_token, "/api/v1/notifications?status=lost");
    assert_eq!(r.status, 422);
}

#[test]
fn a_director_reads_only_the_outbox_rows_of_their_own_units() {
    let s = setup();
    red_warning(&s);
    let (_, far) = s.app.user("director", s.app.other_street, None);
    assert_eq!(
        s.app.get(&s.director, "/api/v1/notifications").body["total"],
        1
    );
    assert_eq!(s.app.get(&far, "/api/v1/notifications").body["total"], 0);
    assert_eq!(
        s.app.get(&s.app.admin_token, "/api/v1/notifications").body["total"],
        1
    );
}

#[test]
fn the_file_transport_writes_one_eml_per_mail() {
    let s = setup();
    red_warning(&s);
    let dir = std::env::temp_dir().join(format!("tiaojie-mail-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let w = Worker {
        mailer: Mailer::File(dir.clone()),
        ..worker(&Sink::start())
    };
    assert_eq!(drain(&s.app, &w), 1);
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_workers_over_500_rows_send_each_exactly_once_on_postgresql() {
    let app = spawn_app();
    if app.ctx.db.backend() == tiaojie::db::Backend::Sqlite {
        skipped("SKIP LOCKED is PostgreSQL's; SQLite serializes claims under its write lock");
        return;
    }
    let recipients: Vec<String> = (0..500).map(|i| format!("user{i}@example.org")).collect();
    let ctx = app.ctx.clone();
    app.ctx
        .db
        .write_blocking(|conn| {
            tiaojie::notify::outbox::enqueue(
                conn,
                &ctx,
                &recipients,
                &tiaojie::notify::outbox::Email {
                    kind: "deadline_reminder",
                    case_id: None,
                    warning_id: None,
                    vars: json!({"case_no": "TJ-2026-00001", "deadline": "2026-03-17",
                                 "days_left": 3, "url": "http://127.0.0.1:8080/cases/1"}),
                },
            )
        })
        .unwrap();
    let make = || Worker {
        mailer: Mailer::memory(),
        from: "tiaojie@localhost".into(),
        send_timeout: Duration::from_secs(5),
        give_up_after: chrono::Duration::hours(48),
        batch: 20,
    };
    let (a, b) = (make(), make());
    // One thread is enough: each worker waits on the database on the blocking pool, so the two
    // interleave their claims.
    let rt = runtime();
    let (ra, rb) = rt.block_on(async {
        let ca = app.ctx.clone();
        let cb = app.ctx.clone();
        let (wa, wb) = (a.clone(), b.clone());
        let ha = tokio::spawn(async move { wa.drain(&ca).await });
        let hb = tokio::spawn(async move { wb.drain(&cb).await });
        (ha.await.unwrap().unwrap(), hb.await.unwrap().unwrap())
    });
    assert_eq!(ra + rb, 500);
    assert!(ra > 0 && rb > 0, "both workers took part: {ra} + {rb}");
    let mut ids: Vec<String> = a
        .mailer
        .sent()
        .into_iter()
        .chain(b.mailer.sent())
        .map(|(id, ..)| id)
        .collect();
    assert_eq!(ids.len(), 500);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 500);
    let sent = app
        .get(&app.admin_token, "/api/v1/notifications?status=sent")
        .body;
    assert_eq!(sent["total"], 500);
}

#[test]
fn a_refused_connection_is_a_temporary_failure() {
    let s = setup();
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    red_warning(&s);
    let w = Worker {
        mailer: Mailer::smtp(&format!("smtp://127.0.0.1:{port}"), 5).unwrap(),
        ..worker(&Sink::start())
    };
    assert_eq!(drain(&s.app, &w), 1);
    let n = &outbox(&s.app)[0];
    assert_eq!(n["status"], "pending");
    assert!(n["last_error"].is_string());
}

#[test]
fn a_crashed_workers_claim_expires_and_the_mail_is_sent_by_another() {
    let s = setup();
    let sink = Sink::start();
    red_warning(&s);
    // A worker claims the row and dies before sending.
    let now = default_now().naive_utc();
    let claimed = s
        .app
        .ctx
        .db
        .write_blocking(|conn| {
            tiaojie::db::claim_notifications(conn, now, now + chrono::Duration::seconds(60), 20)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let w = worker(&sink);
    assert_eq!(drain(&s.app, &w), 0, "the lease still holds");
    s.app.set_now(default_now() + chrono::Duration::seconds(61));
    assert_eq!(drain(&s.app, &w), 1);
    assert_eq!(sink.delivered().len(), 1);
    assert_eq!(outbox(&s.app)[0]["status"], "sent");
}

/// Polls `done` for up to `secs` seconds.
fn wait_until(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(secs) {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    done()
}

#[test]
fn mails_pending_when_the_process_is_killed_are_all_delivered_after_a_restart() {
    use std::process::{Command, Stdio};
    let s = setup();
    // The server process runs on the real clock: queue the mails now, not on the fixed date
    // (or they would be past their give-up time at the first try).
    s.app.set_now(chrono::Utc::now());
    mediating_case(&s);
    red_warning(&s);
    let queued = outbox(&s.app).len();
    assert!(queued >= 3, "{queued}");
    let url = s.app.ctx.settings.config.database_url.clone();
    let free_port = || {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let serve = |smtp: &str| {
        Command::new(env!("CARGO_BIN_EXE_tiaojie"))
            .arg("serve")
            .env("TIAOJIE_DATABASE_URL", &url)
            .env("TIAOJIE_BIND", format!("127.0.0.1:{}", free_port()))
            .env("TIAOJIE_MAIL_TRANSPORT", "smtp")
            .env("TIAOJIE_SMTP_URL", smtp)
            .env("TIAOJIE_REMINDER_INTERVAL", "0")
            .env_remove("TIAOJIE_CONFIG")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // Tried and the failure recorded: a row only claimed (its attempt counted, its send not
    // done) would stay leased for a minute after the kill, as long as the restart's wait.
    let attempted = || {
        outbox(&s.app)
            .iter()
            .all(|n| n["attempts"].as_i64().unwrap_or(0) >= 1 && n["last_error"].is_string())
    };

    // The first instance finds the mail server down (nothing listens on that port), then dies
    // with SIGKILL, its rows still pending.
    let mut first = serve(&format!("smtp://127.0.0.1:{}", free_port()));
    assert!(
        wait_until(30, attempted),
        "the first instance never tried: {:?}",
        outbox(&s.app)
    );
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(outbox(&s.app).iter().all(|n| n["status"] == "pending"));

    // Restarted with the mail server back: every row goes, each exactly once.
    let sink = Sink::start();
    let mut second = serve(&sink.url);
    let all_sent = wait_until(60, || outbox(&s.app).iter().all(|n| n["status"] == "sent"));
    second.kill().unwrap();
    second.wait().unwrap();
    assert!(all_sent, "{:?}", outbox(&s.app));
    let delivered = sink.delivered();
    assert_eq!(delivered.len(), queued);
    let ids: std::collections::HashSet<String> =
        delivered.iter().map(Delivered::message_id).collect();
    assert_eq!(ids.len(), queued, "one message per row, none twice");
}

#[test]
fn an_admin_can_send_a_failed_mail_again_and_it_goes_once() {
    let s = setup();
    let sink = Sink::start();
    sink.set(REJECT);
    red_warning(&s);
    let w = worker(&sink);
    drain(&s.app, &w);
    let failed = s
        .app
        .get(&s.app.admin_token, "/api/v1/notifications?status=failed")
        .body;
    let id = failed["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/notifications/{id}/resend");
    assert_eq!(s.app.post(&s.director, &path, json!({})).status, 403);

    sink.set(NORMAL);
    let r = s.app.post(&s.app.admin_token, &path, json!({}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["attempts"], 0);
    // A second click while it is pending changes nothing.
    assert_eq!(s.app.post(&s.app.admin_token, &path, json!({})).status, 409);
    assert_eq!(drain(&s.app, &w), 1);
    assert_eq!(sink.recipients(), vec![s.director_email.clone()]);
    // Sent: nothing to resend.
    assert_eq!(s.app.post(&s.app.admin_token, &path, json!({})).status, 409);
    assert_eq!(drain(&s.app, &w), 0);
    assert_eq!(sink.delivered().len(), 1);
}

#[test]
fn a_warning_mail_names_its_level_and_category_in_chinese_from_the_catalog() {
    let s = setup();
    red_warning(&s);
    let bodies: Vec<String> = s
        .app
        .ctx
        .db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::notifications;
            notifications::table
                .select(notifications::body_text)
                .load(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap();
    assert!(!bodies.is_empty());
    for body in bodies {
        assert!(body.contains("红色"), "{body}");
        assert!(body.contains("停产关闭或业主失联"), "{body}");
        assert!(
            !body.contains("level.") && !body.contains("wcategory."),
            "{body}"
        );
    }
}
