//! Which database errors a concurrent writer caused: the statement was right, another
//! transaction got in its way, and the same work tried again can succeed.

use diesel::result::{DatabaseErrorKind, Error};

/// Whether `error` ended the transaction because another one got in its way: PostgreSQL broke
/// a deadlock by aborting this one (SQLSTATE 40P01), or a serializable transaction could not
/// be ordered (40001). diesel has no kind for a deadlock, so it is told by PostgreSQL's
/// message, which is English unless the server sets `lc_messages` to another language.
pub fn lost_to_a_concurrent_writer(error: &Error) -> bool {
    match error {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(_, information) => information.message() == "deadlock detected",
        _ => false,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error};

    struct Message(&'static str);

    impl DatabaseErrorInformation for Message {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    /// A database error of `kind` with PostgreSQL's `message`.
    pub fn database_error(kind: DatabaseErrorKind, message: &'static str) -> Error {
        Error::DatabaseError(kind, Box::new(Message(message)))
    }

    #[test]
    fn deadlocks_and_serialization_failures_are_lost_races_and_nothing_else_is() {
        use super::lost_to_a_concurrent_writer as lost;
        assert!(lost(&database_error(DatabaseErrorKind::Unknown, "deadlock detected")));
        assert!(lost(&database_error(DatabaseErrorKind::SerializationFailure, "could not serialize access")));
        let duplicate = "duplicate key value violates unique constraint \"client_ids_pkey\"";
        assert!(!lost(&database_error(DatabaseErrorKind::UniqueViolation, duplicate)));
        assert!(!lost(&database_error(DatabaseErrorKind::Unknown, "division by zero")));
        assert!(!lost(&Error::NotFound));
    }
}
