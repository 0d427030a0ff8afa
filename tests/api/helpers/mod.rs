//! The test harness: the real app on port 0 with a fresh database (a SQLite file, or a fresh
//! PostgreSQL schema when TIAOJIE_TEST_DATABASE_URL is set) and a fixed clock.

mod bulk;
mod pages;
pub use bulk::bulk_case;
pub use pages::{link_to, person, signed_in, Browser, File, Page, Person};

use chrono::{DateTime, TimeZone, Utc};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use tiaojie::clock::Clock;
use tiaojie::config::Config;
use tiaojie::domain::credit_code::CreditCode;
use tiaojie::services::{units, users, Ctx};

pub const PASSWORD: &str = "correct horse battery";

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub(crate) fn unique() -> u64 {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    (u64::from(std::process::id()) << 20) + n
}

/// Says on stderr that a test is skipped here and why, so that a reader of CI sees it.
pub fn skipped(why: &str) {
    eprintln!("skipped: {why}");
}

/// Monday 2 March 2026, 09:00 in Shanghai: the tests' "now" unless they move the clock.
pub fn default_now() -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// A fresh database URL, and what to drop afterwards.
pub fn fresh_database_url() -> (String, Option<(String, String)>) {
    match std::env::var("TIAOJIE_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let schema = format!("t_{}", unique());
            let mut conn =
                diesel::pg::PgConnection::establish(&base).expect("connect to PostgreSQL");
            conn.batch_execute(&format!("CREATE SCHEMA {schema}"))
                .unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            (
                format!("{base}{sep}options=-csearch_path%3D{schema}"),
                Some((base, schema)),
            )
        }
        _ => {
            let dir = std::env::temp_dir().join("tiaojie-tests");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{}.db", unique()));
            (format!("sqlite://{}", path.display()), None)
        }
    }
}

/// A context on a fresh, migrated and empty database, with no server; the schema goes with it.
pub struct EmptyDb {
    pub ctx: Ctx,
    drop_schema: Option<(String, String)>,
}

impl Drop for EmptyDb {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.drop_schema {
            if let Ok(mut conn) = diesel::pg::PgConnection::establish(base) {
                let _ = conn.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }
}

pub fn empty_db() -> EmptyDb {
    let (url, drop_schema) = fresh_database_url();
    let mut config = Config::load(None, &|_| None).unwrap();
    config.database_url = url;
    let ctx =
        tiaojie::startup::context(config.into_settings().unwrap(), Clock::fixed(default_now()))
            .unwrap();
    EmptyDb { ctx, drop_schema }
}

pub struct TestApp {
    pub base: String,
    pub ctx: Ctx,
    pub admin_token: String,
    pub district: i64,
    pub street: i64,
    pub community: i64,
    pub other_street: i64,
    drop_schema: Option<(String, String)>,
    server: actix_web::dev::ServerHandle,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server so that its pool, and its database connections, go with the test.
        drop(self.server.stop(false));
        if let Some((base, schema)) = &self.drop_schema {
            if let Ok(mut conn) = diesel::pg::PgConnection::establish(base) {
                let _ = conn.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }
}

pub struct Response {
    pub status: u16,
    pub body: Value,
}

impl Response {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    pub fn field_error(&self, field: &str) -> Option<&str> {
        self.body["error"]["fields"][field].as_str()
    }
}

fn finish(result: Result<ureq::Response, ureq::Error>) -> Response {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Response { status, body }
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(|_| {})
}

/// `spawn_app` with the configuration changed by `adjust` first.
pub fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let (url, drop_schema) = fresh_database_url();
    let mut config = Config::load(None, &|_| None).unwrap();
    config.database_url = url;
    config.database_pool_size = 4;
    adjust(&mut config);
    let settings = config.into_settings().unwrap();
    let ctx = tiaojie::startup::context(settings, Clock::fixed(default_now())).unwrap();

