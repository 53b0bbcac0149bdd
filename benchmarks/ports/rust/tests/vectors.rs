//! Holds the port to benchmarks/workloads/test_vectors.json: every building
//! block's vectors and each registered workload's small-size checksum and
//! unit count.

use memstrat_rust::checksum::Checksum;
use memstrat_rust::hash::{fnv1a32, fnv1a32_word, FnvBuildHasher};
use memstrat_rust::json::Json;
use memstrat_rust::random::{fmix32, mul_high32, Rng};
use memstrat_rust::registry;
use memstrat_rust::UnitCounter;
use std::hash::{BuildHasher, Hasher};

const VECTORS: &str = include_str!("../../../workloads/test_vectors.json");

fn vectors() -> Json {
    Json::parse(VECTORS).expect("test_vectors.json parses")
}

fn draw_rng(v: &Json) -> Rng {
    Rng::new(v.get("draw_seed").hex64())
}

#[test]
fn generator_states_and_outputs() {
    let v = vectors();
    assert_eq!(v.get("generator").arr().len(), 4);
    for case in v.get("generator").arr() {
        let mut rng = Rng::new(case.get("seed").hex64());
        let state: Vec<i64> = case.get("state").arr().iter().map(Json::int).collect();
        let got: Vec<i64> = rng.state().iter().map(|&w| w as i64).collect();
        assert_eq!(got, state, "state of seed {}", case.get("seed").str());
        for (i, want) in case.get("next").arr().iter().enumerate() {
            assert_eq!(rng.next() as i64, want.int(), "draw {i}");
        }
    }
}

#[test]
fn below_between_chance_skewed() {
    let v = vectors();
    for case in v.get("below").arr() {
        let mut rng = draw_rng(&v);
        let n = case.get("n").int() as u32;
        for want in case.get("out").arr() {
            assert_eq!(rng.below(n) as i64, want.int(), "below({n})");
        }
    }
    for case in v.get("between").arr() {
        let mut rng = draw_rng(&v);
        let (lo, hi) = (case.get("lo").int(), case.get("hi").int());
        for want in case.get("out").arr() {
            assert_eq!(rng.between(lo, hi), want.int(), "between({lo}, {hi})");
        }
    }
    for case in v.get("chance").arr() {
        let mut rng = draw_rng(&v);
        let (num, den) = (case.get("num").int() as u32, case.get("den").int() as u32);
        for want in case.get("out").arr() {
            assert_eq!(rng.chance(num, den), want.bool(), "chance({num}, {den})");
        }
    }
    for case in v.get("skewed").arr() {
        let mut rng = draw_rng(&v);
        let (n, power) = (case.get("n").int() as u32, case.get("power").int() as u32);
        for want in case.get("out").arr() {
            assert_eq!(
                rng.skewed(n, power) as i64,
                want.int(),
                "skewed({n}, {power})"
            );
        }
    }
}

#[test]
fn fmix32_and_mul_high32() {
    let v = vectors();
    for case in v.get("fmix32").arr() {
        let x = case.get("in").int() as u32;
        assert_eq!(fmix32(x) as i64, case.get("out").int(), "fmix32({x})");
    }
    for case in v.get("mul_high32").arr() {
        let (a, b) = (case.get("a").int() as u32, case.get("b").int() as u32);
        assert_eq!(
            mul_high32(a, b) as i64,
            case.get("out").int(),
            "mul_high32({a}, {b})"
        );
    }
}

#[test]
fn checksum_sequences() {
    let v = vectors();
    let cases = v.get("checksum").arr();
    assert_eq!(cases.len(), 7);
    for case in cases {
        let mut c = Checksum::new();
        if case.has("add32") {
            for w in case.get("add32").arr() {
                c.add32(w.int() as u32);
            }
        } else {
            for w in case.get("add").arr() {
                c.add(w.hex64());
            }
        }
        assert_eq!(c.value(), case.get("value").hex64(), "{case:?}");
    }
}

#[test]
fn fnv1a32_vectors() {
    let v = vectors();
    for case in v.get("fnv1a32").arr() {
        let s = case.get("in").str();
        assert_eq!(
            fnv1a32(s.as_bytes()) as i64,
            case.get("out").int(),
            "fnv1a32({s:?})"
        );
        // The BuildHasher the maps use hashes the same bytes the same way.
        let mut h = FnvBuildHasher.build_hasher();
        h.write(s.as_bytes());
        assert_eq!(h.finish() as i64, case.get("out").int());
    }
    for case in v.get("fnv1a32_word").arr() {
        let (h, w) = (case.get("h").int() as u32, case.get("word").int() as u32);
        assert_eq!(fnv1a32_word(h, w) as i64, case.get("out").int());
    }
}

#[test]
fn every_registered_workload_matches_its_vector() {
    let v = vectors();
    let expected = v.get("workload_checksums");
    let registered = registry::workloads();
    assert!(!registered.is_empty());
    // Every mismatch at once, not only the first.
    let mut wrong = Vec::new();
    for w in registered {
        let e = expected.get(w.name);
        assert_eq!(
            e.get("params").obj().len(),
            w.param_names.len(),
            "{}",
            w.name
        );
        for (name, value) in w.param_names.iter().zip(w.small) {
            assert_eq!(e.get("params").get(name).int(), *value, "{} {name}", w.name);
        }
        assert_eq!(e.get("unit").str(), w.unit, "{}", w.name);
        let mut counter = UnitCounter::default();
        let checksum = (w.run)(w.small, &mut counter).expect("small params are valid");
        let got = format!("0x{checksum:016x}");
        if got != e.get("checksum").str() || counter.units as i64 != e.get("units").int() {
            wrong.push(format!(
                "{}: checksum {got} units {}, want {} units {}",
                w.name,
                counter.units,
                e.get("checksum").str(),
                e.get("units").int()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_workload_of_the_vectors_is_registered() {
    let v = vectors();
    let mut want: Vec<&str> = v
        .get("workload_checksums")
        .obj()
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    let mut got: Vec<&str> = registry::workloads().iter().map(|w| w.name).collect();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want);
}

#[test]
fn bad_parameters_are_refused() {
    for w in registry::workloads() {
        let mut counter = UnitCounter::default();
        let minus = vec![-1i64; w.param_names.len()];
        assert!((w.run)(&minus, &mut counter).is_err(), "{}", w.name);
        assert!((w.run)(&[], &mut counter).is_err(), "{}", w.name);
    }
}
