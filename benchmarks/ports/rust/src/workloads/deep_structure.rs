//! deep_structure: a very long singly linked list built and dropped; the
//! long free, millions of frees in one pause.

use crate::checksum::Checksum;
use crate::hash::fnv1a32_word;
use crate::random::Rng;
use crate::{make, Observer};

pub const NAME: &str = "deep_structure";
pub const UNIT: &str = "node";
pub const PARAM_NAMES: &[&str] = &["length"];
pub const SMALL: &[i64] = &[20000];
pub const DEFAULT: &[i64] = &[3000000];

const SEED: u64 = 0xdee9_5747_0c70_0001;
const NODES_PER_UNIT: u64 = 256;

pub struct Params {
    pub length: u64,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [n] if *n >= 1 && *n <= 1 << 40 => Ok(Params { length: *n as u64 }),
        _ => Err("deep_structure: length must be positive".into()),
    }
}

// The derived Drop of a Box chain recurses once per node and overflows an
// 8 MB stack near a million nodes (as the C++ unique_ptr cascade does), so
// the teardown below is a loop that unlinks each successor first.
struct Node {
    value: u32,
    next: Option<Box<Node>>,
}

pub fn run(p: &Params, obs: &mut dyn Observer) -> u64 {
    let mut sum = Checksum::new();
    let mut rng = Rng::new(SEED);
    let mut head: Option<Box<Node>> = None;
    let mut tail = &mut head;
    for i in 0..p.length {
        let node = tail.insert(make(Node {
            value: rng.next(),
            next: None,
        }));
        tail = &mut node.next;
        if (i + 1) % NODES_PER_UNIT == 0 {
            obs.unit_done();
        }
    }
    let mut h = 0u32;
    let mut count: u64 = 0;
    let mut cursor = head.as_deref();
    while let Some(node) = cursor {
        h = fnv1a32_word(h, node.value);
        count += 1;
        if count % NODES_PER_UNIT == 0 {
            obs.unit_done();
        }
        cursor = node.next.as_deref();
    }
    sum.add32(h);
    sum.add(count);
    let mut released = 0u32;
    let mut cursor = head;
    while let Some(mut node) = cursor {
        cursor = node.next.take();
        released = released.wrapping_add(node.value);
        drop(node);
    }
    sum.add32(released);
    sum.value()
}
