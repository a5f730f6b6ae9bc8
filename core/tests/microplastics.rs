//! Flowmeter facts, concentrations by hand, vocabularies and errors of microplastic samples.

use chrono::NaiveDate;
use tideline_core::microplastics::flowmeter::{counts_between, distance_m, STANDARD_ROTOR_M_PER_COUNT};
use tideline_core::microplastics::vocabulary::{polymers, shapes, size_classes};
use tideline_core::microplastics::{normalise_sample, Matrix, Method, ParticleCount, SampleInput};
use tideline_core::stats::indices::DensityClass;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn particle(shape: &str, polymer: &str, size: &str, count: u32, i: usize) -> ParticleCount {
    ParticleCount {
        shape: shape.into(),
        polymer: polymer.into(),
        size_class: size.into(),
        count,
        pointer: format!("/particles/{i}"),
    }
}

fn manta() -> SampleInput {
    SampleInput {
        matrix: Matrix::SurfaceWater,
        method: Method::MantaNet,
        mesh_um: Some(333.0),
        date: NaiveDate::from_ymd_opt(2026, 5, 2).unwrap(),
        started_at: None,
        location: None,
        flowmeter: Some((0, 58_963)),
        rotor_m_per_count: None,
        tow_distance_m: None,
        tow_duration_min: None,
        net_width_m: Some(0.6),
        mouth_area_m2: Some(0.6 * 0.15),
        filtered_volume_m3: None,
        dry_mass_kg: None,
        area_m2: None,
        particles: vec![particle("fragment", "PE", "micro", 30, 0), particle("fibre", "polyester", "1-5 mm", 12, 1)],
    }
}

#[test]
fn flowmeter_distance_and_rollover_match_the_design_facts() {
    let (counts, rolled) = counts_between(0, 58_963);
    assert_eq!((counts, rolled), (58_963, false));
    // 58 963 × 26 873 / 999 999 = 1584.51 m
    assert_eq!((distance_m(counts, STANDARD_ROTOR_M_PER_COUNT) * 100.0).round() / 100.0, 1584.51);
    assert_eq!(counts_between(974_631, 55_274), (80_643, true));
}

#[test]
fn manta_tow_concentrations_by_hand() {
    let sample = normalise_sample(&manta(), today()).unwrap();
    let distance = 58_963.0 * 26_873.0 / 999_999.0;
    assert_eq!(sample.particle_count, 42);
    assert!((sample.distance_m.unwrap() - distance).abs() < 1e-9);
    // per km² = 42 / (1584.51 m × 0.6 m) × 10⁶ = 44 177.6
    let per_km2 = 42.0 / (distance * 0.6) * 1e6;
    assert!((sample.particles_per_km2.unwrap() - per_km2).abs() < 1e-6);
    assert_eq!(per_km2.round(), 44_178.0);
    // per m³ = 42 / (1584.51 × 0.09) = 0.2945
    let per_m3 = 42.0 / (distance * 0.09);
    assert!((sample.particles_per_m3.unwrap() - per_m3).abs() < 1e-12);
    assert_eq!(sample.density_class, Some(DensityClass::Medium));
    let polyester = sample.particles.iter().find(|p| p.shape == "fibre").unwrap();
    assert_eq!(
        (polyester.polymer.as_str(), polyester.size_class.as_str(), polyester.count),
        ("PET", "micro-1-5mm", 12)
    );
    assert!(sample.flags.is_empty());
}

#[test]
fn rollover_is_read_as_one_turn_and_flagged() {
    let mut input = manta();
    input.flowmeter = Some((974_631, 55_274));
    let sample = normalise_sample(&input, today()).unwrap();
    assert!((sample.distance_m.unwrap() - 80_643.0 * STANDARD_ROTOR_M_PER_COUNT).abs() < 1e-9);
    assert_eq!(sample.flags[0].code, "flowmeter_rollover");
}

