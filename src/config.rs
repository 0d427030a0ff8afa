//! Configuration: the compiled-in `config/default.toml`, then an optional file, then `TIAOJIE_*`
//! variables; typed and checked once at start-up, then passed down as `Settings`.

use crate::db::DbUrl;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::case::DeadlineRules;
use crate::domain::search_key::SearchKey;
use crate::domain::warning::ResponseTimes;
use chrono_tz::Tz;
use serde::Deserialize;
use std::path::Path;

const DEFAULT_TOML: &str = include_str!("../config/default.toml");
const DEFAULT_HOLIDAYS_PATH: &str = "config/holidays.toml";
const DEFAULT_HOLIDAYS: &str = include_str!("../config/holidays.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{name}: {message}")]
    Invalid { name: String, message: String },
}

fn invalid(name: &str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name: name.to_string(),
        message: message.into(),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub database_url: String,
    pub database_pool_size: u32,
    pub bind: String,
    pub base_url: String,
    pub timezone: String,
    pub holidays: String,
    pub reminder_interval: u64,
    pub case_no_prefix: String,
    /// Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` and `Forwarded` headers are
    /// believed. Empty: the socket's peer is the client, whatever a header says.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// The secret of the applicants' search digests (`domain::search_key`). Empty: a built-in
    /// development key, which `serve` warns about.
    #[serde(default)]
    pub search_key: SearchKey,
    pub deadlines: DeadlineConfig,
    pub mail: MailConfig,
    pub warnings: WarningConfig,
    #[serde(default)]
    pub evidence: EvidenceConfig,
}

/// Evidence files (`services::evidence`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceConfig {
    /// The largest file accepted, in MiB (an upload past it is 413 and leaves nothing behind).
    pub max_file_mb: u32,
}

impl Default for EvidenceConfig {
    fn default() -> EvidenceConfig {
        EvidenceConfig { max_file_mb: 20 }
    }
}

impl EvidenceConfig {
    /// The limit in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        u64::from(self.max_file_mb) * 1024 * 1024
    }
}

/// The search key of a deployment that sets none: good for the demo and the tests only.
const DEVELOPMENT_SEARCH_KEY: &str = "tiaojie development search key: set search_key";

/// Response times per warning level, in hours.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningConfig {
    pub red_hours: u32,
    pub orange_hours: u32,
    pub yellow_hours: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineConfig {
    pub accept_working_days: u32,
    pub mediation_days: u32,
    pub basis: String,
    pub max_extension_days: u32,
    /// An open case with no workflow activity for this many days is listed as stale on the
    /// desk and in the daily digest.
    pub stale_days: u32,
    /// A closed case neither followed up (回访) nor waived this many days after closing is listed
    /// on the desk's follow-up list.
    #[serde(default = "default_follow_up_after_days")]
    pub follow_up_after_days: u32,
}

fn default_follow_up_after_days() -> u32 {
    15
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    pub transport: String,
    pub dir: String,
    /// May carry a password: never printed (see the Debug impl).
    pub smtp_url: String,
    pub from: String,
    /// How long the outbox keeps retrying a temporarily failing mail before marking it failed.
    pub give_up_hours: u32,
    /// Our own limit on one SMTP exchange (lettre's timeout covers only the connection).
    pub send_timeout_seconds: u64,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("transport", &self.transport)
            .field("dir", &self.dir)
            .field("smtp_url", &"<redacted>")
            .field("from", &self.from)
            .field("give_up_hours", &self.give_up_hours)
            .field("send_timeout_seconds", &self.send_timeout_seconds)
            .finish()
    }
}

#[derive(Deserialize)]
struct HolidayFile {
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

/// Everything the running app needs from the configuration, parsed.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Config,
    pub tz: Tz,
    pub calendar: HolidayCalendar,
    pub rules: DeadlineRules,
    pub response_times: ResponseTimes,
    pub trusted_proxies: Vec<Cidr>,
    pub search_key: SearchKey,
    /// Whether `search_key` is the built-in development key.
    pub search_key_is_default: bool,
}

/// An address range: an address and how many of its leading bits a member shares with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: std::net::IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` is in the range (an IPv4 address mapped into IPv6 counts as IPv4).
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let bits = |a: IpAddr| match a {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        let ((a, width), (b, other)) = (bits(self.addr), bits(ip));
        if width != other {
            return false;
        }
        let shift = width - u32::from(self.prefix);
        self.prefix == 0 || a >> shift == b >> shift
    }
}

