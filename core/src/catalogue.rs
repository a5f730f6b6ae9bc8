//! What the mobile apps download once and keep offline: the canonical category tree and each
//! protocol's item list with its canonical mapping and envelope fields, with names in the
//! asked language (English where no translation exists).

use serde::Serialize;

use crate::category::{CategoryTree, Material, SizeClass};
use crate::i18n::{self, Language};
use crate::protocol::table::read_csv;
use crate::protocol::{table_version, Protocol, RowKind};
use crate::survey::LitterSize;
use crate::vocabulary::RecordKind;

/// The canonical category tree.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryList {
    /// Version of the tree (`categories@N`).
    #[cfg_attr(feature = "openapi", schema(example = "categories@4"))]
    pub version: String,
    /// Language of the names.
    pub language: Language,
    /// Every category, groups before their children.
    pub categories: Vec<CategoryEntry>,
}

/// One canonical category.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryEntry {
    /// Code (Master List G-code, `GRP-` group, `TL-` leaf).
    #[cfg_attr(feature = "openapi", schema(example = "G21"))]
    pub code: String,
    /// The group it belongs to.
    pub parent: Option<String>,
    /// Name (in the asked language where translated).
    pub name: String,
    /// Material.
    pub material: Material,
    /// The material's name.
    pub material_name: String,
    /// Counted in totals (false for group placeholders that only aggregate).
    pub counted: bool,
    /// Single-use plastic.
    pub single_use_plastic: bool,
    /// Fishing related.
    pub fishing: bool,
    /// Sanitary.
    pub sanitary: bool,
    /// Medical.
    pub medical: bool,
    /// Smoking related.
    pub smoking: bool,
    /// Size class.
    pub size_class: SizeClass,
}

/// A protocol in brief.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProtocolSummary {
    /// The protocol.
    pub protocol: Protocol,
    /// Version of its mapping (`ospar@2+categories@4`).
    pub version: String,
    /// What it records.
    pub records: Vec<RecordKind>,
    /// Item codes it has.
    pub items: usize,
}

/// A protocol in full: what to send and how its codes map.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProtocolDocument {
    /// The protocol.
    pub protocol: Protocol,
    /// Version of its mapping.
    pub version: String,
    /// Language of the names.
    pub language: Language,
    /// The fields of a record's envelope.
    pub fields: Vec<EnvelopeField>,
    /// The size classes an item's code may carry as a suffix (KLHK's `PL07:meso`: macro and
    /// meso of one code apart); empty for the other protocols.
    pub size_suffixes: Vec<LitterSize>,
    /// Its item codes.
    pub items: Vec<ProtocolItem>,
}

/// One field of a posted record.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnvelopeField {
    /// Survey or sample.
    pub record: RecordKind,
    /// JSON field (dotted for nested ones).
    pub field: String,
    /// `yes`, `no`, or which alternatives one of must be given.
    pub required: String,
    /// Unit of the value, if it has one.
    pub unit: Option<String>,
    /// What it is.
    pub description: String,
}

/// One item code of a protocol.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProtocolItem {
    /// The protocol's code.
    #[cfg_attr(feature = "openapi", schema(example = "15"))]
    pub code: String,
    /// The protocol's name for it.
    pub name: String,
    /// A count, or a yes/no presence observation (not accepted as a count).
    pub presence_only: bool,
    /// The canonical category it maps to.
    pub category: Option<String>,
    /// That category's name.
    pub category_name: Option<String>,
    /// The code it is a finer breakdown of (its items are counted there).
    pub breakdown_of: Option<String>,
    /// The size class the code itself names (a GESAMP or China sheet's `plastic:meso`).
    pub size_class: Option<LitterSize>,
}

/// The canonical tree with names in `language`.
pub fn categories(language: Language) -> CategoryList {
    let tree = CategoryTree::global();
    let categories = tree
        .iter()
        .map(|c| CategoryEntry {
            code: c.code.clone(),
            parent: c.parent.clone(),
            name: i18n::name(&format!("category:{}", c.code), language, &c.name).to_string(),
            material: c.material,
            material_name: material_name(c.material, language),
            counted: c.counted,
            single_use_plastic: c.single_use_plastic,
            fishing: c.fishing,
            sanitary: c.sanitary,
            medical: c.medical,
            smoking: c.smoking,
            size_class: c.size_class,
        })
        .collect();
    CategoryList { version: format!("categories@{}", table_version("categories")), language, categories }
}

fn material_name(material: Material, language: Language) -> String {
    i18n::name(&format!("material:{}", material.as_str()), language, material.as_str()).to_string()
}

