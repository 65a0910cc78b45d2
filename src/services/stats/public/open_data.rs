//! The open-data document of the public statistics (`/stats.json`): every table with its cells
//! as numbers or suppression markers.
use super::*;

/// A cell for JSON: the number, or the marker as a string.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Count(i64),
    Marker(String),
}

/// The JSON cell for what is shown.
pub fn cell(s: Shown) -> Cell {
    match s {
        Shown::Value(v) => Cell::Count(v),
        other => Cell::Marker(other.text()),
    }
}

/// Labels for codes: `(kind, code) → name`, kind one of `sector`, `province`, `obstacle`,
/// `family`, `other_companies`.
pub type Labeller<'a> = &'a dyn Fn(&str, &str) -> String;

/// The open-data JSON document (`/stats.json`, `GET /api/v1/stats`).
#[derive(Debug, Clone, Serialize)]
pub struct OpenData {
    pub tier: &'static str,
    pub period: PeriodRange,
    pub threshold: i64,
    pub markers: Markers,
    pub statuses_counted: &'static [&'static str],
    pub complaints: Cell,
    pub timely_response_rate: Option<f64>,
    pub resolution_rate: Option<f64>,
    pub median_days_to_close: Option<f64>,
    /// Forwarded cases marked "no response" by the deadline sweep (they count as late in
    /// `timely_response_rate`).
    pub no_response: Cell,
    pub company_reported_resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub dispute_rate: Option<f64>,
    pub by_month: Vec<MonthCount>,
    pub by_sector: Vec<SectorCount>,
    pub by_province: Vec<ProvinceCount>,
    pub by_company: Vec<CompanyCount>,
    pub obstacle_mentions: Mentions,
}

/// First and last month of the window (`YYYY-MM`).
#[derive(Debug, Clone, Serialize)]
pub struct PeriodRange {
    pub from: String,
    pub to: String,
}

/// What the suppression markers mean, in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub struct Markers {
    #[serde(rename = "<5")]
    pub small: String,
    #[serde(rename = "x")]
    pub withheld: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthCount {
    pub month: String,
    pub complaints: Cell,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectorCount {
    pub sector: Option<String>,
    pub label: String,
    pub complaints: Cell,
}

/// `province` is null for "not given".
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceCount {
    pub province: Option<String>,
    pub label: String,
    pub complaints: Cell,
}

/// `company_id` is null for the row of all other companies.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyCount {
    pub company_id: Option<i64>,
    pub company: String,
    pub complaints: Cell,
    pub no_response: Cell,
    pub timely_response_rate: Option<f64>,
    pub resolution_rate: Option<f64>,
    pub company_reported_resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub dispute_rate: Option<f64>,
}

