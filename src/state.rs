//! Shared application state handed to every handler and worker.
use std::sync::{Arc, RwLock};

use tokio::sync::Notify;

use crate::config::Config;
use crate::i18n::I18n;
use crate::services::reference::Reference;
use crate::store::db::Db;
use crate::store::settings;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub db: Db,
    pub tera: tera::Tera,
    pub i18n: I18n,
    reference: RwLock<Arc<Reference>>,
    /// Key for signing form tokens; stored in the database so every instance shares it.
    pub secret: Vec<u8>,
    /// Wakes the outbox worker when mail was queued.
    pub mail_wake: Notify,
    /// The SQLite filing writer (group commit); idle on PostgreSQL.
    pub filings: crate::services::intake::writer::Filings,
    /// The font of PDF reports (located at start, read on first use).
    pub pdf_font: crate::services::reports_pdf::FontSlot,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub async fn new(config: Config, db: Db) -> anyhow::Result<AppState> {
        let tera = crate::web::shared::templates::load()?;
        let i18n = I18n::load()?;
        let reference = Reference::load(&db.read).await?;
        let secret = settings::secret(&db.write).await?;
        let filings = crate::services::intake::writer::Filings::start(&db.write);
        let pdf_font = crate::services::reports_pdf::FontSlot::discover(config.pdf_font.as_deref());
        Ok(AppState(Arc::new(Inner {
            config,
            db,
            tera,
            i18n,
            reference: RwLock::new(Arc::new(reference)),
            secret,
            mail_wake: Notify::new(),
            filings,
            pdf_font,
        })))
    }

    /// What the mail services need to render a message.
    pub fn composer(&self) -> crate::services::mail::Composer<'_> {
        crate::services::mail::Composer {
            tera: &self.tera,
            i18n: &self.i18n,
            base_url: self.config.base_url.as_str(),
        }
    }

    /// What case work needs (write connection, reference data, mail composer, outbox wake-up).
    pub fn case_work(&self) -> crate::services::cases::actions::CaseWork<'_> {
        crate::services::cases::actions::CaseWork {
            db: &self.db.write,
            reference: self.reference(),
            composer: self.composer(),
            mail_wake: &self.mail_wake,
        }
    }

    /// What inviting a user needs (write connection, mail composer, outbox wake-up).
    pub fn invite_work(&self) -> crate::services::accounts::invite::InviteWork<'_> {
        crate::services::accounts::invite::InviteWork {
            db: &self.db.write,
            composer: self.composer(),
            mail_wake: &self.mail_wake,
        }
    }

    /// What filing a complaint needs (read connection, reference data, mail composer, the
    /// filing writer, outbox wake-up).
    pub fn intake_work(&self) -> crate::services::intake::IntakeWork<'_> {
        crate::services::intake::IntakeWork {
            read: &self.db.read,
            reference: self.reference(),
            composer: self.composer(),
            filings: &self.filings,
            mail_wake: &self.mail_wake,
        }
    }

    /// The current taxonomy, provinces, cues and holiday calendar.
    pub fn reference(&self) -> Arc<Reference> {
        match self.0.reference.read() {
            Ok(r) => r.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reloads reference data after staff edited it.
    pub async fn reload_reference(&self) -> anyhow::Result<()> {
        let fresh = Arc::new(Reference::load(&self.db.read).await?);
        match self.0.reference.write() {
            Ok(mut r) => *r = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }
}
