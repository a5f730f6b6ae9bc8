//! The canonical tree and every protocol's mapping table: complete, consistent, resolvable.

use std::collections::BTreeSet;

use tideline_core::category::{CategoryTree, Material, SizeClass, TreeError};
use tideline_core::protocol::{ospar, MappingError, Protocol, RowKind};

const MASTER_LIST: &str = include_str!("../../fixtures/external/reference/master-list-gcodes.csv");

fn master_list_codes() -> Vec<String> {
    let mut reader = csv::Reader::from_reader(MASTER_LIST.as_bytes());
    reader.records().map(|r| r.unwrap()[0].trim().to_string()).collect()
}

#[test]
fn all_164_master_list_codes_are_categories_with_their_material() {
    let tree = CategoryTree::global();
    let codes = master_list_codes();
    assert_eq!(codes.len(), 164);
    for code in &codes {
        let category = tree.get(code).unwrap_or_else(|| panic!("{code} missing"));
        assert!(category.origin.starts_with("TG-ML"), "{code}");
    }
    assert_eq!(tree.get("G27").unwrap().material, Material::ArtificialPolymer);
    assert_eq!(tree.get("G175").unwrap().material, Material::Metal);
    let (buds, syringes) = (tree.get("G95").unwrap(), tree.get("G99").unwrap());
    assert_eq!(
        (buds.material, buds.sanitary),
        (Material::ArtificialPolymer, true),
        "cotton buds: plastic, a sanitary use"
    );
    assert_eq!((syringes.material, syringes.medical), (Material::ArtificialPolymer, true));
    assert!(tree.get("G27").unwrap().smoking);
    assert!(!tree.get("G213").unwrap().counted, "paraffin/wax is not counted");
    assert_eq!(tree.get("G78").unwrap().size_class, SizeClass::Meso);
}

/// The Master List's `category` column, in the canonical material's words.
fn master_list_material(category: &str) -> Material {
    match category {
        "Plastic" => Material::ArtificialPolymer,
        "Rubber" => Material::Rubber,
        "Cloth/textile" => Material::ClothTextile,
        "Paper/Cardboard" => Material::PaperCardboard,
        "Processed/worked wood" => Material::ProcessedWood,
        "Metal" => Material::Metal,
        "Glass/ceramics" => Material::GlassCeramics,
        "Chemicals" => Material::Chemicals,
        "unidentified" => Material::Unidentified,
        other => panic!("a Master List category this test does not know: {other}"),
    }
}

#[test]
fn every_g_code_has_the_material_the_master_list_gives_it() {
    let tree = CategoryTree::global();
    let mut reader = csv::Reader::from_reader(MASTER_LIST.as_bytes());
    let mut checked = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let (code, category) = (record[0].trim(), record[1].trim());
        assert_eq!(tree.get(code).unwrap().material, master_list_material(category), "{code} ({})", &record[2]);
        checked += 1;
    }
    assert_eq!(checked, 164);
}

#[test]
fn groups_over_several_materials_are_mixed_and_composition_keeps_each_child_s_material() {
    let tree = CategoryTree::global();
    let buds = tree.get("GRP-cotton-buds").unwrap();
    assert_eq!(buds.material, Material::Mixed);
    let materials: BTreeSet<Material> = tree.children("GRP-cotton-buds").map(|c| c.material).collect();
    assert_eq!(materials, BTreeSet::from([Material::ArtificialPolymer, Material::PaperCardboard]));
    assert!(tree.children("GRP-cotton-buds").all(|c| c.sanitary), "the use holds for every child");
}

#[test]
fn coarser_sources_map_to_group_nodes_over_the_finer_codes() {
    let tree = CategoryTree::global();
    let children = |code: &str| tree.children(code).map(|c| c.code.clone()).collect::<BTreeSet<_>>();
    let drinks = Protocol::Ospar.resolve("4").unwrap().category.code.clone();
    assert_eq!(children(&drinks), BTreeSet::from(["G7".to_string(), "G8".to_string()]));
    let cutlery = Protocol::Ospar.resolve("Plastic: Cutlery [22]").unwrap().category.code.clone();
    assert_eq!(children(&cutlery), BTreeSet::from(["G34".to_string(), "G35".to_string()]));
    assert_eq!(tree.top_level("G79").unwrap().code, "GRP-plastic-pieces-macro");
    let lineage: Vec<&str> = tree.lineage("G21").iter().map(|c| c.code.as_str()).collect();
    assert_eq!(lineage, vec!["G21", "GRP-plastic-caps", "GRP-caps-lids"]);
}