#[test]
fn pump_sediment_and_quadrat_concentrations() {
    let mut pump = manta();
    pump.method = Method::Pump;
    pump.matrix = Matrix::RiverWater;
    pump.flowmeter = None;
    pump.filtered_volume_m3 = Some(2.0);
    let s = normalise_sample(&pump, today()).unwrap();
    assert_eq!(s.particles_per_m3, Some(21.0));
    assert_eq!(s.density_class, Some(DensityClass::VeryHigh));

    let mut grab = manta();
    grab.matrix = Matrix::BeachSediment;
    grab.method = Method::Grab;
    grab.flowmeter = None;
    grab.dry_mass_kg = Some(0.5);
    let s = normalise_sample(&grab, today()).unwrap();
    assert_eq!(s.particles_per_kg, Some(84.0));
    assert_eq!(s.density_class, None, "no water density class for sediment");

    let mut quadrat = grab.clone();
    quadrat.method = Method::Quadrat;
    quadrat.dry_mass_kg = None;
    quadrat.area_m2 = Some(0.25);
    assert_eq!(normalise_sample(&quadrat, today()).unwrap().particles_per_m2, Some(168.0));
}

#[test]
fn zero_or_missing_distances_are_errors_not_zeros() {
    let mut zero = manta();
    zero.flowmeter = Some((1234, 1234));
    let errors = normalise_sample(&zero, today()).unwrap_err();
    assert!(errors.iter().any(|e| e.pointer == "/flowmeter/end"), "{errors:?}");

    let mut missing = manta();
    missing.flowmeter = None;
    missing.net_width_m = None;
    missing.mouth_area_m2 = None;
    let errors = normalise_sample(&missing, today()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, vec!["/flowmeter", "/net_width_m"]);

    let mut negative = manta();
    negative.flowmeter = None;
    negative.tow_distance_m = Some(-5.0);
    let errors = normalise_sample(&negative, today()).unwrap_err();
    assert_eq!(errors[0].pointer, "/tow_distance_m");
}

#[test]
fn every_bad_particle_field_is_reported_at_once() {
    let mut input = manta();
    input.particles = vec![particle("blob", "PE", "micro", 1, 0), particle("film", "unobtainium", "huge", 2, 1)];
    input.date = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    let errors = normalise_sample(&input, today()).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, vec!["/date", "/particles/0/shape", "/particles/1/polymer", "/particles/1/size_class"]);
    assert!(errors[1].message.contains("fragment"), "lists the known shapes: {}", errors[1].message);
}

#[test]
fn vocabulary_aliases_resolve_in_any_case() {
    assert_eq!(shapes().resolve("Nurdle"), Some("pellet"));
    assert_eq!(shapes().resolve("microbeads"), Some("sphere"));
    assert_eq!(shapes().resolve("FIBER"), Some("fibre"));
    assert_eq!(polymers().resolve("Nylon"), Some("PA"));
    assert_eq!(polymers().resolve("polythene"), Some("PE"));
    assert_eq!(polymers().resolve("Acrylic"), Some("PMMA"));
    assert_eq!(size_classes().resolve("0.3-1 mm"), Some("micro-0.3-1mm"));
    assert_eq!(size_classes().resolve("mesoplastic"), Some("meso"));
    assert_eq!(shapes().resolve("spaghetti"), None);
}

#[test]
fn swapped_readings_are_an_error_and_a_genuine_rollover_a_flag_stating_the_tow() {
    // 796 602 → 782 380 read as a rollover would be a 26.5 km tow: swapped or mistyped
    let mut swapped = manta();
    swapped.flowmeter = Some((796_602, 782_380));
    let errors = normalise_sample(&swapped, today()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].pointer, "/flowmeter/end");
    assert!(errors[0].message.contains("26491 m tow"), "{}", errors[0].message);
    // 999 000 → 3 000: 4 000 counts, a 107 m tow — a genuine rollover, flagged with its distance
    let mut rolled = manta();
    rolled.flowmeter = Some((999_000, 3_000));
    let sample = normalise_sample(&rolled, today()).unwrap();
    assert!((sample.distance_m.unwrap() - 4_000.0 * STANDARD_ROTOR_M_PER_COUNT).abs() < 1e-9);
    let flag = sample.flags.iter().find(|f| f.code == "flowmeter_rollover").unwrap();
    assert!(flag.message.contains("107 m tow"), "{}", flag.message);
}

