//! A browser without a browser: an HTTP client that keeps the session cookie, posts forms and
//! reads the CSRF token, for the page tests (`web`, `web_pages`, `hardening`, `ledger_upload`).

use super::{unique, TestApp, PASSWORD};

pub struct Browser {
    pub agent: ureq::Agent,
    base: String,
    pub cookie: Option<String>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            base: app.base.clone(),
            cookie: None,
        }
    }

    fn finish(&mut self, result: Result<ureq::Response, ureq::Error>) -> Page {
        let r = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        if let Some(set) = r.header("set-cookie") {
            let value = set.split(';').next().unwrap_or("").to_string();
            self.cookie = value
                .split_once('=')
                .filter(|(_, v)| !v.is_empty())
                .map(|_| value.clone());
        }
        let status = r.status();
        let location = r.header("location").map(str::to_string);
        let body = r.into_string().unwrap_or_default();
        // Pages render in handlebars' strict mode: a field a template names that the page's
        // data lacks fails the page, and so the test.
        assert!(
            !body.contains(tiaojie::web::html::render::RENDER_FAILED),
            "the page failed to render: {body}"
        );
        Page {
            status,
            location,
            body,
        }
    }

    pub fn get(&mut self, path: &str) -> Page {
        let mut req = self.agent.get(&format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.set("Cookie", c);
        }
        let result = req.call();
        self.finish(result)
    }

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let mut req = self.agent.post(&format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.set("Cookie", c);
        }
        let result = req.send_form(form);
        self.finish(result)
    }

    /// A `multipart/form-data` POST, built by hand (ureq has no helper): the text fields, then
    /// each file as (field name, file name, bytes).
    pub fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Page {
        const BOUNDARY: &str = "----tiaojie-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let mut req = self.agent.post(&format!("{}{path}", self.base)).set(
            "Content-Type",
            &format!("multipart/form-data; boundary={BOUNDARY}"),
        );
        if let Some(c) = &self.cookie {
            req = req.set("Cookie", c);
        }
        let result = req.send_bytes(&body);
        self.finish(result)
    }

    pub fn csrf(page: &Page) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = page.body.find(marker).expect("a CSRF field") + marker.len();
        page.body[start..].split('"').next().unwrap().to_string()
    }
}

pub fn signed_in(app: &TestApp, username: &str) -> Browser {
    let mut b = Browser::new(app);
    let r = b.post(
        "/login",
        &[
            ("username", username),
            ("password", PASSWORD),
            ("next", "/cases"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/cases"));
    assert!(b.cookie.is_some());
    b
}

/// A user of `role` created through the API, with a signed-in browser and an API token.
pub struct Person {
    pub id: i64,
    pub token: String,
    pub browser: Browser,
}

pub fn person(app: &TestApp, role: &str, unit: Option<i64>, enterprise: Option<i64>) -> Person {
    let username = format!("{role}p{}", unique());
    let id = app.named_user(&username, "页面用户", role, unit, enterprise);
    let mut browser = Browser::new(app);
    let r = browser.post(
        "/login",
        &[
            ("username", &username),
            ("password", PASSWORD),
            ("next", "/"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    Person {
        id,
        token: app.login(&username, PASSWORD),
        browser,
    }
}

/// A downloaded file as the browser receives it.
pub struct File {
    pub status: u16,
    pub content_type: String,
    pub disposition: String,
    pub bytes: Vec<u8>,
}

impl Browser {
    /// A GET whose answer may be a file (bytes, not text), with the session's cookie.
    pub fn get_file(&mut self, path: &str) -> File {
        let mut req = self.agent.get(&format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.set("Cookie", c);
        }
        let r = match req.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        let header = |name: &str| r.header(name).unwrap_or("").to_string();
        let (status, content_type, disposition) = (
            r.status(),
            header("content-type"),
            header("content-disposition"),
        );
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
        File {
            status,
            content_type,
            disposition,
            bytes,
        }
    }
}

/// The `href` of every link in `body` whose text is `text` (the first match of each).
pub fn link_to(body: &str, text: &str) -> Option<String> {
    let end = body.find(&format!(">{text}</a>"))?;
    let start = body[..end].rfind("href=\"")? + 6;
    let href = body[start..end].split('"').next()?;
    Some(href.replace("&amp;", "&").replace("&#x3D;", "="))
}