/// What a protocol records: samples are Tideline's own; every protocol records surveys.
fn records_of(protocol: Protocol) -> Vec<RecordKind> {
    match protocol {
        Protocol::Tideline => vec![RecordKind::Survey, RecordKind::Sample],
        _ => vec![RecordKind::Survey],
    }
}

/// Every protocol in brief.
pub fn protocols() -> Vec<ProtocolSummary> {
    Protocol::ALL
        .iter()
        .map(|p| ProtocolSummary {
            protocol: *p,
            version: p.mapping_version(),
            records: records_of(*p),
            items: p.table().rows().len(),
        })
        .collect()
}

const ENVELOPE_FIELDS_CSV: &str = include_str!("../../fixtures/protocols/envelope-fields.csv");

/// The envelope fields of these record kinds.
fn envelope_fields(records: &[RecordKind]) -> Vec<EnvelopeField> {
    read_csv(ENVELOPE_FIELDS_CSV, |field| {
        let record = field("record").parse::<RecordKind>().ok().filter(|r| records.contains(r))?;
        let unit = field("unit");
        Some(EnvelopeField {
            record,
            field: field("field"),
            required: field("required"),
            unit: (!unit.is_empty()).then_some(unit),
            description: field("description"),
        })
    })
    .into_iter()
    .flatten()
    .collect()
}

/// A protocol in full, names in `language`.
pub fn protocol(protocol: Protocol, language: Language) -> ProtocolDocument {
    let tree = CategoryTree::global();
    let items = protocol
        .table()
        .rows()
        .iter()
        .map(|row| {
            let category = tree.get(&row.category);
            ProtocolItem {
                code: row.source_code.clone(),
                name: row.source_name.clone(),
                presence_only: row.kind == RowKind::Presence,
                category: category.map(|c| c.code.clone()),
                category_name: category
                    .map(|c| i18n::name(&format!("category:{}", c.code), language, &c.name).to_string()),
                breakdown_of: row.breakdown_of.clone(),
                size_class: protocol.size_class_of(&row.source_code),
            }
        })
        .collect();
    ProtocolDocument {
        protocol,
        version: protocol.mapping_version(),
        language,
        fields: envelope_fields(&records_of(protocol)),
        size_suffixes: protocol.size_suffixes().to_vec(),
        items,
    }
}

/// How many names of each kind have a translation into each language: (language, kind,
/// translated, total), for the categories and the materials.
pub fn translation_coverage() -> Vec<(Language, &'static str, usize, usize)> {
    let categories: Vec<String> = CategoryTree::global().iter().map(|c| format!("category:{}", c.code)).collect();
    let materials: Vec<String> = Material::ALL.iter().map(|m| format!("material:{}", m.as_str())).collect();
    let mut rows = Vec::new();
    for language in Language::ALL {
        for (kind, keys) in [("categories", &categories), ("materials", &materials)] {
            let (translated, total) = i18n::coverage(keys.iter().map(String::as_str), *language);
            rows.push((*language, kind, translated, total));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_carries_every_category_with_its_material_named() {
        let english = categories(Language::En);
        assert_eq!(english.categories.len(), CategoryTree::global().len());
        let g21 = english.categories.iter().find(|c| c.code == "G21").expect("G21");
        assert_eq!(g21.material, Material::ArtificialPolymer);
        assert_eq!(g21.material_name, "Artificial polymer materials (plastic)");
        let korean = categories(Language::Ko);
        let g21 = korean.categories.iter().find(|c| c.code == "G21").expect("G21");
        assert_eq!(g21.material_name, "인공 고분자 재료(플라스틱)");
        // no category name is translated yet: the English name stays
        assert_eq!(g21.name, english.categories.iter().find(|c| c.code == "G21").unwrap().name);
    }

    #[test]
    fn a_protocol_lists_every_code_with_its_mapping_and_its_envelope() {
        let ospar = protocol(Protocol::Ospar, Language::En);
        assert_eq!(ospar.items.len(), Protocol::Ospar.table().rows().len());
        let bottles = ospar.items.iter().find(|i| i.code == "4").expect("OSPAR 4");
        assert_eq!(bottles.category.as_deref(), Some(Protocol::Ospar.resolve("4").unwrap().category.code.as_str()));
        assert!(ospar.fields.iter().all(|f| f.record == RecordKind::Survey));
        assert!(ospar.fields.iter().any(|f| f.field == "items" && f.required == "yes"));
        let native = protocol(Protocol::Tideline, Language::En);
        let matrix = native.fields.iter().find(|f| f.field == "matrix").expect("samples' matrix");
        assert_eq!((matrix.record, matrix.required.as_str()), (RecordKind::Sample, "yes"));
        assert_eq!(native.fields.iter().find(|f| f.field == "length_m").and_then(|f| f.unit.as_deref()), Some("m"));
    }
}