#[test]
fn samples_near_null_island_are_flagged() {
    let mut near = manta();
    near.location = Some(tideline_core::survey::GeoPoint { lat: 0.000135, lon: 0.00036 });
    let flags = normalise_sample(&near, today()).unwrap().flags;
    assert!(flags.iter().any(|f| f.code == "null_island" && f.pointer == "/location"), "{flags:?}");
    let mut away = manta();
    away.location = Some(tideline_core::survey::GeoPoint { lat: 0.02, lon: 0.0 });
    assert!(normalise_sample(&away, today()).unwrap().flags.is_empty());
}

/// Each quantity of a tow inside its usual band, in the doubtful band (stored, flagged with the
/// value it implies) and outside the hard range (refused naming field, value and range).
#[test]
fn tow_quantities_inside_doubtful_and_outside() {
    let codes = |sample: &SampleInput| -> Vec<(String, String)> {
        let normalised = normalise_sample(sample, today()).unwrap();
        normalised.flags.iter().map(|f| (f.code.clone(), f.pointer.clone())).collect()
    };
    let mut usual = manta();
    usual.tow_duration_min = Some(20.0); // 1584.5 m in 20 min: 1.32 m/s
    assert!(codes(&usual).is_empty(), "{:?}", codes(&usual));
    assert_eq!(normalise_sample(&usual, today()).unwrap().rotor_m_per_count, Some(STANDARD_ROTOR_M_PER_COUNT));

    // a 7.8 m tow: 290 counts
    let mut short = manta();
    short.flowmeter = Some((12, 302));
    let flags = normalise_sample(&short, today()).unwrap().flags;
    let flag = flags.iter().find(|f| f.code == "doubtful_value").unwrap();
    assert_eq!(flag.pointer, "/flowmeter");
    assert!(flag.message.starts_with("readings 12 → 302 imply a tow distance of 7.793 m"), "{}", flag.message);

    // 26.9 km in 20 min (no rollover: 0 → 999 999) implies 22.4 m/s
    let mut fast = manta();
    fast.flowmeter = Some((0, 999_999));
    fast.tow_duration_min = Some(20.0);
    let flags = normalise_sample(&fast, today()).unwrap().flags;
    let speed = flags.iter().find(|f| f.pointer == "/tow_duration_min").unwrap();
    assert!(
        speed.message.starts_with("a 26873 m tow in 20 min implies a tow speed of 22.394 m/s"),
        "{}",
        speed.message
    );

    // the 26.873 m "rotor constant" of the issue: refused, and it would imply a 1585 km tow
    let mut rotor = manta();
    rotor.rotor_m_per_count = Some(26.873);
    let errors = normalise_sample(&rotor, today()).unwrap_err();
    assert_eq!(errors[0].pointer, "/flowmeter/rotor_m_per_count");
    assert!(
        errors[0].message.contains("26.873 m per count is not a plausible rotor constant"),
        "{}",
        errors[0].message
    );
    // a low-speed rotor is usual; 0.2 m per count is doubtful
    rotor.rotor_m_per_count = Some(0.0517);
    assert!(codes(&rotor).is_empty());
    rotor.rotor_m_per_count = Some(0.2);
    rotor.flowmeter = Some((0, 5_000));
    assert!(codes(&rotor).contains(&("doubtful_value".into(), "/flowmeter/rotor_m_per_count".into())));

    // net width typed in centimetres: 61 m is refused; 4 m is doubtful
    let mut wide = manta();
    wide.net_width_m = Some(61.0);
    let errors = normalise_sample(&wide, today()).unwrap_err();
    assert_eq!((errors[0].pointer.as_str(), errors.len()), ("/net_width_m", 1));
    wide.net_width_m = Some(4.0);
    assert!(codes(&wide).contains(&("doubtful_value".into(), "/net_width_m".into())));

    // readings that imply more than 50 km with a plausible rotor constant are refused
    let mut far = manta();
    far.rotor_m_per_count = Some(0.09);
    far.flowmeter = Some((0, 900_000));
    let errors = normalise_sample(&far, today()).unwrap_err();
    assert_eq!(errors[0].pointer, "/flowmeter");
    assert!(errors[0].message.starts_with("readings 0 → 900000 imply a tow of 81000 m"), "{}", errors[0].message);

    // a tow duration of two days is refused
    let mut long = manta();
    long.tow_duration_min = Some(2_880.0);
    assert_eq!(normalise_sample(&long, today()).unwrap_err()[0].pointer, "/tow_duration_min");
}
