//! graph_walk: random graphs as adjacency lists, searched breadth-first and
//! dropped; pointer-rich structures and traversal locality. Edges are
//! vertex indices into the graph's Vec of Box owners (Rust's one-owner
//! rule: a vertex cannot own its neighbours).

use std::collections::VecDeque;

use crate::checksum::Checksum;
use crate::random::Rng;
use crate::{make, Observer};

pub const NAME: &str = "graph_walk";
pub const UNIT: &str = "vertex";
pub const PARAM_NAMES: &[&str] = &["vertices", "degree"];
pub const SMALL: &[i64] = &[1000, 4];
pub const DEFAULT: &[i64] = &[100000, 8];

const SEED: u64 = 0x6772_6170;
const GRAPHS: u64 = 4;
const VERTICES_PER_UNIT: usize = 256;

pub struct Params {
    pub vertices: u32,
    pub degree: u32,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [n, d] if *n >= 1 && *d >= 0 && *n <= 1 << 31 && *d <= 1 << 16 => Ok(Params {
            vertices: *n as u32,
            degree: *d as u32,
        }),
        _ => Err("graph_walk: vertices must be in [1, 2^31], degree in [0, 2^16]".into()),
    }
}

struct Vertex {
    id: u32,
    /// -1 until reached.
    distance: i64,
    edges: Vec<u32>,
}

fn unit(i: usize, obs: &mut dyn Observer) {
    if (i + 1) % VERTICES_PER_UNIT == 0 {
        obs.unit_done();
    }
}

pub fn run(p: &Params, obs: &mut dyn Observer) -> u64 {
    let mut sum = Checksum::new();
    let n = p.vertices as usize;
    for g in 0..GRAPHS {
        let mut rng = Rng::new(SEED + g);
        let mut vertices: Vec<Box<Vertex>> = Vec::with_capacity(n);
        for i in 0..n {
            vertices.push(make(Vertex {
                id: i as u32,
                distance: -1,
                edges: Vec::new(),
            }));
            unit(i, obs);
        }
        for i in 0..n - 1 {
            vertices[i].edges.push(i as u32 + 1);
        }
        for _ in 0..p.degree {
            for i in 0..n {
                let to = rng.below(p.vertices);
                vertices[i].edges.push(to);
                unit(i, obs);
            }
        }
        let mut queue: VecDeque<u32> = VecDeque::new();
        let mut reached: u64 = 1;
        let mut edges_seen: u64 = 0;
        vertices[0].distance = 0;
        queue.push_back(0);
        let mut searched = 0usize;
        while let Some(v) = queue.pop_front() {
            let v = v as usize;
            let (id, distance) = (vertices[v].id, vertices[v].distance);
            sum.add32(id);
            sum.add32(distance as u32);
            edges_seen += vertices[v].edges.len() as u64;
            for k in 0..vertices[v].edges.len() {
                let to = vertices[v].edges[k];
                let w = &mut vertices[to as usize];
                if w.distance < 0 {
                    w.distance = distance + 1;
                    queue.push_back(to);
                    reached += 1;
                }
            }
            unit(searched, obs);
            searched += 1;
        }
        sum.add(reached);
        sum.add(edges_seen);
        // Released in index order, as the Vec drops its elements.
        drop(vertices);
    }
    sum.value()
}
