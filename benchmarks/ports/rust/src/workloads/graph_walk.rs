//! graph_walk: random graphs as adjacency lists, searched breadth-first and
//! dropped; pointer-rich structures and traversal locality. Edges are
//! vertex indices into the graph's Vec of owners (Rust's one-owner rule: a
//! vertex cannot own its neighbours; the C++'s edges own nothing either).

use std::collections::VecDeque;

use crate::checksum::Checksum;
use crate::random::Rng;
use crate::strategy::{Growable, MakeMut, Owner};
use crate::{bulk, Observer};

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

pub struct Vertex<E> {
    id: u32,
    /// -1 until reached.
    distance: i64,
    edges: E,
}

/// A vertex is changed after it is made (edges, distance): Rc<RefCell>
/// under rc; its edges grow (a Vec, or an arena array).
pub trait Graphs: Growable<u32> + MakeMut<Vertex<<Self as Growable<u32>>::Vec>> {}
impl<S: Growable<u32> + MakeMut<Vertex<<S as Growable<u32>>::Vec>>> Graphs for S {}

type Own<S> = <S as MakeMut<Vertex<<S as Growable<u32>>::Vec>>>::Own;

fn unit<O: Observer + ?Sized>(i: usize, obs: &mut O) {
    if (i + 1) % VERTICES_PER_UNIT == 0 {
        obs.unit_done();
    }
}

pub fn run<S: Graphs, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let n = p.vertices as usize;
    let run_epoch = s.begin_epoch();
    for g in 0..GRAPHS {
        let epoch = s.begin_epoch();
        let mut rng = Rng::new(SEED + g);
        let mut vertices: Vec<Own<S>> = Vec::with_capacity(n);
        for i in 0..n {
            vertices.push(s.make_mut(Vertex {
                id: i as u32,
                distance: -1,
                edges: Default::default(),
            }));
            unit(i, obs);
        }
        for i in 0..n - 1 {
            vertices[i].with_mut(|v| s.push(&mut v.edges, i as u32 + 1));
        }
        for _ in 0..p.degree {
            for i in 0..n {
                let to = rng.below(p.vertices);
                vertices[i].with_mut(|v| s.push(&mut v.edges, to));
                unit(i, obs);
            }
        }
        let mut queue: VecDeque<u32> = VecDeque::new();
        let mut reached: u64 = 1;
        let mut edges_seen: u64 = 0;
        vertices[0].with_mut(|v| v.distance = 0);
        queue.push_back(0);
        let mut searched = 0usize;
        while let Some(v) = queue.pop_front() {
            let v = v as usize;
            let (id, distance, len) = vertices[v].with(|x| (x.id, x.distance, x.edges.len()));
            sum.add32(id);
            sum.add32(distance as u32);
            edges_seen += len as u64;
            for k in 0..len {
                let to = vertices[v].with(|x| x.edges[k]);
                let first = vertices[to as usize].with_mut(|w| {
                    let first = w.distance < 0;
                    if first {
                        w.distance = distance + 1;
                    }
                    first
                });
                if first {
                    queue.push_back(to);
                    reached += 1;
                }
            }
            unit(searched, obs);
            searched += 1;
        }
        sum.add(reached);
        sum.add(edges_seen);
        // Dropping the graph is one pause; in index order, as the Vec
        // drops its elements.
        bulk(obs, |_| drop(vertices));
        // SAFETY: the graph is gone.
        unsafe { s.end_epoch(obs, epoch) };
    }
    // SAFETY: every graph is gone.
    unsafe { s.end_epoch(obs, run_epoch) };
    sum.value()
}
