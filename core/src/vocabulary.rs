//! Closed vocabularies: enums written as fixed snake_case words in the API, the CSV exports and
//! the database. Every word, with its meaning, is a row of `fixtures/vocabularies/words.csv`;
//! `core/build.rs` writes each vocabulary as a [`vocabulary!`](crate::vocabulary!) enum (serde,
//! `as_str`, `FromStr`, `Display`, `ALL`, the OpenAPI enum listing the words and their meanings
//! with the `openapi` feature, and text `ToSql`/`FromSql` with the `diesel` feature), included
//! here; the modules whose rules use one re-export it (`survey::SurveyKind`, `review::ReviewStatus`).

/// Defines a vocabulary enum: `pub enum Name { Variant = "word", … }`. The word must be the
/// variant's name in snake_case (serde and the OpenAPI document spell it so; a test checks).
#[macro_export]
macro_rules! vocabulary {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every word of the vocabulary.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The word, as stored and in the API.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| {
                    let words: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("`{text}` is not one of {}", words.join(", "))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::sql_text!($name);
    };
}

/// Stores a type with `as_str` and `FromStr` as PostgreSQL text (with the `diesel` feature; the
/// type also derives `diesel::AsExpression` and `diesel::FromSqlRow` with `sql_type = Text`).
#[macro_export]
macro_rules! sql_text {
    ($name:ty) => {
        #[cfg(feature = "diesel")]
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(self.as_str(), out)
            }
        }

        #[cfg(feature = "diesel")]
        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let text =
                    <String as diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg>>::from_sql(value)?;
                text.parse::<$name>().map_err(Into::into)
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/vocabularies.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    fn words_are_what_serde_writes<
        T: serde::Serialize + std::str::FromStr + std::fmt::Display + PartialEq + std::fmt::Debug,
    >(
        all: &[T],
    ) where
        T::Err: std::fmt::Debug,
    {
        for word in all {
            assert_eq!(serde_json::to_value(word).unwrap(), word.to_string());
            assert_eq!(word.to_string().parse::<T>().unwrap(), *word);
        }
    }

    /// Each row of `words.csv` read as its vocabulary's word, and each vocabulary's words in the
    /// file's order (so a word of the file the generated enum lacks, or one more, fails).
    #[test]
    fn every_vocabulary_spells_its_words_as_serde_does() {
        use crate::i18n::Language;
        use crate::microplastics::{Matrix, Method};
        use crate::precision::{DecimalMark, ExportLayout, Separator};
        use crate::review::ReviewStatus;
        use crate::stats::indices::{CciGrade, DensityClass};
        use crate::stats::reading::{Standing, TrendVerdict};
        use crate::stats::scope::Basis;
        use crate::stats::series::{Period, SeriesGroup};
        use crate::survey::{LengthSource, LitterSize, Origin, SurveyKind, SurveyType};
        fn words<T: Copy + std::fmt::Display>(all: &[T]) -> Vec<String> {
            all.iter().map(|word| word.to_string()).collect()
        }
        macro_rules! vocabularies {
            ($($name:ident),+) => {{
                $(words_are_what_serde_writes($name::ALL);)+
                [$((stringify!($name), words($name::ALL))),+]
            }};
        }
        let generated = vocabularies!(
            SiteKind,
            TeamKind,
            Role,
            RecordKind,
            ReviewStatus,
            SurveyKind,
            SurveyType,
            LengthSource,
            LitterSize,
            Origin,
            Matrix,
            Method,
            DecimalMark,
            Separator,
            ExportLayout,
            Language,
            CciGrade,
            DensityClass,
            Standing,
            TrendVerdict,
            Basis,
            Period,
            SeriesGroup
        );
        let mut in_file: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        let mut rows = csv::Reader::from_reader(include_str!("../../fixtures/vocabularies/words.csv").as_bytes());
        for row in rows.records() {
            let row = row.unwrap();
            let words = in_file.entry(row[0].to_string()).or_default();
            if !row[1].is_empty() {
                words.push(row[1].to_string());
            }
        }
        assert_eq!(in_file.len(), generated.len(), "every vocabulary of the file is checked here");
        for (name, words) in generated {
            assert_eq!(in_file[name], words, "{name}");
        }
    }

    #[test]
    fn words_round_trip_and_unknown_words_name_the_vocabulary() {
        for kind in SiteKind::ALL {
            assert_eq!(kind.as_str().parse::<SiteKind>(), Ok(*kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert_eq!("lake".parse::<SiteKind>(), Err("`lake` is not one of beach, river, coastal_water".to_string()));
        assert_eq!(Role::Coordinator.to_string(), "coordinator");
    }
}
