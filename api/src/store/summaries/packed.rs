//! The packed survey record of `site_month_surveys`: 141 bytes per survey, big-endian as
//! PostgreSQL's binary send functions write them (this module writes it on append, reads it,
//! and rewrites it when a survey leaves; the migration's `tideline_packed_survey` wrote the
//! rows of surveys stored before it, and a test checks that the two packings agree). A NULL
//! float is NaN with payload `0xb1e`, a NULL integer `i32::MIN`.

use chrono::NaiveDate;
use tideline_core::protocol::Protocol;
use tideline_core::stats::scope::SurveyPoint;
use tideline_core::survey::SurveyKind;

/// Bytes per survey.
pub const RECORD_LEN: usize = 141;

/// The bits a NULL float is written as (a NaN no arithmetic produces).
const NULL_F64: u64 = 0x7ff8_0000_0000_0b1e;

/// A packed row that is not a whole number of well-formed records.
#[derive(Debug, thiserror::Error)]
#[error("a packed summary is malformed: {0}")]
pub struct Malformed(&'static str);

/// What every survey of one summary row shares.
pub struct Group {
    /// Site.
    pub site_id: i64,
    /// Monitoring or cleanup.
    pub kind: SurveyKind,
    /// Source protocol.
    pub protocol: Protocol,
}

/// Reads fields off one record in order.
struct Fields<'a>(&'a [u8]);

impl Fields<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut field = [0; N];
        field.copy_from_slice(&self.0[..N]);
        self.0 = &self.0[N..];
        field
    }
    fn i64(&mut self) -> i64 {
        i64::from_be_bytes(self.take())
    }
    fn count(&mut self) -> u64 {
        self.i64().max(0) as u64
    }
    fn f64(&mut self) -> Option<f64> {
        let bits = u64::from_be_bytes(self.take());
        (bits != NULL_F64).then_some(f64::from_bits(bits))
    }
    fn i32(&mut self) -> Option<u32> {
        let value = i32::from_be_bytes(self.take());
        (value != i32::MIN).then_some(value.max(0) as u32)
    }
}

/// Days from PostgreSQL's epoch (2000-01-01) to a date.
fn pg_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

/// The surveys of one packed row, with their ids.
pub fn decode(group: &Group, packed: &[u8]) -> Result<Vec<(i64, SurveyPoint)>, Malformed> {
    if !packed.len().is_multiple_of(RECORD_LEN) {
        return Err(Malformed("not a whole number of records"));
    }
    let mut surveys = Vec::with_capacity(packed.len() / RECORD_LEN);
    for record in packed.chunks_exact(RECORD_LEN) {
        let mut f = Fields(record);
        let id = f.i64();
        let days = i32::from_be_bytes(f.take());
        let date = pg_epoch()
            .checked_add_signed(chrono::Duration::days(days.into()))
            .ok_or(Malformed("a date out of range"))?;
        let length_m = f.f64();
        let (total_items, plastic_items, sup_items, fishing_items) = (f.count(), f.count(), f.count(), f.count());
        let (items_per_100m, threshold_items_per_100m) = (f.f64(), f.f64());
        let eu_eligible = f.take::<1>()[0] != 0;
        let (items_per_m2, cci, participants, mass_kg, bags) = (f.f64(), f.f64(), f.i32(), f.f64(), f.i32());
        let point = SurveyPoint {
            site_id: Some(group.site_id),
            date,
            protocol: Some(group.protocol),
            kind: group.kind,
            total_items,
            length_m,
            plastic_items,
            sup_items,
            fishing_items,
            items_per_100m,
            threshold_items_per_100m,
            eu_eligible,
            items_per_m2,
            cci,
            participants,
            mass_kg,
            bags,
            items_per_100m2: f.f64(),
            total_weight_g: f.f64(),
            grams_per_100m2: f.f64(),
            kg_per_100m: f.f64(),
            grams_per_m: f.f64(),
        };
        surveys.push((id, point));
    }
    Ok(surveys)
}

/// Packs surveys as the migration's function does.
pub fn encode(surveys: &[(i64, SurveyPoint)]) -> Vec<u8> {
    let mut packed = Vec::with_capacity(surveys.len() * RECORD_LEN);
    let float = |packed: &mut Vec<u8>, v: Option<f64>| packed.extend(v.map_or(NULL_F64, f64::to_bits).to_be_bytes());
    let int = |packed: &mut Vec<u8>, v: Option<u32>| {
        packed.extend(v.map_or(i32::MIN, |v| v.min(i32::MAX as u32) as i32).to_be_bytes())
    };
    for (id, p) in surveys {
        packed.extend(id.to_be_bytes());
        packed.extend(((p.date - pg_epoch()).num_days() as i32).to_be_bytes());
        float(&mut packed, p.length_m);
        for count in [p.total_items, p.plastic_items, p.sup_items, p.fishing_items] {
            packed.extend((count as i64).to_be_bytes());
        }
        float(&mut packed, p.items_per_100m);
        float(&mut packed, p.threshold_items_per_100m);
        packed.push(u8::from(p.eu_eligible));
        float(&mut packed, p.items_per_m2);
        float(&mut packed, p.cci);
        int(&mut packed, p.participants);
        float(&mut packed, p.mass_kg);
        int(&mut packed, p.bags);
        for v in [p.items_per_100m2, p.total_weight_g, p.grams_per_100m2, p.kg_per_100m, p.grams_per_m] {
            float(&mut packed, v);
        }
    }
    packed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_with_its_nulls_and_is_141_bytes() {
        let point = SurveyPoint {
            site_id: Some(7),
            date: NaiveDate::from_ymd_opt(1999, 12, 31).unwrap(),
            protocol: Some(Protocol::Ospar),
            kind: SurveyKind::Cleanup,
            total_items: 412,
            length_m: Some(100.0),
            plastic_items: 300,
            sup_items: 12,
            fishing_items: 0,
            items_per_100m: Some(412.0),
            threshold_items_per_100m: None,
            eu_eligible: true,
            items_per_m2: Some(-0.0),
            cci: None,
            participants: Some(0),
            mass_kg: Some(f64::MIN_POSITIVE),
            bags: None,
            items_per_100m2: None,
            total_weight_g: Some(1e300),
            grams_per_100m2: None,
            kg_per_100m: Some(0.1),
            grams_per_m: None,
        };
        let group = Group { site_id: 7, kind: SurveyKind::Cleanup, protocol: Protocol::Ospar };
        let packed = encode(&[(42, point.clone()), (43, point.clone())]);
        assert_eq!(packed.len(), 2 * RECORD_LEN);
        let decoded = decode(&group, &packed).unwrap();
        assert_eq!(decoded, vec![(42, point.clone()), (43, point)]);
        assert_eq!(decoded[0].1.items_per_m2.map(f64::to_bits), Some((-0.0f64).to_bits()), "bit-exact");
        assert!(decode(&group, &packed[1..]).is_err());
    }
}
