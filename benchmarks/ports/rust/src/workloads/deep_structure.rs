//! deep_structure: a very long singly linked list built and dropped; the
//! long free, millions of frees in one pause.

use crate::checksum::Checksum;
use crate::hash::fnv1a32_word;
use crate::random::Rng;
use std::ops::{Deref, DerefMut};
use std::rc::Rc;

use crate::strategy::{ArenaS, BoxS, Make, RcS, Strategy};
use crate::{bulk, Observer};

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

// The derived Drop of a Box (or Rc) chain recurses once per node and
// overflows an 8 MiB stack below 500 000 nodes (docs/workloads.md, "Long
// lists"; as the C++ unique_ptr cascade does), so the teardown below is a
// loop that unlinks each successor first.
pub struct Node<L> {
    value: u32,
    next: Option<L>,
}

/// A strategy's link: a newtype per strategy (the owner names the node
/// that holds it; no GATs). Mutable, to append at the tail: under rc
/// through Rc::get_mut, which holds since each node has one owner.
pub trait Lists: Strategy {
    type Link: DerefMut<Target = Node<Self::Link>>;
    fn node(&self, n: Node<Self::Link>) -> Self::Link;
}

pub struct BoxLink(Box<Node<BoxLink>>);
pub struct RcLink(Rc<Node<RcLink>>);
pub struct ArenaLink<'a>(&'a mut Node<ArenaLink<'a>>);

impl Deref for BoxLink {
    type Target = Node<BoxLink>;
    fn deref(&self) -> &Node<BoxLink> {
        &self.0
    }
}
impl DerefMut for BoxLink {
    fn deref_mut(&mut self) -> &mut Node<BoxLink> {
        &mut self.0
    }
}
impl Deref for RcLink {
    type Target = Node<RcLink>;
    fn deref(&self) -> &Node<RcLink> {
        &self.0
    }
}
impl DerefMut for RcLink {
    fn deref_mut(&mut self) -> &mut Node<RcLink> {
        Rc::get_mut(&mut self.0).expect("a list node has one owner")
    }
}
impl<'a> Deref for ArenaLink<'a> {
    type Target = Node<ArenaLink<'a>>;
    fn deref(&self) -> &Node<ArenaLink<'a>> {
        self.0
    }
}
impl<'a> DerefMut for ArenaLink<'a> {
    fn deref_mut(&mut self) -> &mut Node<ArenaLink<'a>> {
        self.0
    }
}
impl Lists for BoxS {
    type Link = BoxLink;
    fn node(&self, n: Node<BoxLink>) -> BoxLink {
        BoxLink(self.make(n))
    }
}
impl Lists for RcS {
    type Link = RcLink;
    fn node(&self, n: Node<RcLink>) -> RcLink {
        RcLink(self.make(n))
    }
}
impl<'a> Lists for ArenaS<'a> {
    type Link = ArenaLink<'a>;
    fn node(&self, n: Node<ArenaLink<'a>>) -> ArenaLink<'a> {
        ArenaLink(crate::strategy::MakeMut::make_mut(self, n))
    }
}

pub fn run<S: Lists, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let mut rng = Rng::new(SEED);
    let epoch = s.begin_epoch();
    let mut head: Option<S::Link> = None;
    let mut tail = &mut head;
    for i in 0..p.length {
        let node = tail.insert(s.node(Node {
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
    // One pause, as the cascade would be.
    let released = bulk(obs, |_| {
        let mut released = 0u32;
        let mut cursor = head;
        while let Some(mut node) = cursor {
            cursor = node.next.take();
            released = released.wrapping_add(node.value);
            drop(node);
        }
        released
    });
    sum.add32(released);
    // SAFETY: the list is gone.
    unsafe { s.end_epoch(obs, epoch) };
    sum.value()
}
