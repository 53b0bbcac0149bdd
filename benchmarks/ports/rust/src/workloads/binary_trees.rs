//! binary_trees (GCBench / Benchmarks Game): many short-lived complete
//! binary trees beside one long-lived tree. No random draws.

use crate::checksum::Checksum;
use crate::{make, Observer};

pub const NAME: &str = "binary_trees";
pub const UNIT: &str = "tree";
pub const PARAM_NAMES: &[&str] = &["depth"];
pub const SMALL: &[i64] = &[10];
pub const DEFAULT: &[i64] = &[16];

pub struct Params {
    pub depth: u32,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [d] if (4..=24).contains(d) => Ok(Params { depth: *d as u32 }),
        _ => Err("binary_trees: depth must be in [4, 24]".into()),
    }
}

// Drop frees the left subtree before the right (field order); the spec
// leaves the free order open. Recursion is at most depth + 2 deep.
struct Node {
    item: i64,
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

fn tree(item: i64, depth: u32) -> Box<Node> {
    if depth == 0 {
        return make(Node {
            item,
            left: None,
            right: None,
        });
    }
    let left = tree(2 * item - 1, depth - 1);
    let right = tree(2 * item, depth - 1);
    make(Node {
        item,
        left: Some(left),
        right: Some(right),
    })
}

/// (nodes, items)
fn check(t: &Node) -> (u64, i64) {
    match (&t.left, &t.right) {
        (Some(l), Some(r)) => {
            let (ln, li) = check(l);
            let (rn, ri) = check(r);
            (1 + ln + rn, t.item + li - ri)
        }
        _ => (1, t.item),
    }
}

fn add_check(sum: &mut Checksum, t: &Node) {
    let (nodes, items) = check(t);
    sum.add32(nodes as u32);
    sum.add32(items as u32);
}

pub fn run(p: &Params, obs: &mut dyn Observer) -> u64 {
    let mut sum = Checksum::new();
    {
        let stretch = tree(0, p.depth + 1);
        add_check(&mut sum, &stretch);
        obs.unit_done();
    }
    let long_lived = tree(0, p.depth);
    let mut d = 4;
    while d <= p.depth {
        let iterations = 2 * ((1u64 << (p.depth + 1)) - 1) / ((1u64 << (d + 1)) - 1);
        for i in 0..iterations {
            let t = tree(i as i64, d);
            add_check(&mut sum, &t);
            drop(t);
            obs.unit_done();
        }
        d += 2;
    }
    add_check(&mut sum, &long_lived);
    obs.unit_done();
    drop(long_lived);
    sum.value()
}
