//! PostgreSQL `COPY … FROM STDIN` (text format) for entity rows: the bulk loader's way in, used
//! by `seed-demo`. Each row's set columns go in the order of the entity's columns; the first
//! row decides which columns are sent (every row must set the same ones, as for a multi-row
//! INSERT).
use sea_orm::sea_query::Value;
use sea_orm::sqlx::PgConnection;
use sea_orm::{ActiveModelTrait, IdenStatic};

/// Bytes sent to the server per `CopyData` message, about.
const CHUNK: usize = 1 << 20;

/// Copies `rows` into their table on `conn`; returns how many rows the server took.
pub async fn copy_in<A>(conn: &mut PgConnection, rows: Vec<A>) -> anyhow::Result<u64>
where
    A: ActiveModelTrait,
{
    let Some((statement, chunks)) = encode(rows)? else {
        return Ok(0);
    };
    send(conn, &statement, chunks.into_iter().map(Ok)).await
}

/// Runs `statement` (a `COPY … FROM STDIN`) on `conn` with `chunks` as its data; returns how many
/// rows the server took. CopyData messages need not end at row boundaries.
async fn send(
    conn: &mut PgConnection,
    statement: &str,
    chunks: impl Iterator<Item = std::io::Result<Vec<u8>>>,
) -> anyhow::Result<u64> {
    let mut copy = conn.copy_in_raw(statement).await?;
    for chunk in chunks {
        let sent = match chunk {
            Ok(chunk) => copy.send(chunk).await.map_err(anyhow::Error::from),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = sent {
            // Ends the COPY so the connection stays usable (the transaction is then failed).
            let _ = copy.abort(e.to_string()).await;
            return Err(e);
        }
    }
    Ok(copy.finish().await?)
}

/// Child rows kept in an anonymous temporary file until they are sent: `seed-demo` loads the
/// complaints of every batch first, so that PostgreSQL can start building the search index over
/// them while the obstacle links and status histories follow. Batches are encoded as they come
/// (every batch of a table has the same columns) and sent with one `COPY` at the end.
pub struct Spool {
    statement: Option<String>,
    file: std::fs::File,
}

impl Spool {
    pub fn new() -> std::io::Result<Spool> {
        Ok(Spool {
            statement: None,
            file: tempfile::tempfile()?,
        })
    }

    /// Appends rows encoded by [`encode`] (nothing for `None`, no rows).
    pub fn push(&mut self, encoded: Option<Encoded>) -> anyhow::Result<()> {
        use std::io::Write;
        let Some((statement, chunks)) = encoded else {
            return Ok(());
        };
        match &self.statement {
            Some(s) if *s != statement => anyhow::bail!("spooled rows differ in columns"),
            Some(_) => {}
            None => self.statement = Some(statement),
        }
        for chunk in chunks {
            self.file.write_all(&chunk)?;
        }
        Ok(())
    }

    /// Sends everything spooled with one `COPY` on `conn`; returns the rows the server took.
    pub async fn copy_into(mut self, conn: &mut PgConnection) -> anyhow::Result<u64> {
        use std::io::{Read, Seek};
        let Some(statement) = self.statement.take() else {
            return Ok(0);
        };
        self.file.rewind()?;
        let mut file = self.file;
        let chunks = std::iter::from_fn(move || {
            let mut chunk = vec![0; CHUNK];
            match file.read(&mut chunk) {
                Ok(0) => None,
                Ok(n) => {
                    chunk.truncate(n);
                    Some(Ok(chunk))
                }
                Err(e) => Some(Err(e)),
            }
        });
        send(conn, &statement, chunks).await
    }
}

/// A COPY statement and its data in chunks.
pub type Encoded = (String, Vec<Vec<u8>>);

/// The COPY statement for `rows` and their data in chunks of about [`CHUNK`] bytes (`None`
/// for no rows).
pub fn encode<A>(rows: Vec<A>) -> anyhow::Result<Option<Encoded>>
where
    A: ActiveModelTrait,
{
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let (columns, target) = crate::store::sql::bulk_target(first);
    let statement = format!("COPY {target} FROM STDIN");
    let mut chunks = Vec::new();
    let mut buf = String::with_capacity(CHUNK + 4096);
    for row in &rows {
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                buf.push('\t');
            }
            match row.get(*c).into_value() {
                Some(v) => push_field(&mut buf, &v)
                    .map_err(|e| anyhow::anyhow!("column {}: {e}", c.as_str()))?,
                None => buf.push_str("\\N"),
            }
        }
        buf.push('\n');
        if buf.len() >= CHUNK {
            chunks.push(
                std::mem::replace(&mut buf, String::with_capacity(CHUNK + 4096)).into_bytes(),
            );
        }
    }
    if !buf.is_empty() {
        chunks.push(buf.into_bytes());
    }
    Ok(Some((statement, chunks)))
}

