//! doc_tree: parse-and-discard of generated JSON documents; request-scoped
//! trees of mixed node types. Request-shaped.

use crate::checksum::Checksum;
use crate::hash::fnv1a32;
use crate::random::Rng;
use std::fmt::Write;
use std::ops::Deref;
use std::rc::Rc;
use std::vec::Drain;

use crate::strategy::{ArenaS, BoxS, Make, RcS, Strategy};
use crate::{release, Observer};

pub const NAME: &str = "doc_tree";
pub const UNIT: &str = "document";
pub const PARAM_NAMES: &[&str] = &["documents", "nodes"];
pub const SMALL: &[i64] = &[20, 200];
pub const DEFAULT: &[i64] = &[500, 1000];

const SEED: u64 = 0x6a73_6f6e;
const CONTAINER_PERCENT: u32 = 20;
const STRING_PERCENT: u32 = 45;
const LONG_STRING_PERCENT: u32 = 40;
const MAX_DEPTH: u32 = 8;
const MAX_FANOUT: i64 = 8;
const MAX_KEY_LENGTH: i64 = 20;
const MAX_STRING_LENGTH: i64 = 120;
const MAX_MAGNITUDE: i64 = 999_999_999;
const ALPHABET: &[u8; 64] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
const ARRAY_TAG: u32 = 1 << 30;
const OBJECT_TAG: u32 = 1 << 31;

pub struct Params {
    pub documents: u64,
    pub nodes: i64,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [d, n] if *d >= 1 && *n >= 1 && *d <= 1 << 40 && *n <= 1 << 30 => Ok(Params {
            documents: *d as u64,
            nodes: *n,
        }),
        _ => Err("doc_tree: documents and nodes must be positive".into()),
    }
}

/// One object per value; a member's key is a string inside its object.
pub enum Value<S: Docs> {
    Int(i64),
    Str(S::Str),
    Arr(S::Items),
    Obj(S::Members),
}

/// A strategy's value owner and child arrays: Vecs of owners under box and
/// rc, slices in the arena under rust-arena (filled from the parser's
/// stack, so no global-heap buffer belongs to a tree).
pub trait Docs: Strategy + Sized {
    type Link: Deref<Target = Value<Self>>;
    type Items: Deref<Target = [Self::Link]>;
    type Members: Deref<Target = [(Self::Str, Self::Link)]>;
    fn value(&self, v: Value<Self>) -> Self::Link;
    fn items(&self, d: Drain<Self::Link>) -> Self::Items;
    fn members(&self, d: Drain<(Self::Str, Self::Link)>) -> Self::Members;
}

impl Docs for BoxS {
    type Link = Box<Value<BoxS>>;
    type Items = Vec<Self::Link>;
    type Members = Vec<(String, Self::Link)>;
    fn value(&self, v: Value<Self>) -> Self::Link {
        self.make(v)
    }
    fn items(&self, d: Drain<Self::Link>) -> Self::Items {
        d.collect()
    }
    fn members(&self, d: Drain<(String, Self::Link)>) -> Self::Members {
        d.collect()
    }
}

impl Docs for RcS {
    type Link = Rc<Value<RcS>>;
    type Items = Vec<Self::Link>;
    type Members = Vec<(String, Self::Link)>;
    fn value(&self, v: Value<Self>) -> Self::Link {
        self.make(v)
    }
    fn items(&self, d: Drain<Self::Link>) -> Self::Items {
        d.collect()
    }
    fn members(&self, d: Drain<(String, Self::Link)>) -> Self::Members {
        d.collect()
    }
}

impl<'a> Docs for ArenaS<'a> {
    type Link = &'a Value<ArenaS<'a>>;
    type Items = &'a [Self::Link];
    type Members = &'a [(&'a str, Self::Link)];
    fn value(&self, v: Value<Self>) -> Self::Link {
        self.make(v)
    }
    fn items(&self, mut d: Drain<Self::Link>) -> Self::Items {
        self.0.slice_from_fn(d.len(), |_| d.next().unwrap())
    }
    fn members(&self, mut d: Drain<(&'a str, Self::Link)>) -> Self::Members {
        self.0.slice_from_fn(d.len(), |_| d.next().unwrap())
    }
}

fn generate(rng: &mut Rng, nodes: i64, out: &mut String) {
    let mut budget = nodes - 1;
    out.push('{');
    let mut first = true;
    while budget > 0 {
        if !first {
            out.push(',');
        }
        first = false;
        append_key(rng, out);
        generate_value(rng, 1, &mut budget, out);
    }
    out.push('}');
}

