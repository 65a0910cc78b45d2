//! Rows a test sets up or reads back directly: companies, the audit log, raw SQL.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::TestApp;
use downgrade_watch::domain::normalize_name;
use downgrade_watch::entities::{audit_log, company};
use downgrade_watch::store::sql::stmt;

/// A company to add to the directory straight into the database.
#[derive(Debug, Clone, Default)]
pub struct NewCompany {
    name: String,
    sector: Option<String>,
    contact_email: Option<String>,
}

impl NewCompany {
    pub fn named(name: &str) -> NewCompany {
        NewCompany {
            name: name.to_string(),
            ..Default::default()
        }
    }

    pub fn sector(mut self, sector: &str) -> NewCompany {
        self.sector = Some(sector.to_string());
        self
    }

    pub fn contact(mut self, email: &str) -> NewCompany {
        self.contact_email = Some(email.to_string());
        self
    }

    /// Inserts it; returns the company's id.
    pub async fn add(self, app: &TestApp) -> i64 {
        let now = Utc::now();
        company::ActiveModel {
            name_norm: Set(normalize_name(&self.name)),
            name: Set(self.name),
            sector: Set(self.sector),
            credit_code: Set(None),
            contact_email: Set(self.contact_email),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.state.db.write)
        .await
        .expect("company")
        .id
    }
}

/// The company named exactly `name`.
pub async fn company_named(app: &TestApp, name: &str) -> company::Model {
    company::Entity::find()
        .filter(company::Column::Name.eq(name))
        .one(&app.state.db.read)
        .await
        .expect("query")
        .expect("company")
}

/// The audit rows with action `action`.
pub async fn audit_rows(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .all(&app.state.db.read)
        .await
        .expect("audit")
}

/// Runs one SQL statement (with `$n` placeholders) on the write pool.
pub async fn exec(app: &TestApp, sql: &str, values: Vec<sea_orm::Value>) {
    let db = &app.state.db.write;
    db.execute(stmt(db.get_database_backend(), sql, values))
        .await
        .expect(sql);
}