#[test]
fn every_mapping_row_of_every_protocol_resolves_to_a_canonical_node() {
    let tree = CategoryTree::global();
    for protocol in Protocol::ALL {
        let rows = protocol.table().rows();
        assert!(!rows.is_empty(), "{protocol}");
        for row in rows.iter().filter(|r| r.kind == RowKind::Count) {
            assert!(tree.get(&row.category).is_some(), "{protocol} {} → {}", row.source_code, row.category);
            let by_code = protocol.resolve(&row.source_code).unwrap();
            assert_eq!(by_code.category.code, row.category);
            let by_name = protocol.resolve(&row.source_name.to_uppercase()).unwrap();
            assert_eq!(by_name.category.code, row.category, "names match in any case");
        }
    }
}

#[test]
fn coverage_table_lists_every_source_code() {
    let coverage = Protocol::Ospar.coverage();
    assert_eq!(coverage.len(), 147, "146 OSPAR types + the pellets presence field");
    assert!(coverage.contains(&("15".into(), "Plastic: Caps [15]".into(), "GRP-plastic-caps".into())));
    assert_eq!(Protocol::Tideline.coverage().len(), CategoryTree::global().len());
}

#[test]
fn unknown_codes_are_errors_naming_code_and_protocol() {
    let err = Protocol::Ospar.resolve("Plastic: Spaceship [999]").unwrap_err();
    assert_eq!(err, MappingError::UnknownCode { protocol: Protocol::Ospar, code: "Plastic: Spaceship [999]".into() });
    assert!(err.to_string().contains("ospar") && err.to_string().contains("Spaceship"));
    assert!(Protocol::Mlw.resolve("G999").is_err());
    assert!(Protocol::Tides.resolve("Unicorn Horns").is_err());
    assert!(matches!(Protocol::Ospar.resolve("998"), Err(MappingError::NotACount { .. })));
}

#[test]
fn ospar_counted_flag_agrees_with_litter_included_for_every_type() {
    for row in ospar::table().rows().iter().filter(|r| r.kind == RowKind::Count) {
        let mapping = Protocol::Ospar.resolve(&row.source_code).unwrap();
        assert_eq!(mapping.counted(), row.source_included == Some(true), "OSPAR {}", row.source_name);
    }
}

/// SUP, FISH and material agree with litteR's groups except for the documented types
/// (fixtures/protocols/README.md).
#[test]
fn ospar_groups_agree_with_litter_except_documented_types() {
    let fish_exceptions = ["80", "87"];
    let material_exceptions = ["64", "121", "99", "101", "103", "104"];
    for row in ospar::table().rows().iter().filter(|r| r.kind == RowKind::Count) {
        let category = Protocol::Ospar.resolve(&row.source_code).unwrap().category;
        let has = |g: &str| row.source_groups.iter().any(|x| x == g);
        if row.source_code == "982" {
            // paper cotton-bud sticks: a breakdown of 98 (all buds, SUP); not plastic, so not SUP
            assert!(category.single_use_plastic && !has("SUP"));
        } else {
            assert_eq!(category.single_use_plastic, has("SUP"), "SUP of OSPAR {}", row.source_name);
        }
        if !fish_exceptions.contains(&row.source_code.as_str()) {
            assert_eq!(category.fishing, has("FISH"), "FISH of OSPAR {}", row.source_name);
        } else {
            assert!(category.fishing && !has("FISH"));
        }
        let allowed: Vec<Material> = [
            ("PLASTIC", Material::ArtificialPolymer),
            ("RUBBER", Material::Rubber),
            ("CLOTH", Material::ClothTextile),
            ("PAPER", Material::PaperCardboard),
            ("WOOD", Material::ProcessedWood),
            ("METAL", Material::Metal),
            ("GLASS", Material::GlassCeramics),
            ("POTTERY", Material::GlassCeramics),
            ("WAX", Material::Chemicals),
        ]
        .into_iter()
        .filter(|(g, _)| has(g))
        .map(|(_, m)| m)
        .collect();
        // sanitary and medical are uses in the canonical tree, flags rather than materials
        assert_eq!(category.sanitary, has("SAN"), "SAN of OSPAR {}", row.source_name);
        assert_eq!(category.medical, has("MED"), "MED of OSPAR {}", row.source_name);
        if material_exceptions.contains(&row.source_code.as_str()) {
            assert_eq!(category.material, Material::ArtificialPolymer, "{}", row.source_name);
        } else if !allowed.is_empty() {
            assert!(
                allowed.contains(&category.material),
                "material of OSPAR {}: {}",
                row.source_name,
                category.material
            );
        }
    }
}

