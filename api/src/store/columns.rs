//! One list of a record table's columns declares both shapes the store needs of them: the
//! columns a record's input and normalisation decide (a correction's changeset, and what a read
//! selects), and the flat row `COPY` writes for a new record (its keys, then the same columns:
//! `COPY` takes no nested insertable). Surveys and samples each declare theirs with it.

/// Declares `$fields` (the decided columns: `AsChangeset`, `Queryable`, `Selectable`), `$keys`
/// (a new row's keys) and `$row` (the flat `Insertable` row COPY writes), with
/// `$row::new(keys, fields)`.
macro_rules! record_columns {
    (
        table: $table:ident,
        keys: $keys:ident { $($key:ident: $key_type:ty,)+ },
        row: $row:ident,
        fields: $fields:ident { $($column:ident: $type:ty,)+ } $(,)?
    ) => {
        /// The columns of a row that the record's input and normalisation decide: what a
        /// correction rewrites and what a read returns.
        #[derive(AsChangeset, Queryable, Selectable)]
        #[diesel(table_name = $table, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
        struct $fields {
            $($column: $type,)+
        }

        /// The keys of a new row.
        struct $keys {
            $($key: $key_type,)+
        }

        /// One new row, as COPY writes it: the keys, then the decided columns.
        #[derive(Insertable)]
        #[diesel(table_name = $table, treat_none_as_default_value = false)]
        struct $row {
            $($key: $key_type,)+
            $($column: $type,)+
        }

        impl $row {
            /// A new row of these keys and fields.
            fn new(keys: $keys, fields: $fields) -> Self {
                $row { $($key: keys.$key,)+ $($column: fields.$column,)+ }
            }
        }
    };
}

pub(crate) use record_columns;