fn generate_value(rng: &mut Rng, depth: u32, budget: &mut i64, out: &mut String) {
    *budget -= 1;
    let r = rng.below(100);
    if r < CONTAINER_PERCENT && depth < MAX_DEPTH {
        let object = r < CONTAINER_PERCENT / 2;
        out.push(if object { '{' } else { '[' });
        let fanout = rng.between(1, MAX_FANOUT);
        let mut i = 0;
        while i < fanout && *budget > 0 {
            if i > 0 {
                out.push(',');
            }
            if object {
                append_key(rng, out);
            }
            generate_value(rng, depth + 1, budget, out);
            i += 1;
        }
        out.push(if object { '}' } else { ']' });
    } else if r < CONTAINER_PERCENT + STRING_PERCENT {
        let length = if rng.chance(LONG_STRING_PERCENT, 100) {
            rng.between(16, MAX_STRING_LENGTH)
        } else {
            rng.between(1, 15)
        };
        append_string(rng, length, out);
    } else {
        let n = if rng.chance(1, 2) {
            rng.between(0, 999)
        } else {
            rng.between(-MAX_MAGNITUDE, MAX_MAGNITUDE)
        };
        // Written in place: the text is scratch, not the tree's.
        write!(out, "{n}").unwrap();
    }
}

fn append_key(rng: &mut Rng, out: &mut String) {
    let length = rng.between(2, MAX_KEY_LENGTH);
    append_string(rng, length, out);
    out.push(':');
}

fn append_string(rng: &mut Rng, length: i64, out: &mut String) {
    out.push('"');
    let mut bits = 0u32;
    for i in 0..length {
        if i % 5 == 0 {
            bits = rng.next();
        }
        out.push(ALPHABET[(bits & 63) as usize] as char);
        bits >>= 6;
    }
    out.push('"');
}

/// The generator's output is well formed by construction, so the parser
/// checks nothing: it is the allocation pattern of a DOM parser.
struct Parser<'a, 's, S: Docs> {
    s: &'s S,
    text: &'a [u8],
    pos: usize,
    /// The children of the containers being parsed, innermost last.
    items: Vec<S::Link>,
    members: Vec<(S::Str, S::Link)>,
}

impl<'a, 's, S: Docs> Parser<'a, 's, S> {
    fn string(&mut self) -> S::Str {
        let start = self.pos + 1;
        let mut end = start;
        while self.text[end] != b'"' {
            end += 1;
        }
        self.pos = end + 1;
        self.s
            .string(std::str::from_utf8(&self.text[start..end]).expect("ASCII text"))
    }

    fn value(&mut self) -> S::Link {
        match self.text[self.pos] {
            b'{' => {
                self.pos += 1;
                let start = self.members.len();
                while self.text[self.pos] != b'}' {
                    if self.text[self.pos] == b',' {
                        self.pos += 1;
                    }
                    let key = self.string();
                    self.pos += 1; // ':'
                    let v = self.value();
                    self.members.push((key, v));
                }
                self.pos += 1;
                let members = self.s.members(self.members.drain(start..));
                self.s.value(Value::Obj(members))
            }
            b'[' => {
                self.pos += 1;
                let start = self.items.len();
                while self.text[self.pos] != b']' {
                    if self.text[self.pos] == b',' {
                        self.pos += 1;
                    }
                    let v = self.value();
                    self.items.push(v);
                }
                self.pos += 1;
                let items = self.s.items(self.items.drain(start..));
                self.s.value(Value::Arr(items))
            }
            b'"' => {
                let s = self.string();
                self.s.value(Value::Str(s))
            }
            _ => {
                let start = self.pos;
                while self.text[self.pos] == b'-' || self.text[self.pos].is_ascii_digit() {
                    self.pos += 1;
                }
                let n = std::str::from_utf8(&self.text[start..self.pos])
                    .unwrap()
                    .parse()
                    .expect("a generated integer");
                self.s.value(Value::Int(n))
            }
        }
    }
}

// Recursion is at most MAX_DEPTH + 1 deep, in the walk and in Drop.
fn walk<S: Docs>(v: &Value<S>, sum: &mut Checksum) {
    match v {
        Value::Int(n) => sum.add32(*n as u32),
        Value::Str(s) => sum.add32(fnv1a32(s.as_bytes())),
        Value::Arr(items) => {
            sum.add32(ARRAY_TAG | items.len() as u32);
            for item in items.iter() {
                walk(item, sum);
            }
        }
        Value::Obj(members) => {
            sum.add32(OBJECT_TAG | members.len() as u32);
            for (key, value) in members.iter() {
                sum.add32(fnv1a32(key.as_bytes()));
                walk(value, sum);
            }
        }
    }
}

pub fn run<S: Docs, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let run_epoch = s.begin_epoch();
    let mut text = String::new();
    let mut items = Vec::new();
    let mut members = Vec::new();
    for d in 0..p.documents {
        text.clear();
        let mut rng = Rng::new(SEED + d);
        generate(&mut rng, p.nodes, &mut text);
        obs.request_begin();
        let epoch = s.begin_epoch();
        let mut parser = Parser {
            s,
            text: text.as_bytes(),
            pos: 0,
            items: std::mem::take(&mut items),
            members: std::mem::take(&mut members),
        };
        let root = parser.value();
        // The stacks are empty again; kept for the next document.
        items = parser.items;
        members = parser.members;
        walk(&root, &mut sum);
        release(obs, root);
        // SAFETY: the document's tree is released; the stacks hold nothing.
        unsafe { s.end_epoch(obs, epoch) };
        obs.request_end();
        obs.unit_done();
    }
    drop((items, members));
    // SAFETY: every document's tree is released.
    unsafe { s.end_epoch(obs, run_epoch) };
    sum.value()
}