impl std::str::FromStr for Cidr {
    type Err = String;

    /// `10.0.0.0/8`, `fd00::/8`, or a single address.
    fn from_str(s: &str) -> Result<Cidr, String> {
        let bad = || format!("{s:?} is not an address or a CIDR range like 10.0.0.0/8");
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: std::net::IpAddr = addr.trim().parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(bad)?,
            None => max,
        };
        Ok(Cidr { addr, prefix })
    }
}

/// Deep-merges `over` into `base` (tables merge key by key; anything else replaces).
fn merge(base: &mut toml::Value, over: toml::Value) {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

fn parse_toml(text: &str, path: &str) -> Result<toml::Value, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Parse {
        path: path.to_string(),
        message: e.to_string(),
    })
}

impl Config {
    /// Loads the defaults, the file `path` (if any) and the variables `env` gives.
    pub fn load(
        path: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut value = parse_toml(DEFAULT_TOML, "config/default.toml")?;
        if let Some(path) = path {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: shown.clone(),
                source,
            })?;
            merge(&mut value, parse_toml(&text, &shown)?);
        }
        let mut config: Config =
            value
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::Parse {
                    path: path.map_or("config".into(), |p| p.display().to_string()),
                    message: e.to_string(),
                })?;
        config.apply_env(env)?;
        Ok(config)
    }

    fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let text_vars: [(&str, &mut String); 9] = [
            ("TIAOJIE_DATABASE_URL", &mut self.database_url),
            ("TIAOJIE_BIND", &mut self.bind),
            ("TIAOJIE_BASE_URL", &mut self.base_url),
            ("TIAOJIE_MAIL_TRANSPORT", &mut self.mail.transport),
            ("TIAOJIE_MAIL_DIR", &mut self.mail.dir),
            ("TIAOJIE_SMTP_URL", &mut self.mail.smtp_url),
            ("TIAOJIE_MAIL_FROM", &mut self.mail.from),
            ("TIAOJIE_TIMEZONE", &mut self.timezone),
            ("TIAOJIE_HOLIDAYS", &mut self.holidays),
        ];
        for (name, slot) in text_vars {
            if let Some(v) = env(name) {
                *slot = v;
            }
        }
        if let Some(v) = env("TIAOJIE_SEARCH_KEY") {
            self.search_key = SearchKey::from(v);
        }
        if let Some(v) = env("TIAOJIE_TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
        }
        if let Some(v) = env("TIAOJIE_REMINDER_INTERVAL") {
            self.reminder_interval = v.trim().parse().map_err(|_| {
                invalid(
                    "TIAOJIE_REMINDER_INTERVAL",
                    "must be a whole number of seconds",
                )
            })?;
        }
        Ok(())
    }

    /// Checks every value and parses what the app needs.
    pub fn into_settings(self) -> Result<Settings, ConfigError> {
        DbUrl::parse(&self.database_url).map_err(|e| invalid("database_url", e.to_string()))?;
        self.bind
            .parse::<std::net::SocketAddr>()
            .map_err(|_| invalid("bind", "must be an address like 127.0.0.1:8080"))?;
        let base = url::Url::parse(&self.base_url)
            .map_err(|e| invalid("base_url", format!("is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid("base_url", "must be an http:// or https:// URL"));
        }
        let tz: Tz = self
            .timezone
            .parse()
            .map_err(|_| invalid("timezone", "must be an IANA zone like Asia/Shanghai"))?;
        if self.database_pool_size == 0 {
            return Err(invalid("database_pool_size", "must be at least 1"));
        }
        if self.case_no_prefix.is_empty()
            || self.case_no_prefix.len() > 10
            || !self
                .case_no_prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
        {
            return Err(invalid(
                "case_no_prefix",
                "must be 1 to 10 ASCII letters or digits",
            ));
        }
        match self.mail.transport.as_str() {
            "file" => {}
            "smtp" => {
                url::Url::parse(&self.mail.smtp_url)
                    .map_err(|_| invalid("mail.smtp_url", "must be a URL like smtp://host:587"))?;
            }
            _ => return Err(invalid("mail.transport", "must be file or smtp")),
        }
        let d = &self.deadlines;
        let from_acceptance = match d.basis.as_str() {
            "receipt" => false,
            "acceptance" => true,
            _ => return Err(invalid("deadlines.basis", "must be receipt or acceptance")),
        };
        if d.mediation_days == 0 || d.mediation_days > 365 || d.max_extension_days > 365 {
            return Err(invalid("deadlines", "day counts must be between 1 and 365"));
        }
        let rules = DeadlineRules {
            accept_working_days: d.accept_working_days,
            mediation_days: d.mediation_days,
            from_acceptance,
            max_extension_days: d.max_extension_days,
        };
        let w = &self.warnings;
        if [w.red_hours, w.orange_hours, w.yellow_hours]
            .iter()
            .any(|h| *h == 0 || *h > 24 * 365)
        {
            return Err(invalid(
                "warnings",
                "response times must be 1 to 8760 hours",
            ));
        }
        let response_times = ResponseTimes {
            red_hours: w.red_hours,
            orange_hours: w.orange_hours,
            yellow_hours: w.yellow_hours,
        };
        if self.mail.send_timeout_seconds == 0 {
            return Err(invalid("mail.send_timeout_seconds", "must be at least 1"));
        }
        if !(1..=1024).contains(&self.evidence.max_file_mb) {
            return Err(invalid(
                "evidence.max_file_mb",
                "must be between 1 and 1024",
            ));
        }
        let calendar = load_calendar(&self.holidays)?;
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .map(|p| p.parse::<Cidr>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid("trusted_proxies", e))?;
        let search_key_is_default = self.search_key.is_empty();
        if !search_key_is_default && self.search_key.len() < 32 {
            return Err(invalid("search_key", "must be at least 32 characters"));
        }
        let search_key = match search_key_is_default {
            true => SearchKey::new(DEVELOPMENT_SEARCH_KEY.as_bytes()),
            false => self.search_key.clone(),
        };
        Ok(Settings {
            search_key,
            search_key_is_default,
            config: self,
            tz,
            calendar,
            rules,
            response_times,
            trusted_proxies,
        })
    }
}

fn load_calendar(path: &str) -> Result<HolidayCalendar, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(_) if path == DEFAULT_HOLIDAYS_PATH => DEFAULT_HOLIDAYS.to_string(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_string(),
                source,
            })
        }
    };
    let file: HolidayFile = toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_string(),
        message: e.to_string(),
    })?;
    HolidayCalendar::from_toml_lists(&file.holidays, &file.workdays)
        .map_err(|e| invalid("holidays", format!("{path}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_compiled_in_defaults_load_and_check() {
        let settings = Config::load(None, &no_env)
            .unwrap()
            .into_settings()
            .unwrap();
        assert_eq!(settings.config.database_url, "sqlite://data/tiaojie.db");
        assert_eq!(settings.tz, chrono_tz::Asia::Shanghai);
        assert_eq!(settings.rules, DeadlineRules::default());
        assert_eq!(settings.response_times, ResponseTimes::default());
    }

    #[test]
    fn environment_variables_override_the_files() {
        let env = |name: &str| match name {
            "TIAOJIE_BIND" => Some("0.0.0.0:9000".to_string()),
            "TIAOJIE_REMINDER_INTERVAL" => Some("0".to_string()),
            _ => None,
        };
        let config = Config::load(None, &env).unwrap();
        assert_eq!(config.bind, "0.0.0.0:9000");
        assert_eq!(config.reminder_interval, 0);
    }

    #[test]
    fn an_unknown_key_in_a_config_file_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("tiaojie-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.toml");
        std::fs::write(&path, "databse_url = \"sqlite://x.db\"\n").unwrap();
        let err = Config::load(Some(&path), &no_env).unwrap_err().to_string();
        assert!(err.contains("databse_url"), "{err}");
    }

    #[test]
    fn a_bad_database_url_is_refused_at_start_up() {
        let env = |name: &str| (name == "TIAOJIE_DATABASE_URL").then(|| "mysql://x".to_string());
        let err = Config::load(None, &env)
            .unwrap()
            .into_settings()
            .unwrap_err()
            .to_string();
        assert!(err.contains("database_url"), "{err}");
    }
}
