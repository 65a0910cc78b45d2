//! The intake document parser: every rule of the contract, one localised message per problem.
use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::domain::{
    parse_mobile, BillingCycle, Channel, Language, Money, Outcome, RequestedAction, Sector,
};
use crate::services::error::FieldErrors;
use crate::services::intake::evidence::is_invisible;

use super::{Intake, ParseCtx, FIELDS, MAX_LIST_VALUES};

struct Parser<'a> {
    ctx: &'a ParseCtx<'a>,
    doc: &'a Map<String, Value>,
    errors: FieldErrors,
}

impl Parser<'_> {
    fn err(&mut self, field: &str, key: &str, args: &[(&str, &str)]) {
        let msg = self.ctx.i18n.fmt(self.ctx.lang, key, args);
        self.errors.entry(field.to_string()).or_default().push(msg);
    }

    /// The raw value, with JSON null and (in form mode) blank strings treated as absent.
    fn raw(&self, field: &str) -> Option<&Value> {
        match self.doc.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if self.ctx.lenient && s.trim().is_empty() => None,
            Some(v) => Some(v),
        }
    }

    fn text(
        &mut self,
        field: &str,
        required: bool,
        min: usize,
        max: usize,
        multiline: bool,
    ) -> Option<String> {
        let v = match self.raw(field) {
            None => {
                if required {
                    self.err(field, "errors.required", &[]);
                }
                return None;
            }
            Some(v) => v,
        };
        let Some(s) = v.as_str() else {
            self.err(field, "errors.not_string", &[]);
            return None;
        };
        let s = s.trim();
        if s.is_empty() {
            if required {
                self.err(field, "errors.required", &[]);
            }
            return None;
        }
        let bad_control = s.chars().any(|c| {
            (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        });
        if bad_control {
            self.err(field, "errors.control_chars", &[]);
            return None;
        }
        // Zero-width characters are dropped: they carry nothing and hide duplicates.
        let cleaned: String = s.chars().filter(|c| !is_invisible(*c)).collect();
        let cleaned = if multiline {
            cleaned.replace("\r\n", "\n")
        } else {
            cleaned
        };
        let n = cleaned.chars().count();
        if n > max {
            self.err(
                field,
                "errors.too_long",
                &[("max", &max.to_string()), ("len", &n.to_string())],
            );
            return None;
        }
        if n < min {
            self.err(
                field,
                "errors.too_short",
                &[("min", &min.to_string()), ("len", &n.to_string())],
            );
            return None;
        }
        Some(cleaned)
    }

    fn choice<T: Copy>(
        &mut self,
        field: &str,
        required: bool,
        parse: fn(&str) -> Option<T>,
        codes: &[&str],
    ) -> Option<T> {
        let v = match self.raw(field) {
            None => {
                if required {
                    self.err(field, "errors.required", &[]);
                }
                return None;
            }
            Some(v) => v,
        };
        match v.as_str().map(str::trim).and_then(parse) {
            Some(t) => Some(t),
            None => {
                self.err(
                    field,
                    "errors.invalid_choice",
                    &[("choices", &codes.join(", "))],
                );
                None
            }
        }
    }

    fn list(&mut self, field: &str) -> Vec<String> {
        let items: Vec<&Value> = match self.raw(field) {
            None => return vec![],
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::String(_)) if self.ctx.lenient => vec![v],
            Some(_) => {
                self.err(field, "errors.not_array", &[]);
                return vec![];
            }
        };
        if items.len() > MAX_LIST_VALUES {
            self.err(
                field,
                "errors.too_many_values",
                &[("max", &MAX_LIST_VALUES.to_string())],
            );
            return vec![];
        }
        let mut out: Vec<String> = Vec::new();
        for item in items {
            match item.as_str() {
                Some(s) if self.ctx.lenient && s.trim().is_empty() => {}
                Some(s) => {
                    let s = s.trim().to_string();
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
                None => {
                    self.err(field, "errors.not_string", &[]);
                    return vec![];
                }
            }
        }
        out
    }

    fn money(&mut self, field: &str) -> Option<Money> {
        let v = self.raw(field)?;
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                self.err(field, "errors.invalid_amount", &[]);
                return None;
            }
        };
        match Money::parse_yuan(&s) {
            Ok(m) => Some(m),
            Err(crate::domain::money::MoneyError::TooManyDecimals) => {
                self.err(field, "errors.amount_decimals", &[]);
                None
            }
            Err(crate::domain::money::MoneyError::TooLarge) => {
                self.err(field, "errors.amount_too_large", &[("max", "100000")]);
                None
            }
            Err(_) => {
                self.err(field, "errors.invalid_amount", &[]);
                None
            }
        }
    }

    fn integer(&mut self, field: &str, min: i64, max: i64) -> Option<i32> {
        let v = self.raw(field)?;
        let n = match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) if self.ctx.lenient => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if (min..=max).contains(&n) => Some(n as i32),
            Some(_) => {
                self.err(
                    field,
                    "errors.out_of_range",
                    &[("min", &min.to_string()), ("max", &max.to_string())],
                );
                None
            }
            None => {
                self.err(field, "errors.not_integer", &[]);
                None
            }
        }
    }

    fn date(&mut self, field: &str) -> Option<NaiveDate> {
        let v = self.raw(field)?;
        let parsed = v.as_str().and_then(|s| {
            let s = s.trim();
            // Exactly YYYY-MM-DD; chrono alone would accept 2026-1-5.
            (s.len() == 10)
                .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .flatten()
        });
        match parsed {
            None => {
                self.err(field, "errors.invalid_date", &[]);
                None
            }
            Some(d) if d > self.ctx.today => {
                self.err(field, "errors.future_date", &[]);
                None
            }
            Some(d) if d < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(d) => {
                self.err(field, "errors.date_too_old", &[]);
                None
            }
            Some(d) => Some(d),
        }
    }

    fn boolean(&mut self, field: &str) -> bool {
        match self.raw(field) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if self.ctx.lenient => {
                matches!(s.trim(), "on" | "true" | "1" | "yes")
            }
            Some(_) => {
                self.err(field, "errors.not_boolean", &[]);
                false
            }
        }
    }
}