#[test]
fn a_broken_table_is_rejected_with_the_reason() {
    let header = "code,parent,name,material,counted,sup,fishing,sanitary,medical,smoking,size_class,origin\n";
    let orphan = format!("{header}G1,GRP-x,Yokes,artificial_polymer,x,x,,,,,macro,t\n");
    assert!(matches!(CategoryTree::parse(&orphan), Err(TreeError::BadParent { .. })));
    let mixed = format!("{header}GRP-a,,A,metal,x,,,,,,macro,t\nG1,GRP-a,Yokes,artificial_polymer,x,,,,,,macro,t\n");
    assert!(matches!(CategoryTree::parse(&mixed), Err(TreeError::Inconsistent { rule: "of one material", .. })));
    let declared = format!("{header}GRP-a,,A,mixed,x,,,,,,macro,t\nG1,GRP-a,Yokes,artificial_polymer,x,,,,,,macro,t\n");
    assert!(CategoryTree::parse(&declared).is_ok(), "a mixed group holds any material");
    let sup = format!("{header}GRP-a,,A,metal,x,x,,,,,macro,t\nG1,GRP-a,Yokes,metal,x,,,,,,macro,t\n");
    assert!(matches!(CategoryTree::parse(&sup), Err(TreeError::Inconsistent { rule: "single-use plastic", .. })));
    let sanitary = format!("{header}GRP-a,,A,mixed,x,,,x,,,macro,t\nG1,GRP-a,Buds,metal,x,,,,,,macro,t\n");
    assert!(matches!(CategoryTree::parse(&sanitary), Err(TreeError::Inconsistent { rule: "sanitary", .. })));
    let twice = format!("{header}G1,,Yokes,metal,x,,,,,,macro,t\nG1,,Yokes,metal,x,,,,,,macro,t\n");
    assert_eq!(CategoryTree::parse(&twice).unwrap_err(), TreeError::Duplicate("G1".into()));
    let material = format!("{header}G1,,Yokes,kryptonite,x,,,,,,macro,t\n");
    assert!(matches!(CategoryTree::parse(&material), Err(TreeError::Row { line: 2, .. })));
}

#[test]
fn every_table_has_a_version_in_versions_csv() {
    for protocol in Protocol::ALL {
        assert!(tideline_core::protocol::table_version(protocol.as_str()) >= 1, "{protocol}");
    }
    assert_eq!(tideline_core::protocol::table_version("categories"), 4);
    assert_eq!(Protocol::Ospar.mapping_version(), "ospar@2+categories@4");
}

#[test]
fn doubtful_source_rows_map_where_their_source_says() {
    let category = |protocol: Protocol, code: &str| protocol.resolve(code).unwrap().category.code.clone();
    // MDMAP: the later datasheet's material headings resolve like the 2012 ones
    assert_eq!(
        category(Protocol::Mdmap, "Processed Wood: other"),
        category(Protocol::Mdmap, "processed lumber: other")
    );
    assert_eq!(category(Protocol::Mdmap, "Fabric: fabric pieces"), "G145");
    assert_eq!(category(Protocol::Mdmap, "Other: other"), "TL-other-unidentified");
    // TIDES: the classic card's Bags name no material; the list's Lids (Plastic) are lids of any use
    assert_eq!(category(Protocol::Tides, "Bags"), "TL-bags-any");
    assert!(!CategoryTree::global().get("TL-bags-any").unwrap().is_plastic());
    assert_eq!(category(Protocol::Tides, "Lids (Plastic)"), "G23");
    // tobacco packaging holds plastic wrap (G25) and paper packets (G152)
    let tobacco = category(Protocol::Tides, "Tobacco Packaging/Wrap");
    let children: BTreeSet<String> = CategoryTree::global().children(&tobacco).map(|c| c.code.clone()).collect();
    assert_eq!(children, BTreeSet::from(["G152".to_string(), "G25".to_string()]));
    // OSPAR 92 is the sheet's "light bulbs/tubes"
    assert_eq!(category(Protocol::Ospar, "92"), "GRP-light-bulbs-tubes");
}
