//! The library of standard-terms clauses (格式条款, issue 17): a company's clause that blocks
//! downgrading or refunds, with the obstacle codes it produces, where it was seen (files stored
//! like evidence), its review history, the cases that cite it and the case groups that
//! challenge it.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(from: &str, col: &str, to: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(a(from), a(col))
        .to(a(to), a("id"))
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("clauses"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("company_id")))
                .col(string(a("service_name")))
                .col(text(a("clause_text")))
                .col(text(a("source_url")))
                .col(date(a("first_seen_on")))
                .col(date(a("last_seen_on")))
                .col(string(a("legal_basis")))
                .col(text(a("analysis")))
                .col(string(a("status")))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk(
                    "clauses",
                    "company_id",
                    "companies",
                    // A company merge moves its clauses to the survivor; nothing else may
                    // silently drop a library entry.
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_clauses_company")
                .table(a("clauses"))
                .col(a("company_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("clause_obstacles"))
                .col(big_integer(a("clause_id")))
                .col(string(a("obstacle_code")))
                .primary_key(Index::create().col(a("clause_id")).col(a("obstacle_code")))
                .foreign_key(&mut fk(
                    "clause_obstacles",
                    "clause_id",
                    "clauses",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("clause_files"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("clause_id")))
                .col(string(a("stored_name")))
                .col(string(a("original_name")))
                .col(string(a("content_type")))
                .col(big_integer(a("size_bytes")))
                .col(string(a("sha256")))
                .col(big_integer_null(a("uploaded_by")))
                .col(timestamp_with_time_zone(a("uploaded_at")))
                .foreign_key(&mut fk(
                    "clause_files",
                    "clause_id",
                    "clauses",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // The clause's history: creation, edits, status changes, files, citations and links,
        // each with who and when (the audit log has the same facts for the whole system).
        m.create_table(
            Table::create()
                .table(a("clause_events"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("clause_id")))
                .col(string(a("kind")))
                .col(string_null(a("from_status")))
                .col(string_null(a("to_status")))
                .col(text(a("note")))
                .col(big_integer_null(a("user_id")))
                .col(string(a("actor")))
                .col(timestamp_with_time_zone(a("at")))
                .foreign_key(&mut fk(
                    "clause_events",
                    "clause_id",
                    "clauses",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_clause_events_clause")
                .table(a("clause_events"))
                .col(a("clause_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("clause_citations"))
                .col(big_integer(a("clause_id")))
                .col(big_integer(a("complaint_id")))
                .col(big_integer_null(a("cited_by")))
                .col(timestamp_with_time_zone(a("cited_at")))
                .primary_key(Index::create().col(a("clause_id")).col(a("complaint_id")))
                .foreign_key(&mut fk(
                    "clause_citations",
                    "clause_id",
                    "clauses",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "clause_citations",
                    "complaint_id",
                    "complaints",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_clause_citations_complaint")
                .table(a("clause_citations"))
                .col(a("complaint_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("clause_groups"))
                .col(big_integer(a("clause_id")))
                .col(big_integer(a("group_id")))
                .col(big_integer_null(a("linked_by")))
                .col(timestamp_with_time_zone(a("linked_at")))
                .primary_key(Index::create().col(a("clause_id")).col(a("group_id")))
                .foreign_key(&mut fk(
                    "clause_groups",
                    "clause_id",
                    "clauses",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "clause_groups",
                    "group_id",
                    "case_groups",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_clause_groups_group")
                .table(a("clause_groups"))
                .col(a("group_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "clause_groups",
            "clause_citations",
            "clause_events",
            "clause_files",
            "clause_obstacles",
            "clauses",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
