//! tower-sessions store on our own database (both backends), keeping only a hash of each session
//! id at rest: a database leak does not hand out live sessions.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::entities::session;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> DbSessionStore {
        DbSessionStore { db }
    }

    /// Removes expired sessions.
    pub async fn prune(&self) -> Result<u64, sea_orm::DbErr> {
        let r = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(Utc::now()))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected)
    }
}

fn hash(id: &Id) -> String {
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expiry(r: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(r.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now)
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let exists = session::Entity::find_by_id(hash(&record.id))
                .one(&self.db)
                .await
                .map_err(backend)?;
            if exists.is_none() {
                break;
            }
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let row = session::ActiveModel {
            id_hash: Set(hash(&record.id)),
            data: Set(data),
            expires_at: Set(expiry(record)),
        };
        session::Entity::insert(row)
            .on_conflict(
                OnConflict::column(session::Column::IdHash)
                    .update_columns([session::Column::Data, session::Column::ExpiresAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = session::Entity::find_by_id(hash(id))
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        match row {
            None => Ok(None),
            Some(r) => {
                let data = serde_json::from_str(&r.data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))?;
                let expiry_date =
                    time::OffsetDateTime::from_unix_timestamp(r.expires_at.timestamp())
                        .map_err(|e| session_store::Error::Decode(e.to_string()))?;
                Ok(Some(Record {
                    id: *id,
                    data,
                    expiry_date,
                }))
            }
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(hash(id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
