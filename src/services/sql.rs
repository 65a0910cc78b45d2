//! Raw SQL that must run on both backends: statements are written with `$1` placeholders and
//! rewritten to `?` for SQLite.
use sea_orm::{DatabaseBackend, Statement, Value};

/// Builds a statement for `backend` from PostgreSQL-style SQL.
pub fn stmt(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => sql.to_string(),
        _ => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                        chars.next();
                    }
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
        let s = stmt(DatabaseBackend::Sqlite, "UPDATE t SET a = $1 WHERE b = $2", vec![1.into(), 2.into()]);
        assert_eq!(s.sql, "UPDATE t SET a = ? WHERE b = ?");
        let p = stmt(DatabaseBackend::Postgres, "SELECT $1", vec![1.into()]);
        assert_eq!(p.sql, "SELECT $1");
    }
}
