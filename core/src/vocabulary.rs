//! Closed vocabularies: enums written as fixed snake_case words in the API, the CSV exports and
//! the database. [`vocabulary!`](crate::vocabulary!) defines one (serde, `as_str`, `FromStr`, `Display`, `ALL`, the
//! OpenAPI enum with the `openapi` feature, and text `ToSql`/`FromSql` with the `diesel`
//! feature), so each word is written once. The vocabularies of the registry live here; those
//! of surveys, samples and review next to their rules.

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

vocabulary! {
    /// What a site is.
    pub enum SiteKind {
        /// A beach monitored for litter.
        Beach = "beach",
        /// A river sampling point.
        River = "river",
        /// A coastal-water sampling point.
        CoastalWater = "coastal_water",
    }
}

vocabulary! {
    /// What kind of group a team is.
    pub enum TeamKind {
        /// A community group.
        Community = "community",
        /// A university group.
        University = "university",
        /// A school.
        School = "school",
        /// A non-governmental organisation.
        Ngo = "ngo",
        /// A public agency.
        Agency = "agency",
    }
}

vocabulary! {
    /// What a token may do.
    pub enum Role {
        /// Posts and corrects its team's records.
        Volunteer = "volunteer",
        /// Reviews the records of one city.
        Coordinator = "coordinator",
        /// Reads accepted records and exports.
        Researcher = "researcher",
        /// Everything.
        Admin = "admin",
    }
}

vocabulary! {
    /// What a submitted record is.
    pub enum RecordKind {
        /// A beach-litter survey.
        Survey = "survey",
        /// A microplastic sample.
        Sample = "sample",
    }
}

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

    #[test]
    fn every_vocabulary_spells_its_words_as_serde_does() {
        use crate::microplastics::{Matrix, Method};
        use crate::precision::{DecimalMark, ExportLayout, Separator};
        use crate::review::ReviewStatus;
        use crate::survey::{LengthSource, SurveyKind, SurveyType};
        words_are_what_serde_writes(SiteKind::ALL);
        words_are_what_serde_writes(TeamKind::ALL);
        words_are_what_serde_writes(Role::ALL);
        words_are_what_serde_writes(RecordKind::ALL);
        words_are_what_serde_writes(ReviewStatus::ALL);
        words_are_what_serde_writes(SurveyKind::ALL);
        words_are_what_serde_writes(SurveyType::ALL);
        words_are_what_serde_writes(LengthSource::ALL);
        words_are_what_serde_writes(Matrix::ALL);
        words_are_what_serde_writes(Method::ALL);
        words_are_what_serde_writes(DecimalMark::ALL);
        words_are_what_serde_writes(Separator::ALL);
        words_are_what_serde_writes(ExportLayout::ALL);
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