/// Appends `v` in COPY's text format (`\N` for NULL).
fn push_field(out: &mut String, v: &Value) -> Result<(), String> {
    use std::fmt::Write;
    let null = "\\N";
    match v {
        Value::Bool(b) => out.push_str(b.map_or(null, |b| if b { "t" } else { "f" })),
        Value::TinyInt(n) => push_num(out, *n),
        Value::SmallInt(n) => push_num(out, *n),
        Value::Int(n) => push_num(out, *n),
        Value::BigInt(n) => push_num(out, *n),
        Value::TinyUnsigned(n) => push_num(out, *n),
        Value::SmallUnsigned(n) => push_num(out, *n),
        Value::Unsigned(n) => push_num(out, *n),
        Value::BigUnsigned(n) => push_num(out, *n),
        Value::Float(n) => push_float(out, n.map(f64::from)),
        Value::Double(n) => push_float(out, *n),
        Value::String(s) => match s {
            Some(s) => push_text(out, s),
            None => out.push_str(null),
        },
        Value::Char(c) => match c {
            Some(c) => push_text(out, c.encode_utf8(&mut [0; 4])),
            None => out.push_str(null),
        },
        Value::Json(j) => match j {
            Some(j) => push_text(out, &j.to_string()),
            None => out.push_str(null),
        },
        Value::ChronoDate(d) => match d {
            Some(d) => {
                let _ = write!(out, "{}", d.format("%Y-%m-%d"));
            }
            None => out.push_str(null),
        },
        Value::ChronoDateTimeUtc(t) => match t {
            Some(t) => {
                let _ = write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00"));
            }
            None => out.push_str(null),
        },
        other => return Err(format!("no COPY text form for {other:?}")),
    }
    Ok(())
}

fn push_num<N: std::fmt::Display>(out: &mut String, n: Option<N>) {
    use std::fmt::Write;
    match n {
        Some(n) => {
            let _ = write!(out, "{n}");
        }
        None => out.push_str("\\N"),
    }
}

fn push_float(out: &mut String, n: Option<f64>) {
    use std::fmt::Write;
    match n {
        Some(n) if n.is_nan() => out.push_str("NaN"),
        Some(n) if n.is_infinite() => out.push_str(if n > 0.0 { "Infinity" } else { "-Infinity" }),
        Some(n) => {
            let _ = write!(out, "{n}");
        }
        None => out.push_str("\\N"),
    }
}

/// Text with COPY's escapes: backslash, and the row and column separators.
fn push_text(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn field(v: Value) -> String {
        let mut s = String::new();
        push_field(&mut s, &v).unwrap();
        s
    }

    #[test]
    fn values_take_copys_text_form() {
        assert_eq!(
            field(Value::String(Some(Box::new("a\tb\\c\nd\re".into())))),
            "a\\tb\\\\c\\nd\\re"
        );
        assert_eq!(field(Value::String(None)), "\\N");
        assert_eq!(field(Value::Bool(Some(true))), "t");
        assert_eq!(field(Value::Bool(Some(false))), "f");
        assert_eq!(field(Value::BigInt(Some(-42))), "-42");
        assert_eq!(field(Value::Int(None)), "\\N");
        assert_eq!(field(Value::Double(Some(0.25))), "0.25");
        assert_eq!(
            field(Value::ChronoDate(Some(Box::new(
                NaiveDate::from_ymd_opt(2026, 2, 3).unwrap()
            )))),
            "2026-02-03"
        );
        let t = Utc.with_ymd_and_hms(2026, 11, 26, 7, 8, 9).unwrap()
            + chrono::Duration::microseconds(12);
        assert_eq!(
            field(Value::ChronoDateTimeUtc(Some(Box::new(t)))),
            "2026-11-26 07:08:09.000012+00"
        );
        let mut s = String::new();
        assert!(push_field(&mut s, &Value::Bytes(Some(Box::new(vec![1])))).is_err());
    }
}
