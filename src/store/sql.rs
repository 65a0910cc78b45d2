//! Raw SQL that must run on both backends: statements are written with `$1` placeholders and
//! rewritten to `?` for SQLite. SQLite binds `?` in order, so each `$n` must appear once and in
//! increasing order (pass a value twice rather than reusing a placeholder).
use sea_orm::{
    ActiveModelTrait, DatabaseBackend, EntityName, EntityTrait, IdenStatic, Iterable, Statement,
    Value,
};

/// The columns a bulk loader sends for rows like `first` (those it sets, in the entity's
/// order) and the `"table" ("col", …)` they go into. Every row must set the same columns, as
/// for a multi-row `INSERT`.
pub fn bulk_target<A: ActiveModelTrait>(
    first: &A,
) -> (Vec<<A::Entity as EntityTrait>::Column>, String) {
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter()
        .filter(|c| first.get(*c).is_set())
        .collect();
    let names: Vec<String> = columns
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect();
    let target = format!(
        "\"{}\" ({})",
        A::Entity::default().table_name(),
        names.join(", ")
    );
    (columns, target)
}

/// Builds a statement for `backend` from PostgreSQL-style SQL.
pub fn stmt(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => sql.to_string(),
        _ => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            let mut expected = 1;
            while let Some(c) = chars.next() {
                if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    let mut n = String::new();
                    while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                        n.push(d);
                        chars.next();
                    }
                    debug_assert_eq!(
                        n.parse::<usize>().ok(),
                        Some(expected),
                        "placeholders must be $1, $2, ... in order: {sql}"
                    );
                    expected += 1;
                    out.push('?');
                } else {
                    out.push(c);
                }
            }
            out
        }
    };
    Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_question_marks_on_sqlite() {
        let s = stmt(
            DatabaseBackend::Sqlite,
            "UPDATE t SET a = $1 WHERE b = $2",
            vec![1.into(), 2.into()],
        );
        assert_eq!(s.sql, "UPDATE t SET a = ? WHERE b = ?");
        let p = stmt(DatabaseBackend::Postgres, "SELECT $1", vec![1.into()]);
        assert_eq!(p.sql, "SELECT $1");
    }
}
