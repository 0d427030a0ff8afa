//! Sending one email: to .eml files (the default, works on a fresh machine), through SMTP, or
//! into memory (tests). The outcome is sorted for the worker: sent, a temporary failure
//! (connection errors, timeouts, SMTP 4xx: try again later), or a permanent one (SMTP 5xx, an
//! address that does not parse: give up).

use crate::config::Settings;
use crate::db::models::NotificationRow;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("temporary: {0}")]
    Temporary(String),
    #[error("permanent: {0}")]
    Permanent(String),
}

/// A message a memory mailer kept: (Message-ID, recipient, raw message).
pub type Kept = (String, String, Vec<u8>);

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    File(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Keeps every message (Message-ID, recipient, raw bytes); for tests.
    Memory(Arc<Mutex<Vec<Kept>>>),
}

impl Mailer {
    /// The transport the settings name.
    pub fn from_settings(settings: &Settings) -> Result<Mailer, String> {
        let mail = &settings.config.mail;
        match mail.transport.as_str() {
            "smtp" => Mailer::smtp(&mail.smtp_url, settings.config.mail.send_timeout_seconds),
            _ => Ok(Mailer::File(PathBuf::from(&mail.dir))),
        }
    }

    /// SMTP from a URL like `smtp://user:pass@host:587?tls=required` or `smtp://127.0.0.1:2525`.
    pub fn smtp(url: &str, timeout_seconds: u64) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("mail.smtp_url: {e}"))?
            .timeout(Some(Duration::from_secs(timeout_seconds)))
            .build();
        Ok(Mailer::Smtp(transport))
    }

    pub fn memory() -> Mailer {
        Mailer::Memory(Arc::default())
    }

    /// What a memory mailer holds: (Message-ID, recipient, raw message).
    pub fn sent(&self) -> Vec<Kept> {
        match self {
            Mailer::Memory(m) => m.lock().map(|v| v.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Sends one outbox row (no timeout of its own: the worker wraps it in one).
    pub async fn send(&self, from: &str, row: &NotificationRow) -> Result<(), SendError> {
        let message = build(from, row)?;
        match self {
            Mailer::File(dir) => {
                let dir = dir.clone();
                let name = file_name(&row.message_id);
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || {
                    std::fs::create_dir_all(&dir)?;
                    std::fs::write(dir.join(name), bytes)
                })
                .await
                .map_err(|e| SendError::Temporary(e.to_string()))?
                .map_err(|e| SendError::Temporary(format!("writing the .eml file: {e}")))
            }
            Mailer::Smtp(transport) => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
                Err(e) => Err(SendError::Temporary(e.to_string())),
            },
            Mailer::Memory(store) => {
                let mut v = store
                    .lock()
                    .map_err(|_| SendError::Temporary("memory mailer poisoned".into()))?;
                v.push((
                    row.message_id.clone(),
                    row.recipient.clone(),
                    message.formatted(),
                ));
                Ok(())
            }
        }
    }
}

/// A file name from the Message-ID: only safe characters.
fn file_name(message_id: &str) -> String {
    let safe: String = message_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '@'))
        .collect();
    format!("{safe}.eml")
}

fn build(from: &str, row: &NotificationRow) -> Result<Message, SendError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| SendError::Permanent(format!("sender address: {e}")))?;
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|e| SendError::Permanent(format!("recipient address: {e}")))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(super::render::header_safe(&row.subject))
        .message_id(Some(super::render::header_safe(&row.message_id)))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(row.body_text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(row.body_html.clone()),
                ),
        )
        .map_err(|e| SendError::Permanent(format!("building the message: {e}")))
}
