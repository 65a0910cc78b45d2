//! Configuration from the environment, validated once at start.
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;
use url::Url;

/// A limit of `count` events per `per` window (e.g. `10/minute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub count: u32,
    pub per: Duration,
}

/// Everything the application needs to start, already parsed.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub base_url: Url,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub data_dir: PathBuf,
    pub intake_limit: Option<RateLimit>,
    pub trusted_proxies: Vec<IpAddr>,
    /// Submissions of the web form faster than this are held as likely automated.
    pub min_fill_time: Duration,
    /// How often the outbox worker looks for due mail, and the first retry delay.
    pub outbox_poll: Duration,
    pub mail_retry_base: Duration,
    /// Months after a case ends before its contact data is purged (`DW_RETENTION_MONTHS`).
    pub retention_months: u32,
    /// How often the background worker runs the deadline sweep (`DW_SWEEP_SECONDS`, default
    /// 60; `off` leaves it to `downgrade-watch sweep`).
    pub sweep_interval: Option<Duration>,
    /// The association's address companies reply to (`DW_REPLY_TO`, default the sender's
    /// address): set as `Reply-To` on every mail to a company.
    pub reply_to: String,
    /// Days a consumer has to judge the company's answer (`DW_FEEDBACK_DAYS`, default 15).
    pub feedback_days: u32,
    /// Days a consumer's erasure request from `/my` waits for staff to confirm or object before
    /// it runs by itself (`DW_ERASURE_COOLING_OFF_DAYS`, default 7, 0 to 90).
    pub erasure_cooling_off_days: u32,
    /// `DW_PDF_FONT`: the font file PDF reports are set in (default: found in the system font
    /// folders).
    pub pdf_font: Option<PathBuf>,
}

#[derive(Debug, Error)]
#[error("configuration error in {var}: {message} (got {value:?})")]
pub struct ConfigError {
    pub var: &'static str,
    pub value: String,
    pub message: String,
}

fn bad(var: &'static str, value: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        value: value.to_string(),
        message: message.into(),
    }
}

