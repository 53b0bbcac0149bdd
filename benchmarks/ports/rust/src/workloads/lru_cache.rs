//! lru_cache: a long-lived cache with steady churn; a large live set with
//! continuous death. The LRU list is doubly linked through slot indices:
//! each entry has one owner, in `slots`, and the list and the map hold
//! indices (Rust's one-owner rule rules out a pointer-linked list of Boxes
//! without unsafe code; the C++'s links own nothing either). Under rc an
//! entry is an Rc<RefCell>, since the list relinks it.

use crate::checksum::Checksum;
use crate::hash::{fnv1a32_word, FnvHashMap};
use crate::random::Rng;
use crate::strategy::{Buffer, MakeMut, Owner};
use crate::{bulk, release, Observer};

pub const NAME: &str = "lru_cache";
pub const UNIT: &str = "request";
pub const PARAM_NAMES: &[&str] = &["capacity", "requests"];
pub const SMALL: &[i64] = &[1000, 10000];
pub const DEFAULT: &[i64] = &[20000, 400000];

const SEED: u64 = 0x6c72_7563;
const KEY_SPACE_FACTOR: u64 = 2;
const MIN_VALUE_WORDS: i64 = 4;
const MAX_VALUE_WORDS: i64 = 64;
const NONE: usize = usize::MAX;

pub struct Params {
    pub capacity: usize,
    pub requests: u64,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [c, r] if *c >= 1 && *r >= 1 && *c <= 1 << 30 && *r <= 1 << 40 => Ok(Params {
            capacity: *c as usize,
            requests: *r as u64,
        }),
        _ => Err("lru_cache: capacity must be in [1, 2^30], requests positive".into()),
    }
}

pub struct Entry<V> {
    key: u32,
    value: V,
    prev: usize,
    next: usize,
}

pub trait Caches: Buffer<u64> + MakeMut<Entry<<Self as Buffer<u64>>::Buf>> {}
impl<S: Buffer<u64> + MakeMut<Entry<<S as Buffer<u64>>::Buf>>> Caches for S {}

type Own<S> = <S as MakeMut<Entry<<S as Buffer<u64>>::Buf>>>::Own;

struct Lru<S: Caches> {
    slots: Vec<Option<Own<S>>>,
    free: Vec<usize>,
    head: usize,
    tail: usize,
}

impl<S: Caches> Lru<S> {
    fn entry(&mut self, i: usize) -> &mut Own<S> {
        self.slots[i].as_mut().expect("a live slot")
    }

    // A shared borrow for reads: through a &mut, `with` would resolve to
    // the arena's Owner impl for &mut T.
    fn get(&self, i: usize) -> &Own<S> {
        self.slots[i].as_ref().expect("a live slot")
    }

    fn unlink(&mut self, i: usize) {
        let (prev, next) = self.get(i).with(|e| (e.prev, e.next));
        if prev == NONE {
            self.head = next;
        } else {
            self.entry(prev).with_mut(|e| e.next = next);
        }
        if next == NONE {
            self.tail = prev;
        } else {
            self.entry(next).with_mut(|e| e.prev = prev);
        }
    }

    fn push_front(&mut self, i: usize) {
        let head = self.head;
        self.entry(i).with_mut(|e| {
            e.prev = NONE;
            e.next = head;
        });
        if head == NONE {
            self.tail = i;
        } else {
            self.entry(head).with_mut(|e| e.prev = i);
        }
        self.head = i;
    }

    fn insert(&mut self, e: Own<S>) -> usize {
        match self.free.pop() {
            Some(i) => {
                self.slots[i] = Some(e);
                i
            }
            None => {
                self.slots.push(Some(e));
                self.slots.len() - 1
            }
        }
    }

    fn remove(&mut self, i: usize) -> Own<S> {
        self.free.push(i);
        self.slots[i].take().expect("a live slot")
    }
}

fn digest(value: &[u64]) -> u32 {
    value
        .iter()
        .fold((value.len() * 8) as u32, |h, &w| fnv1a32_word(h, w as u32))
}

pub fn run<S: Caches, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let run_epoch = s.begin_epoch();
    // The C++ map uses std::hash; nothing depends on the hash here, but
    // std's default hasher is randomly keyed per process, and FNV keeps
    // every run's table layout the same.
    let mut map: FnvHashMap<u32, usize> = FnvHashMap::default();
    map.reserve(p.capacity + 1);
    let mut lru: Lru<S> = Lru {
        slots: Vec::with_capacity(p.capacity + 1),
        free: Vec::new(),
        head: NONE,
        tail: NONE,
    };
    let mut rng = Rng::new(SEED);
    let key_space = (KEY_SPACE_FACTOR * p.capacity as u64) as u32;
    let mut hits: u64 = 0;
    for _ in 0..p.requests {
        obs.request_begin();
        let key = rng.skewed(key_space, 3).wrapping_mul(0x9e37_79b9);
        if let Some(&i) = map.get(&key) {
            lru.unlink(i);
            lru.push_front(i);
            sum.add32(lru.get(i).with(|e| digest(&e.value)));
            hits += 1;
        } else {
            let words = rng.between(MIN_VALUE_WORDS, MAX_VALUE_WORDS) as u32;
            let value = s.buffer(words as usize, |j| key.wrapping_mul(j as u32 + 1) as u64);
            let i = lru.insert(s.make_mut(Entry {
                key,
                value,
                prev: NONE,
                next: NONE,
            }));
            map.insert(key, i);
            lru.push_front(i);
            if map.len() > p.capacity {
                let victim = lru.tail;
                lru.unlink(victim);
                let e = lru.remove(victim);
                let key = e.with(|e| e.key);
                sum.add32(key);
                map.remove(&key);
                release(obs, e);
            }
        }
        obs.request_end();
        obs.unit_done();
    }
    sum.add(hits);
    sum.add(map.len() as u64);
    // Dropping the cache is one pause, as in the C++.
    bulk(obs, |_| drop(lru));
    drop(map);
    // SAFETY: every entry is released.
    unsafe { s.end_epoch(obs, run_epoch) };
    sum.value()
}