    let now = default_now().naive_utc();
    let (district, street, community, other_street) = ctx
        .db
        .write_blocking(|conn| {
            use tiaojie::domain::vocab::UnitKind;
            let d = units::insert_unit(conn, "鼓楼区", UnitKind::District, None, now)?;
            let s = units::insert_unit(conn, "东街街道", UnitKind::Street, Some(&d), now)?;
            let c = units::insert_unit(conn, "东门社区", UnitKind::Community, Some(&s), now)?;
            let o = units::insert_unit(conn, "南街街道", UnitKind::Street, Some(&d), now)?;
            users::create_in(
                conn,
                None,
                users::UserInput {
                    username: "admin".into(),
                    display_name: None,
                    email: "admin@example.org".into(),
                    password: PASSWORD.into(),
                    role: "admin".into(),
                    unit_id: None,
                    enterprise_id: None,
                },
                now,
            )?;
            Ok::<_, tiaojie::error::AppError>((d.id, s.id, c.id, o.id))
        })
        .unwrap();

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server_ctx = ctx.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = tiaojie::startup::server(server_ctx, listener, 1).unwrap();
            let _ = tx.send(server.handle());
            let _ = server.await;
        })
    });
    let server = rx.recv().unwrap();
    let mut app = TestApp {
        base: format!("http://127.0.0.1:{port}"),
        ctx,
        admin_token: String::new(),
        district,
        street,
        community,
        other_street,
        drop_schema,
        server,
    };
    app.admin_token = app.login("admin", PASSWORD);
    app
}