impl Config {
    /// Reads the `DW_*`, `DATABASE_URL` and `SMTP_URL` variables.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Same as [`Config::from_env`] over any key lookup (used by tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let data_dir = PathBuf::from(get("DW_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match get("DATABASE_URL") {
            Some(u) => {
                if !(u.starts_with("sqlite:")
                    || u.starts_with("postgres://")
                    || u.starts_with("postgresql://"))
                {
                    return Err(bad(
                        "DATABASE_URL",
                        &u,
                        "expected sqlite://PATH or postgres://USER@HOST/DB",
                    ));
                }
                u
            }
            None => format!("sqlite://{}/downgrade-watch.db", data_dir.display()),
        };
        let bind_s = get("DW_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_s.parse().map_err(|_| {
            bad(
                "DW_BIND",
                &bind_s,
                "expected HOST:PORT such as 127.0.0.1:8080",
            )
        })?;
        let base_s = get("DW_BASE_URL").unwrap_or_else(|| format!("http://{bind}"));
        let base_url = Url::parse(&base_s)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| bad("DW_BASE_URL", &base_s, "expected an absolute http(s) URL"))?;
        let smtp_url = match get("SMTP_URL") {
            Some(u) => {
                let parsed = Url::parse(&u).map_err(|_| bad("SMTP_URL", &u, "not a URL"))?;
                if !matches!(parsed.scheme(), "smtp" | "smtps") || parsed.host().is_none() {
                    return Err(bad(
                        "SMTP_URL",
                        &u,
                        "expected smtp://HOST:PORT or smtps://HOST:PORT",
                    ));
                }
                Some(u)
            }
            None => None,
        };
        let mail_from =
            get("DW_MAIL_FROM").unwrap_or_else(|| "downgrade-watch <noreply@localhost>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(bad(
                "DW_MAIL_FROM",
                &mail_from,
                "expected an address like Name <user@example.org>",
            ));
        }
        let reply_to = get("DW_REPLY_TO").unwrap_or_else(|| mail_from.clone());
        if reply_to.parse::<lettre::message::Mailbox>().is_err() {
            return Err(bad(
                "DW_REPLY_TO",
                &reply_to,
                "expected an address like Name <user@example.org>",
            ));
        }
        let feedback_s = get("DW_FEEDBACK_DAYS")
            .unwrap_or_else(|| crate::domain::deadlines::FEEDBACK_DAYS.to_string());
        let feedback_days = match feedback_s.trim().parse::<u32>() {
            Ok(n) if (1..=365).contains(&n) => n,
            _ => {
                return Err(bad(
                    "DW_FEEDBACK_DAYS",
                    &feedback_s,
                    "expected a whole number of days from 1 to 365",
                ))
            }
        };
        let cooling_s = get("DW_ERASURE_COOLING_OFF_DAYS").unwrap_or_else(|| "7".into());
        let erasure_cooling_off_days = match cooling_s.trim().parse::<u32>() {
            Ok(n) if n <= 90 => n,
            _ => {
                return Err(bad(
                    "DW_ERASURE_COOLING_OFF_DAYS",
                    &cooling_s,
                    "expected a whole number of days from 0 to 90",
                ))
            }
        };
        let limit_s = get("DW_INTAKE_LIMIT").unwrap_or_else(|| "10/minute".into());
        let intake_limit =
            parse_rate_limit(&limit_s).map_err(|m| bad("DW_INTAKE_LIMIT", &limit_s, m))?;
        let trusted_proxies = match get("DW_TRUSTED_PROXIES") {
            Some(s) => s
                .split(',')
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<IpAddr>().map_err(|_| {
                        bad(
                            "DW_TRUSTED_PROXIES",
                            &s,
                            "expected comma-separated IP addresses",
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        let min_fill_time = Duration::from_secs(parse_u64(&get, "DW_MIN_FILL_SECONDS", 3)?);
        let outbox_poll =
            Duration::from_millis(parse_u64(&get, "DW_OUTBOX_POLL_MS", 2000)?.max(10));
        let mail_retry_base =
            Duration::from_millis(parse_u64(&get, "DW_MAIL_RETRY_BASE_MS", 5000)?.max(10));
        let retention_s = get("DW_RETENTION_MONTHS").unwrap_or_else(|| "24".into());
        let retention_months = match retention_s.trim().parse::<u32>() {
            Ok(n) if (1..=1200).contains(&n) => n,
            _ => {
                return Err(bad(
                    "DW_RETENTION_MONTHS",
                    &retention_s,
                    "expected a whole number of months from 1 to 1200",
                ))
            }
        };
        let sweep_s = get("DW_SWEEP_SECONDS").unwrap_or_else(|| "60".into());
        let sweep_interval = match sweep_s.trim() {
            "off" => None,
            s => match s.parse::<u64>() {
                Ok(n) if (1..=86_400).contains(&n) => Some(Duration::from_secs(n)),
                _ => {
                    return Err(bad(
                        "DW_SWEEP_SECONDS",
                        &sweep_s,
                        "expected seconds from 1 to 86400, or off",
                    ))
                }
            },
        };
        let pdf_font = get("DW_PDF_FONT").map(PathBuf::from);
        if let Some(p) = &pdf_font {
            if !p.is_file() {
                return Err(bad(
                    "DW_PDF_FONT",
                    &p.display().to_string(),
                    "expected the path of a font file (.ttf, .otf or .ttc) with Chinese glyphs",
                ));
            }
        }
        Ok(Config {
            database_url,
            bind,
            base_url,
            smtp_url,
            mail_from,
            data_dir,
            intake_limit,
            trusted_proxies,
            min_fill_time,
            outbox_poll,
            mail_retry_base,
            retention_months,
            sweep_interval,
            reply_to,
            feedback_days,
            erasure_cooling_off_days,
            pdf_font,
        })
    }

    /// Where uploaded evidence is stored (outside any web root).
    pub fn evidence_dir(&self) -> PathBuf {
        self.data_dir.join("evidence")
    }

    /// Where mail is written as `.eml` files when no SMTP server is configured.
    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// Whether cookies must carry the `Secure` attribute.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }
}

fn parse_u64(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: u64,
) -> Result<u64, ConfigError> {
    match get(var) {
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| bad(var, &v, "expected a whole number")),
        None => Ok(default),
    }
}

/// Parses `N/second|minute|hour|day` or `off`.
pub fn parse_rate_limit(s: &str) -> Result<Option<RateLimit>, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let (n, unit) = s
        .split_once('/')
        .ok_or("expected N/minute (or /second, /hour, /day) or off")?;
    let count: u32 = n
        .trim()
        .parse()
        .map_err(|_| "the count before / must be a positive whole number")?;
    if count == 0 {
        return Err("the count must be at least 1 (use off to disable)".into());
    }
    let per = match unit.trim() {
        "second" | "s" => Duration::from_secs(1),
        "minute" | "min" | "m" => Duration::from_secs(60),
        "hour" | "h" => Duration::from_secs(3600),
        "day" | "d" => Duration::from_secs(86400),
        _ => return Err("the unit after / must be second, minute, hour or day".into()),
    };
    Ok(Some(RateLimit { count, per }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_a_sqlite_file_under_data_and_port_8080() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert!(c.database_url.starts_with("sqlite://./data/"));
        assert_eq!(
            c.intake_limit,
            Some(RateLimit {
                count: 10,
                per: Duration::from_secs(60)
            })
        );
        assert!(c.smtp_url.is_none());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = cfg(&[("DW_BIND", "nonsense")]).unwrap_err();
        assert_eq!(e.var, "DW_BIND");
        assert!(cfg(&[("DATABASE_URL", "mysql://x")])
            .unwrap_err()
            .to_string()
            .contains("DATABASE_URL"));
        assert_eq!(
            cfg(&[("SMTP_URL", "http://x")]).unwrap_err().var,
            "SMTP_URL"
        );
        assert_eq!(
            cfg(&[("DW_INTAKE_LIMIT", "ten")]).unwrap_err().var,
            "DW_INTAKE_LIMIT"
        );
        assert_eq!(
            cfg(&[("DW_MAIL_FROM", "not an address")]).unwrap_err().var,
            "DW_MAIL_FROM"
        );
        assert_eq!(
            cfg(&[("DW_REPLY_TO", "complaints at example")])
                .unwrap_err()
                .var,
            "DW_REPLY_TO"
        );
        let ok = cfg(&[("DW_REPLY_TO", "协会 <complaints@example.org>")]).unwrap();
        assert_eq!(ok.reply_to, "协会 <complaints@example.org>");
        assert_eq!(cfg(&[]).unwrap().reply_to, cfg(&[]).unwrap().mail_from);
        assert_eq!(cfg(&[]).unwrap().feedback_days, 15);
        assert_eq!(
            cfg(&[("DW_FEEDBACK_DAYS", "0")]).unwrap_err().var,
            "DW_FEEDBACK_DAYS"
        );
        assert_eq!(cfg(&[]).unwrap().erasure_cooling_off_days, 7);
        assert_eq!(
            cfg(&[("DW_ERASURE_COOLING_OFF_DAYS", "0")])
                .unwrap()
                .erasure_cooling_off_days,
            0
        );
        for bad in ["91", "-1", "a week"] {
            assert_eq!(
                cfg(&[("DW_ERASURE_COOLING_OFF_DAYS", bad)])
                    .unwrap_err()
                    .var,
                "DW_ERASURE_COOLING_OFF_DAYS"
            );
        }
    }

    #[test]
    fn retention_defaults_to_24_months_and_refuses_nonsense() {
        assert_eq!(cfg(&[]).unwrap().retention_months, 24);
        assert_eq!(
            cfg(&[("DW_RETENTION_MONTHS", "36")])
                .unwrap()
                .retention_months,
            36
        );
        for bad in ["0", "-1", "two years", "1201"] {
            assert_eq!(
                cfg(&[("DW_RETENTION_MONTHS", bad)]).unwrap_err().var,
                "DW_RETENTION_MONTHS",
                "{bad}"
            );
        }
    }

    #[test]
    fn intake_limit_can_be_turned_off() {
        assert_eq!(parse_rate_limit("off").unwrap(), None);
        assert_eq!(
            parse_rate_limit("5/hour").unwrap().unwrap().per,
            Duration::from_secs(3600)
        );
        assert!(parse_rate_limit("0/minute").is_err());
    }
}
