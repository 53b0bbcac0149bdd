//! request_server: an RPC/HTTP service loop over long-lived sessions; each
//! request's fields are parsed into short-lived objects. Request-shaped.

use std::fmt::Write;

use crate::checksum::Checksum;
use crate::hash::{fnv1a32, fnv1a32_word};
use crate::random::Rng;
use crate::{make, Observer};

pub const NAME: &str = "request_server";
pub const UNIT: &str = "request";
pub const PARAM_NAMES: &[&str] = &["requests", "sessions"];
pub const SMALL: &[i64] = &[1000, 1000];
pub const DEFAULT: &[i64] = &[50000, 200000];

const SEED: u64 = 0x5e55_10f5_eed5_0001;
const HISTORY_LENGTH: usize = 48;
const RECENT: usize = 16;
const MIN_FIELDS: i64 = 1;
const MAX_FIELDS: i64 = 10;
const MAX_VALUE_LENGTH: i64 = 40;
const VERBS: [&str; 8] = [
    "get", "put", "list", "delete", "watch", "patch", "head", "post",
];
const NAMES: [&str; 10] = [
    "user", "path", "lang", "q", "ref", "ua", "cookie", "ts", "page", "sort",
];
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
const CHAR_BITS: u32 = 5;
const CHARS_PER_DRAW: i64 = 32 / CHAR_BITS as i64;

pub struct Params {
    pub requests: u64,
    pub sessions: u32,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [r, s] if *r >= 1 && *s >= 1 && *r <= 1 << 40 && *s <= 1 << 31 => Ok(Params {
            requests: *r as u64,
            sessions: *s as u32,
        }),
        _ => Err("request_server: requests and sessions must be positive".into()),
    }
}

struct Session {
    history: Vec<u32>,
    recent: [u32; RECENT],
    id: u64,
    requests: u64,
    bytes_in: u64,
    digest: u32,
    next_recent: u32,
}

struct Field {
    name: String,
    value: String,
    hash: u32,
}

fn synthesize(rng: &mut Rng, sid: u32) -> String {
    let mut text = format!("sid={sid}&op=");
    text.push_str(VERBS[rng.below(VERBS.len() as u32) as usize]);
    let fields = rng.between(MIN_FIELDS, MAX_FIELDS);
    for _ in 0..fields {
        text.push('&');
        text.push_str(NAMES[rng.below(NAMES.len() as u32) as usize]);
        text.push('=');
        let length = rng.between(1, MAX_VALUE_LENGTH);
        let mut bits = 0u32;
        for j in 0..length {
            if j % CHARS_PER_DRAW == 0 {
                bits = rng.next();
            }
            text.push(ALPHABET[(bits % 32) as usize] as char);
            bits >>= CHAR_BITS;
        }
    }
    text
}

/// Splits "a=b&c=d" into fields in request order, one object each.
fn parse(text: &str) -> Vec<Box<Field>> {
    text.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            make(Field {
                name: name.to_string(),
                value: value.to_string(),
                hash: fnv1a32(value.as_bytes()),
            })
        })
        .collect()
}

fn serve(rng: &mut Rng, sessions: &mut [Box<Session>]) -> u32 {
    let sid = rng.below(sessions.len() as u32);
    let text = synthesize(rng, sid);
    let fields = parse(&text);
    let hashes: Vec<u32> = fields.iter().map(|f| f.hash).collect();
    let sid: usize = fields[0].value.parse().expect("sid=<index> comes first");
    let session = &mut sessions[sid];
    session.requests += 1;
    session.bytes_in += text.len() as u64;
    for &h in &hashes {
        session.recent[session.next_recent as usize % RECENT] = h;
        session.next_recent = session.next_recent.wrapping_add(1);
        let slot = &mut session.history[h as usize % HISTORY_LENGTH];
        *slot = slot.wrapping_add(h);
        session.digest = fnv1a32_word(session.digest, h);
    }
    let mut reply = format!("ok sid={} n={}", session.id, session.requests);
    for f in &fields[1..] {
        write!(reply, " {}={:x}", f.name, f.hash).unwrap();
    }
    drop(fields);
    fnv1a32(reply.as_bytes()) ^ session.digest
}

pub fn run(p: &Params, obs: &mut dyn Observer) -> u64 {
    let mut sum = Checksum::new();
    let mut rng = Rng::new(SEED);
    let mut sessions: Vec<Box<Session>> = Vec::with_capacity(p.sessions as usize);
    for i in 0..p.sessions {
        let history = (0..HISTORY_LENGTH).map(|_| rng.next()).collect();
        sessions.push(make(Session {
            history,
            recent: [0; RECENT],
            id: i as u64,
            requests: 0,
            bytes_in: 0,
            digest: 0,
            next_recent: 0,
        }));
    }
    for _ in 0..p.requests {
        obs.request_begin();
        sum.add32(serve(&mut rng, &mut sessions));
        obs.request_end();
        obs.unit_done();
    }
    for session in sessions {
        let history = session.history.iter().fold(0, |x, &h| x ^ h);
        sum.add32(session.digest);
        sum.add(session.requests);
        sum.add(session.bytes_in);
        sum.add32(history);
        sum.add32(session.recent[session.next_recent as usize % RECENT]);
    }
    sum.value()
}
