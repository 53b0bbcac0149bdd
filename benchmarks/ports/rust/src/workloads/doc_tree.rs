//! doc_tree: parse-and-discard of generated JSON documents; request-scoped
//! trees of mixed node types. Request-shaped.

use crate::checksum::Checksum;
use crate::hash::fnv1a32;
use crate::random::Rng;
use crate::{make, Observer};

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

/// One object per value; a member's key is a String inside its object.
enum Value {
    Int(i64),
    Str(String),
    Arr(Vec<Box<Value>>),
    Obj(Vec<(String, Box<Value>)>),
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
        out.push_str(&n.to_string());
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
struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn string(&mut self) -> String {
        let start = self.pos + 1;
        let mut end = start;
        while self.text[end] != b'"' {
            end += 1;
        }
        self.pos = end + 1;
        String::from_utf8(self.text[start..end].to_vec()).expect("ASCII text")
    }

    fn value(&mut self) -> Box<Value> {
        match self.text[self.pos] {
            b'{' => {
                self.pos += 1;
                let mut members = Vec::new();
                while self.text[self.pos] != b'}' {
                    if self.text[self.pos] == b',' {
                        self.pos += 1;
                    }
                    let key = self.string();
                    self.pos += 1; // ':'
                    members.push((key, self.value()));
                }
                self.pos += 1;
                make(Value::Obj(members))
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                while self.text[self.pos] != b']' {
                    if self.text[self.pos] == b',' {
                        self.pos += 1;
                    }
                    items.push(self.value());
                }
                self.pos += 1;
                make(Value::Arr(items))
            }
            b'"' => {
                let s = self.string();
                make(Value::Str(s))
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
                make(Value::Int(n))
            }
        }
    }
}

// Recursion is at most MAX_DEPTH + 1 deep, in the walk and in Drop.
fn walk(v: &Value, sum: &mut Checksum) {
    match v {
        Value::Int(n) => sum.add32(*n as u32),
        Value::Str(s) => sum.add32(fnv1a32(s.as_bytes())),
        Value::Arr(items) => {
            sum.add32(ARRAY_TAG | items.len() as u32);
            for item in items {
                walk(item, sum);
            }
        }
        Value::Obj(members) => {
            sum.add32(OBJECT_TAG | members.len() as u32);
            for (key, value) in members {
                sum.add32(fnv1a32(key.as_bytes()));
                walk(value, sum);
            }
        }
    }
}

pub fn run(p: &Params, obs: &mut dyn Observer) -> u64 {
    let mut sum = Checksum::new();
    let mut text = String::new();
    for d in 0..p.documents {
        text.clear();
        let mut rng = Rng::new(SEED + d);
        generate(&mut rng, p.nodes, &mut text);
        obs.request_begin();
        let root = Parser {
            text: text.as_bytes(),
            pos: 0,
        }
        .value();
        walk(&root, &mut sum);
        drop(root);
        obs.request_end();
        obs.unit_done();
    }
    sum.value()
}