/// Obstacle mentions: the cross-table month × code with its margins, and per family.
#[derive(Debug, Clone, Serialize)]
pub struct Mentions {
    pub codes: Vec<CodeLabel>,
    pub by_month: Vec<MonthMentions>,
    pub by_code: BTreeMap<String, Cell>,
    pub by_family: Vec<FamilyMentions>,
    pub total: Cell,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthMentions {
    pub month: String,
    pub mentions: BTreeMap<String, Cell>,
    pub total: Cell,
}

#[derive(Debug, Clone, Serialize)]
pub struct FamilyMentions {
    pub family: String,
    pub label: String,
    pub mentions: Cell,
}

/// A code, or null for the empty code ("not given").
fn code_or_null(code: &str) -> Option<String> {
    (!code.is_empty()).then(|| code.to_string())
}

impl PublicStats {
    /// The open-data JSON document (also the body of `GET /api/v1/stats`).
    pub fn open_data(&self, label: Labeller) -> OpenData {
        let by_code = |cells: &[Shown]| -> BTreeMap<String, Cell> {
            self.codes
                .iter()
                .zip(cells)
                .map(|(c, s)| (c.clone(), cell(*s)))
                .collect()
        };
        OpenData {
            tier: "public",
            period: PeriodRange {
                from: self.from.code(),
                to: self.to.code(),
            },
            threshold: THRESHOLD,
            markers: Markers {
                small: label("marker", "small"),
                withheld: label("marker", "withheld"),
            },
            statuses_counted: &PUBLISHED,
            complaints: cell(self.total),
            timely_response_rate: self.timely_rate,
            resolution_rate: self.resolution_rate,
            median_days_to_close: self.median_days,
            no_response: cell(self.no_response),
            company_reported_resolution_rate: self.company_resolution_rate,
            satisfaction_rate: self.satisfaction_rate,
            dispute_rate: self.dispute_rate,
            by_month: self
                .months
                .iter()
                .map(|l| MonthCount {
                    month: l.code.clone(),
                    complaints: cell(l.shown),
                })
                .collect(),
            by_sector: self
                .sectors
                .iter()
                .map(|l| SectorCount {
                    sector: code_or_null(&l.code),
                    label: label("sector", &l.code),
                    complaints: cell(l.shown),
                })
                .collect(),
            by_province: self
                .provinces
                .iter()
                .map(|l| ProvinceCount {
                    province: code_or_null(&l.code),
                    label: label("province", &l.code),
                    complaints: cell(l.shown),
                })
                .collect(),
            by_company: self
                .companies
                .iter()
                .map(|c| CompanyCount {
                    company_id: c.id,
                    company: if c.id.is_some() {
                        c.name.clone()
                    } else {
                        label("other_companies", "")
                    },
                    complaints: cell(c.shown),
                    no_response: cell(c.no_response),
                    timely_response_rate: c.timely_rate,
                    resolution_rate: c.resolution_rate,
                    company_reported_resolution_rate: c.company_resolution_rate,
                    satisfaction_rate: c.satisfaction_rate,
                    dispute_rate: c.dispute_rate,
                })
                .collect(),
            obstacle_mentions: Mentions {
                codes: self
                    .codes
                    .iter()
                    .map(|c| CodeLabel {
                        code: c.clone(),
                        label: label("obstacle", c),
                    })
                    .collect(),
                by_month: self
                    .months
                    .iter()
                    .enumerate()
                    .map(|(r, m)| MonthMentions {
                        month: m.code.clone(),
                        mentions: by_code(&self.cells[r]),
                        total: cell(self.month_mentions[r]),
                    })
                    .collect(),
                by_code: by_code(&self.code_mentions),
                by_family: self
                    .families
                    .iter()
                    .map(|l| FamilyMentions {
                        family: l.code.clone(),
                        label: label("family", &l.code),
                        mentions: cell(l.shown),
                    })
                    .collect(),
                total: cell(self.mentions),
            },
        }
    }

    /// The open-data CSV rows: `table, month, code, label, value`.
    pub fn csv_rows(&self, label: Labeller) -> Vec<[String; 5]> {
        let mut out = Vec::new();
        let mut row = |t: &str, m: &str, c: &str, l: String, s: Shown| {
            out.push([t.to_string(), m.to_string(), c.to_string(), l, s.text()]);
        };
        row("complaints", "", "total", String::new(), self.total);
        for l in &self.months {
            row("complaints_by_month", &l.code, "", String::new(), l.shown);
        }
        for (t, kind, lines) in [
            ("complaints_by_sector", "sector", &self.sectors),
            ("complaints_by_province", "province", &self.provinces),
        ] {
            for l in lines {
                row(t, "", &l.code, label(kind, &l.code), l.shown);
            }
        }
        for c in &self.companies {
            let (code, name) = match c.id {
                Some(id) => (id.to_string(), c.name.clone()),
                None => ("other".to_string(), label("other_companies", "")),
            };
            row("complaints_by_company", "", &code, name.clone(), c.shown);
            row("no_response_by_company", "", &code, name, c.no_response);
        }
        row("no_response", "", "total", String::new(), self.no_response);
        for (r, m) in self.months.iter().enumerate() {
            for (c, code) in self.codes.iter().enumerate() {
                row(
                    "obstacle_mentions_by_month",
                    &m.code,
                    code,
                    label("obstacle", code),
                    self.cells[r][c],
                );
            }
            row(
                "obstacle_mentions_by_month",
                &m.code,
                "total",
                String::new(),
                self.month_mentions[r],
            );
        }
        for (c, code) in self.codes.iter().enumerate() {
            row(
                "obstacle_mentions",
                "",
                code,
                label("obstacle", code),
                self.code_mentions[c],
            );
        }
        for l in &self.families {
            row(
                "obstacle_mentions_by_family",
                "",
                &l.code,
                label("family", &l.code),
                l.shown,
            );
        }
        row(
            "obstacle_mentions",
            "",
            "total",
            String::new(),
            self.mentions,
        );
        out
    }
}
