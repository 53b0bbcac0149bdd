//! binary_trees (GCBench / Benchmarks Game): many short-lived complete
//! binary trees beside one long-lived tree. No random draws.

use std::ops::Deref;
use std::rc::Rc;

use crate::checksum::Checksum;
use crate::strategy::{ArenaS, BoxS, Make, RcS, Strategy};
use crate::{release, Observer};

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
pub struct Node<L> {
    item: i64,
    left: Option<L>,
    right: Option<L>,
}

/// A strategy's link to a node: a newtype per strategy, since the owner
/// type names the node that holds it (no GATs in rustc 1.63).
pub trait Trees: Strategy {
    type Link: Deref<Target = Node<Self::Link>>;
    fn node(&self, n: Node<Self::Link>) -> Self::Link;
}

pub struct BoxLink(Box<Node<BoxLink>>);
pub struct RcLink(Rc<Node<RcLink>>);
pub struct ArenaLink<'a>(&'a Node<ArenaLink<'a>>);

macro_rules! link {
    ($s:ty, $link:ty, $($lt:lifetime)?) => {
        impl<$($lt)?> Deref for $link {
            type Target = Node<$link>;
            #[inline]
            fn deref(&self) -> &Node<$link> {
                &self.0
            }
        }
        impl<$($lt)?> Trees for $s {
            type Link = $link;
            #[inline]
            fn node(&self, n: Node<$link>) -> $link {
                <$link>::from(self.make(n))
            }
        }
    };
}

impl From<Box<Node<BoxLink>>> for BoxLink {
    fn from(b: Box<Node<BoxLink>>) -> Self {
        BoxLink(b)
    }
}
impl From<Rc<Node<RcLink>>> for RcLink {
    fn from(b: Rc<Node<RcLink>>) -> Self {
        RcLink(b)
    }
}
impl<'a> From<&'a Node<ArenaLink<'a>>> for ArenaLink<'a> {
    fn from(b: &'a Node<ArenaLink<'a>>) -> Self {
        ArenaLink(b)
    }
}
link!(BoxS, BoxLink,);
link!(RcS, RcLink,);
link!(ArenaS<'a>, ArenaLink<'a>, 'a);

fn tree<S: Trees>(s: &S, item: i64, depth: u32) -> S::Link {
    if depth == 0 {
        return s.node(Node {
            item,
            left: None,
            right: None,
        });
    }
    let left = tree(s, 2 * item - 1, depth - 1);
    let right = tree(s, 2 * item, depth - 1);
    s.node(Node {
        item,
        left: Some(left),
        right: Some(right),
    })
}

/// (nodes, items)
fn check<L: Deref<Target = Node<L>>>(t: &Node<L>) -> (u64, i64) {
    match (&t.left, &t.right) {
        (Some(l), Some(r)) => {
            let (ln, li) = check(l);
            let (rn, ri) = check(r);
            (1 + ln + rn, t.item + li - ri)
        }
        _ => (1, t.item),
    }
}

fn add_check<L: Deref<Target = Node<L>>>(sum: &mut Checksum, t: &Node<L>) {
    let (nodes, items) = check(t);
    sum.add32(nodes as u32);
    sum.add32(items as u32);
}

pub fn run<S: Trees, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let run_epoch = s.begin_epoch();
    {
        let epoch = s.begin_epoch();
        let stretch = tree(s, 0, p.depth + 1);
        add_check(&mut sum, &stretch);
        obs.unit_done();
        release(obs, stretch);
        // SAFETY: the stretch tree, all this epoch made, is gone.
        unsafe { s.end_epoch(obs, epoch) };
    }
    let long_lived = tree(s, 0, p.depth);
    let mut d = 4;
    while d <= p.depth {
        let iterations = 2 * ((1u64 << (p.depth + 1)) - 1) / ((1u64 << (d + 1)) - 1);
        for i in 0..iterations {
            let epoch = s.begin_epoch();
            let t = tree(s, i as i64, d);
            add_check(&mut sum, &t);
            release(obs, t);
            // SAFETY: this epoch made only `t`, released above.
            unsafe { s.end_epoch(obs, epoch) };
            obs.unit_done();
        }
        d += 2;
    }
    add_check(&mut sum, &long_lived);
    obs.unit_done();
    release(obs, long_lived);
    // SAFETY: every tree is released.
    unsafe { s.end_epoch(obs, run_epoch) };
    sum.value()
}
