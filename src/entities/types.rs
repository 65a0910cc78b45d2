//! Typed columns for the domain's closed vocabularies. `domain/` stays free of sea-orm, so the
//! value traits live here: each enum is stored as its stable text code (the same text the columns
//! held when they were plain strings, so existing databases need no migration), and a row holding
//! a code the enum does not know fails to load instead of slipping through as a free string.
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, Value, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable};

use crate::domain::clauses::ClauseStatus;
use crate::domain::Status;

/// Implements sea-orm's value traits for `code_enum!` types (those with `code` and `parse`).
macro_rules! text_code_column {
    ($($name:ident),+ $(,)?) => {$(
        impl From<$name> for Value {
            fn from(v: $name) -> Value {
                Value::String(Some(Box::new(v.code().to_string())))
            }
        }

        impl Nullable for $name {
            fn null() -> Value {
                Value::String(None)
            }
        }

        impl ValueType for $name {
            fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
                match v {
                    Value::String(Some(s)) => $name::parse(&s).ok_or(ValueTypeErr),
                    _ => Err(ValueTypeErr),
                }
            }

            fn type_name() -> String {
                stringify!($name).to_string()
            }

            fn array_type() -> ArrayType {
                ArrayType::String
            }

            fn column_type() -> ColumnType {
                ColumnType::string(None)
            }
        }

        impl TryGetable for $name {
            fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
                let code = String::try_get_by(res, index)?;
                $name::parse(&code).ok_or_else(|| {
                    TryGetError::DbErr(DbErr::Type(format!(
                        "unknown {} code {code:?} at {index:?}",
                        stringify!($name)
                    )))
                })
            }
        }
    )+};
}

text_code_column!(Status, ClauseStatus);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_stored_as_its_code_text() {
        for s in Status::ALL {
            assert_eq!(Value::from(*s), Value::from(s.code()));
            assert_eq!(
                <Status as ValueType>::try_from(Value::from(s.code())).ok(),
                Some(*s)
            );
        }
        assert_eq!(Value::from(None::<Status>), Value::String(None));
        assert!(<Status as ValueType>::try_from(Value::from("HELD")).is_err());
    }
}
