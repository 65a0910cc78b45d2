//! Staff accounts, API tokens (stored hashed), server-side sessions (ids stored hashed),
//! invitations and the append-only audit log.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("users"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("email")).unique_key())
                .col(string(a("display_name")))
                .col(string(a("role")))
                .col(string_null(a("password_hash")))
                .col(boolean(a("active")))
                .col(integer(a("failed_logins")).default(0))
                .col(timestamp_with_time_zone_null(a("locked_until")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("last_login_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("api_tokens"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("user_id")))
                .col(string(a("name")))
                .col(string(a("token_hash")).unique_key())
                .col(string(a("prefix")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("last_used_at")))
                .col(timestamp_with_time_zone_null(a("revoked_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("api_tokens"), a("user_id"))
                        .to(a("users"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("user_invites"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("user_id")))
                .col(string(a("token_hash")).unique_key())
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("used_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("user_invites"), a("user_id"))
                        .to(a("users"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("sessions"))
                .col(string(a("id_hash")).primary_key())
                .col(text(a("data")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_expiry")
                .table(a("sessions"))
                .col(a("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("audit_log"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(timestamp_with_time_zone(a("at")))
                .col(big_integer_null(a("actor_user_id")))
                .col(string(a("actor")))
                .col(string(a("action")))
                .col(string_null(a("target_type")))
                .col(string_null(a("target_id")))
                .col(text_null(a("detail")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_audit_at")
                .table(a("audit_log"))
                .col(a("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_audit_target")
                .table(a("audit_log"))
                .col(a("target_type"))
                .col(a("target_id"))
                .to_owned(),
        )
        .await?;
        // Append-only: the database itself refuses to change or delete audit rows.
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
                     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
                     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
                     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
                .await?;
            db.execute_unprepared("DROP FUNCTION IF EXISTS audit_log_append_only()")
                .await?;
        }
        for t in [
            "audit_log",
            "sessions",
            "user_invites",
            "api_tokens",
            "users",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