/// Validates an intake document against every rule of the contract.
pub fn parse_document(doc: &Map<String, Value>, ctx: &ParseCtx) -> Result<Intake, FieldErrors> {
    let mut p = Parser {
        ctx,
        doc,
        errors: FieldErrors::new(),
    };
    for key in doc.keys() {
        if !FIELDS.contains(&key.as_str()) {
            p.err(key, "errors.unknown_field", &[]);
        }
    }
    let sector = p.choice("sector", true, Sector::parse, &Sector::codes());
    let company_name = p.text("company_name", true, 1, 100, false);
    let service_name = p.text("service_name", false, 0, 100, false);
    let plan_from = p.text("plan_from", false, 0, 100, false);
    let plan_to = p.text("plan_to", false, 0, 100, false);
    let price_from = p.money("price_from");
    let price_to = p.money("price_to");
    let billing_cycle = p.choice(
        "billing_cycle",
        false,
        BillingCycle::parse,
        &BillingCycle::codes(),
    );
    let requested_action = p.choice(
        "requested_action",
        true,
        RequestedAction::parse,
        &RequestedAction::codes(),
    );
    let mut channels_tried = Vec::new();
    for c in p.list("channels_tried") {
        match Channel::parse(&c) {
            Some(ch) => channels_tried.push(ch),
            None => p.err(
                "channels_tried",
                "errors.invalid_choice",
                &[("choices", &Channel::codes().join(", "))],
            ),
        }
    }
    let contact_attempts = p.integer("contact_attempts", 0, 1000);
    let first_attempt_on = p.date("first_attempt_on");
    let mut obstacles_reported = Vec::new();
    for code in p.list("obstacles_reported") {
        if ctx.reference.is_obstacle(&code) {
            obstacles_reported.push(code);
        } else {
            p.err(
                "obstacles_reported",
                "errors.unknown_obstacle",
                &[("code", &truncate(&code, 40))],
            );
        }
    }
    let outcome = p.choice("outcome", false, Outcome::parse, &Outcome::codes());
    let amount_claimed = p.money("amount_claimed");
    let narrative = p.text("narrative", true, 20, 10_000, true);
    let province = match p.text("province", false, 0, 6, false) {
        Some(code) if ctx.reference.is_province(&code) => Some(code),
        Some(_) => {
            p.err("province", "errors.invalid_province", &[]);
            None
        }
        None if p.errors.contains_key("province") => None,
        None => None,
    };
    let contact_name = p.text("contact_name", false, 0, 50, false);
    let contact_email = match p.text("contact_email", false, 0, 254, false) {
        Some(e) if validator::ValidateEmail::validate_email(&e) => Some(e),
        Some(_) => {
            p.err("contact_email", "errors.invalid_email", &[]);
            None
        }
        None => None,
    };
    let contact_phone = match p.text("contact_phone", false, 0, 20, false) {
        Some(s) => match parse_mobile(&s) {
            Some(m) => Some(m),
            None => {
                p.err("contact_phone", "errors.invalid_phone", &[]);
                None
            }
        },
        None => None,
    };
    let consent_share_narrative = p.boolean("consent_share_narrative");
    let consent_contact_company = p.boolean("consent_contact_company");
    let language = p
        .choice("language", false, Language::parse, &Language::codes())
        .unwrap_or(ctx.lang);

    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    // Every required field produced an error above if missing, so these are all present.
    match (sector, company_name, requested_action, narrative) {
        (Some(sector), Some(company_name), Some(requested_action), Some(narrative)) => Ok(Intake {
            sector,
            company_name,
            service_name,
            plan_from,
            plan_to,
            price_from,
            price_to,
            billing_cycle,
            requested_action,
            channels_tried,
            contact_attempts,
            first_attempt_on,
            obstacles_reported,
            outcome,
            amount_claimed,
            narrative,
            province,
            contact_name,
            contact_email,
            contact_phone,
            consent_share_narrative,
            consent_contact_company,
            language,
        }),
        _ => {
            let mut e = FieldErrors::new();
            e.entry("narrative".into())
                .or_default()
                .push(ctx.i18n.msg(ctx.lang, "errors.required"));
            Err(e)
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
