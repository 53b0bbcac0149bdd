//! request_server: an RPC/HTTP service loop over long-lived sessions; each
//! request's fields are parsed into short-lived objects. Request-shaped.

use std::fmt::Write;

use crate::checksum::Checksum;
use crate::hash::{fnv1a32, fnv1a32_word};
use crate::random::Rng;
use crate::strategy::{Buffer, Make, MakeMut, Owner, Strategy};
use crate::{bulk, release, Observer};

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

pub struct Session<H> {
    history: H,
    recent: [u32; RECENT],
    id: u64,
    requests: u64,
    bytes_in: u64,
    digest: u32,
    next_recent: u32,
}

pub struct Field<T> {
    name: T,
    value: T,
    hash: u32,
}

/// The strategies' session and field owners: a session is changed by every
/// request (MakeMut: Rc<RefCell> under rc), a field only read.
pub trait Serve:
    Buffer<u32> + MakeMut<Session<<Self as Buffer<u32>>::Buf>> + Make<Field<<Self as Strategy>::Str>>
{
}
impl<S> Serve for S where
    S: Buffer<u32> + MakeMut<Session<<S as Buffer<u32>>::Buf>> + Make<Field<<S as Strategy>::Str>>
{
}

type SessionOwn<S> = <S as MakeMut<Session<<S as Buffer<u32>>::Buf>>>::Own;
type FieldOwn<S> = <S as Make<Field<<S as Strategy>::Str>>>::Own;

/// Per-request text buffers, reused from request to request under every
/// strategy (the C++ makes them per request with the strategy's
/// allocator): the request's objects are its fields.
struct Scratch<F> {
    text: String,
    reply: String,
    hashes: Vec<u32>,
    fields: Vec<F>,
}

fn synthesize(rng: &mut Rng, sid: u32, text: &mut String) {
    text.clear();
    write!(text, "sid={sid}&op=").unwrap();
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
}

/// Splits "a=b&c=d" into fields in request order, one object each.
fn parse<S: Serve>(s: &S, text: &str, fields: &mut Vec<FieldOwn<S>>) {
    fields.extend(text.split('&').map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        s.make(Field {
            name: s.string(name),
            value: s.string(value),
            hash: fnv1a32(value.as_bytes()),
        })
    }));
}

fn serve<S: Serve, O: Observer + ?Sized>(
    s: &S,
    rng: &mut Rng,
    sessions: &mut [SessionOwn<S>],
    scratch: &mut Scratch<FieldOwn<S>>,
    obs: &mut O,
) -> u32 {
    let sid = rng.below(sessions.len() as u32);
    synthesize(rng, sid, &mut scratch.text);
    parse(s, &scratch.text, &mut scratch.fields);
    let fields = &scratch.fields;
    scratch.hashes.clear();
    scratch.hashes.extend(fields.iter().map(|f| f.hash));
    let sid: usize = fields[0].value.parse().expect("sid=<index> comes first");
    let text_len = scratch.text.len() as u64;
    let hashes = &scratch.hashes;
    let (id, requests, digest) = sessions[sid].with_mut(|session| {
        session.requests += 1;
        session.bytes_in += text_len;
        for &h in hashes {
            session.recent[session.next_recent as usize % RECENT] = h;
            session.next_recent = session.next_recent.wrapping_add(1);
            let slot = &mut session.history[h as usize % HISTORY_LENGTH];
            *slot = slot.wrapping_add(h);
            session.digest = fnv1a32_word(session.digest, h);
        }
        (session.id, session.requests, session.digest)
    });
    let reply = &mut scratch.reply;
    reply.clear();
    write!(reply, "ok sid={} n={}", id, requests).unwrap();
    for f in &fields[1..] {
        write!(reply, " {}={:x}", &*f.name, f.hash).unwrap();
    }
    let fields = &mut scratch.fields;
    // One release: the C++ releases the request's field list, a cascade.
    bulk(obs, |_| fields.clear());
    fnv1a32(reply.as_bytes()) ^ digest
}

pub fn run<S: Serve, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let mut rng = Rng::new(SEED);
    let run_epoch = s.begin_epoch();
    let mut sessions: Vec<SessionOwn<S>> = Vec::with_capacity(p.sessions as usize);
    for i in 0..p.sessions {
        let history = s.buffer(HISTORY_LENGTH, |_| rng.next());
        sessions.push(s.make_mut(Session {
            history,
            recent: [0; RECENT],
            id: i as u64,
            requests: 0,
            bytes_in: 0,
            digest: 0,
            next_recent: 0,
        }));
    }
    let mut scratch = Scratch {
        text: String::new(),
        reply: String::new(),
        hashes: Vec::new(),
        fields: Vec::new(),
    };
    for _ in 0..p.requests {
        obs.request_begin();
        let epoch = s.begin_epoch();
        sum.add32(serve(s, &mut rng, &mut sessions, &mut scratch, obs));
        // SAFETY: the request's fields are released (scratch.fields empty).
        unsafe { s.end_epoch(obs, epoch) };
        obs.request_end();
        obs.unit_done();
    }
    drop(scratch);
    // Dropping the session table is one pause, as in the C++.
    bulk(obs, |obs| {
        for session in sessions {
            session.with(|session| {
                let history = session.history.iter().fold(0, |x, &h| x ^ h);
                sum.add32(session.digest);
                sum.add(session.requests);
                sum.add(session.bytes_in);
                sum.add32(history);
                sum.add32(session.recent[session.next_recent as usize % RECENT]);
            });
            release(obs, session);
        }
    });
    // SAFETY: every session is released.
    unsafe { s.end_epoch(obs, run_epoch) };
    sum.value()
}
