//! The INSERT statements of a filing: multi-row inserts whose `complaint_id` comes from the
//! complaint being filed.
use super::*;

/// One multi-row INSERT of `rows` (which must set the same columns, `complaint_id` among them),
/// or `None` for no rows. The `complaint_id` column takes the id from `owner`, not from the rows.
pub fn insert_rows<A>(rows: Vec<A>, owner: Owner) -> Option<InsertStatement>
where
    A: ActiveModelTrait,
{
    let id = match owner {
        Owner::Code(code) => id_of(code),
        Owner::New => SimpleExpr::Custom(format!("(SELECT id FROM {NEW_COMPLAINT})")),
    };
    insert_rows_with(rows, &[("complaint_id", id)])
}

/// Where rows that belong to a complaint take its id from.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// The complaint with this tracking code, looked up by the statement (SQLite's batch,
    /// where the complaint's insert is an earlier statement).
    Code(&'a str),
    /// The complaint inserted by the `WITH` part [`NEW_COMPLAINT`] of the same statement
    /// (PostgreSQL, where a sibling part's rows are visible only through its `RETURNING`).
    New,
}

/// Name of the `WITH` part that inserts the complaint in PostgreSQL's one-statement filing.
pub(super) const NEW_COMPLAINT: &str = "new_complaint";

/// [`insert_rows`] with the value of each column named in `subst` replaced by an expression.
fn insert_rows_with<A>(rows: Vec<A>, subst: &[(&str, SimpleExpr)]) -> Option<InsertStatement>
where
    A: ActiveModelTrait,
{
    let first = rows.first()?;
    let columns: Vec<<A::Entity as EntityTrait>::Column> =
        <A::Entity as EntityTrait>::Column::iter()
            .filter(|c| first.get(*c).is_set())
            .collect();
    let mut q = Query::insert();
    q.into_table(A::Entity::default()).columns(columns.clone());
    for row in &rows {
        let values: Vec<SimpleExpr> = columns
            .iter()
            .map(
                |c| match subst.iter().find(|(name, _)| *name == c.as_str()) {
                    Some((_, expr)) => expr.clone(),
                    None => match row.get(*c).into_value() {
                        Some(v) => SimpleExpr::Value(v),
                        None => SimpleExpr::Custom("NULL".into()),
                    },
                },
            )
            .collect();
        q.values_panic(values);
    }
    Some(q)
}

/// `(SELECT id FROM complaints WHERE tracking_code = ?)`.
fn id_of(code: &str) -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(SubQueryStatement::SelectStatement(
            Query::select()
                .column(complaint::Column::Id)
                .from(complaint::Entity)
                .and_where(complaint::Column::TrackingCode.eq(code))
                .to_owned(),
        )),
    )
}

/// The INSERT of complaint `row`, linked to the directory company whose name or alias
/// normalises to `company_norm` (looked up by the statement; none if there is none).
pub(super) fn complaint_insert(
    backend: DatabaseBackend,
    mut row: complaint::ActiveModel,
    company_norm: &str,
) -> InsertStatement {
    use sea_orm::sea_query::Expr;
    row.company_id = sea_orm::Set(None);
    let lookup = match backend {
        DatabaseBackend::Postgres => Expr::cust_with_values(
            crate::services::intake::company_lookup_sql("$1", "$1"),
            [company_norm],
        ),
        _ => Expr::cust_with_values(
            crate::services::intake::company_lookup_sql("?", "?"),
            [company_norm, company_norm],
        ),
    };
    insert_rows_with(vec![row], &[("company_id", lookup)]).expect("one row")
}