impl TestApp {
    fn request(&self, method: &str, path: &str, token: Option<&str>) -> ureq::Request {
        let mut req = ureq::request(method, &format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        req
    }

    pub fn get(&self, token: &str, path: &str) -> Response {
        finish(self.request("GET", path, Some(token)).call())
    }

    pub fn get_anonymous(&self, path: &str) -> Response {
        finish(self.request("GET", path, None).call())
    }

    /// A GET whose answer is a file: (status, content type, bytes).
    pub fn get_bytes(&self, token: &str, path: &str) -> (u16, String, Vec<u8>) {
        let response = match self.request("GET", path, Some(token)).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("request failed: {e}"),
        };
        let status = response.status();
        let content_type = response.header("content-type").unwrap_or("").to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).unwrap();
        (status, content_type, bytes)
    }

    pub fn post(&self, token: &str, path: &str, body: Value) -> Response {
        finish(self.request("POST", path, Some(token)).send_json(body))
    }

    /// A POST with an `Idempotency-Key`.
    pub fn post_with_key(&self, token: &str, path: &str, key: &str, body: Value) -> Response {
        finish(
            self.request("POST", path, Some(token))
                .set("Idempotency-Key", key)
                .send_json(body),
        )
    }

    pub fn post_raw(&self, token: &str, path: &str, body: &str) -> Response {
        finish(
            self.request("POST", path, Some(token))
                .set("Content-Type", "application/json")
                .send_string(body),
        )
    }

    pub fn patch(&self, token: &str, path: &str, body: Value) -> Response {
        finish(self.request("PATCH", path, Some(token)).send_json(body))
    }

    pub fn put(&self, token: &str, path: &str, body: Value) -> Response {
        finish(self.request("PUT", path, Some(token)).send_json(body))
    }

    pub fn try_login(&self, username: &str, password: &str) -> Response {
        finish(
            self.request("POST", "/api/v1/auth/login", None)
                .send_json(json!({"username": username, "password": password})),
        )
    }

    /// `try_login` through a proxy that says the client is `forwarded_for`.
    pub fn try_login_via(&self, forwarded_for: &str, username: &str, password: &str) -> Response {
        finish(
            self.request("POST", "/api/v1/auth/login", None)
                .set("X-Forwarded-For", forwarded_for)
                .send_json(json!({"username": username, "password": password})),
        )
    }

    pub fn login(&self, username: &str, password: &str) -> String {
        let r = self.try_login(username, password);
        assert_eq!(r.status, 200, "login {username}: {:?}", r.body);
        r.body["token"].as_str().unwrap().to_string()
    }

    pub fn set_now(&self, at: DateTime<Utc>) {
        self.ctx.clock.set(at);
    }

    /// Registers an enterprise under `unit` with a fresh valid credit code.
    pub fn enterprise(&self, unit: i64) -> i64 {
        let n = unique();
        let code =
            CreditCode::with_check_character(&format!("91330203{:09}", n % 1_000_000_000)).unwrap();
        let r = self.post(
            &self.admin_token,
            "/api/v1/enterprises",
            json!({"name": format!("测试企业{n}"), "credit_code": code.as_str(), "unit_id": unit}),
        );
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["id"].as_i64().unwrap()
    }

    /// The name of an enterprise (what the pages' enterprise fields take).
    pub fn enterprise_name(&self, id: i64) -> String {
        let r = self.get(&self.admin_token, &format!("/api/v1/enterprises/{id}"));
        r.body["name"].as_str().unwrap().to_string()
    }

    /// Creates a user through the API and answers (id, token).
    /// A user with the username and display name a test names (the pages show it), signing in
    /// with `PASSWORD`; answers the id.
    pub fn named_user(
        &self,
        username: &str,
        display_name: &str,
        role: &str,
        unit: impl Into<Option<i64>>,
        enterprise: Option<i64>,
    ) -> i64 {
        let unit: Option<i64> = unit.into();
        let r = self.post(
            &self.admin_token,
            "/api/v1/users",
            json!({
                "username": username, "display_name": display_name,
                "email": format!("{username}@example.org"), "password": PASSWORD,
                "role": role, "unit_id": unit, "enterprise_id": enterprise
            }),
        );
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["id"].as_i64().unwrap()
    }

    pub fn user(&self, role: &str, unit: i64, enterprise: Option<i64>) -> (i64, String) {
        let username = format!("{role}{}", unique());
        let r = self.post(
            &self.admin_token,
            "/api/v1/users",
            json!({"username": username, "display_name": "测试用户", "email": format!("{username}@example.org"),
                   "password": PASSWORD, "role": role, "unit_id": unit, "enterprise_id": enterprise}),
        );
        assert_eq!(r.status, 201, "{:?}", r.body);
        (
            r.body["id"].as_i64().unwrap(),
            self.login(&username, PASSWORD),
        )
    }

    /// An officer of `enterprise` (under the street), made its designated officer: (id, token).
    pub fn designated_officer(&self, enterprise: i64) -> (i64, String) {
        let (id, token) = self.user("officer", self.street, Some(enterprise));
        let r = self.put(
            &self.admin_token,
            &format!("/api/v1/enterprises/{enterprise}/officer"),
            json!({"user_id": id}),
        );
        assert_eq!(r.status, 200, "{:?}", r.body);
        (id, token)
    }

    /// A valid intake body for `enterprise`, received an hour before the fixed now.
    pub fn case_body(&self, enterprise: i64) -> Value {
        json!({
            "received_at": "2026-03-02T08:00:00+08:00",
            "channel": "visit",
            "category": "wage_arrears",
            "enterprise_id": enterprise,
            "applicant_name": "王芳",
            "applicant_phone": "13812348000",
            "applicant_id_number": "11010519491231002X",
            "workers_involved": 12,
            "amount_claimed": "45000.5",
            "description": "拖欠三个月工资"
        })
    }

    /// An intake naming `applicants` in place of the single applicant fields.
    pub fn case_body_naming(&self, enterprise: i64, applicants: Value) -> Value {
        let mut body = self.case_body(enterprise);
        let fields = body.as_object_mut().unwrap();
        for single in ["applicant_name", "applicant_phone", "applicant_id_number"] {
            fields.remove(single);
        }
        fields.insert("applicants".into(), applicants);
        body
    }

    pub fn create_case(&self, token: &str, enterprise: i64) -> Value {
        let r = self.post(token, "/api/v1/cases", self.case_body(enterprise));
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body
    }
}
