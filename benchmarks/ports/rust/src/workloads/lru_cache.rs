//! lru_cache: a long-lived cache with steady churn; a large live set with
//! continuous death. The LRU list is doubly linked through slot indices:
//! each entry has one owner, its Box in `slots`, and the list and the map
//! hold indices (Rust's one-owner rule rules out a pointer-linked list of
//! Boxes without unsafe code).

use crate::checksum::Checksum;
use crate::hash::{fnv1a32_word, FnvHashMap};
use crate::random::Rng;
use crate::{make, Observer};

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

struct Entry {
    key: u32,
    value: Vec<u64>,
    prev: usize,
    next: usize,
}

struct Lru {
    slots: Vec<Option<Box<Entry>>>,
    free: Vec<usize>,
    head: usize,
    tail: usize,
}

impl Lru {
    fn entry(&mut self, i: usize) -> &mut Entry {
        self.slots[i].as_mut().expect("a live slot")
    }

    fn unlink(&mut self, i: usize) {
        let (prev, next) = {
            let e = self.entry(i);
            (e.prev, e.next)
        };
        if prev == NONE {
            self.head = next;
        } else {
            self.entry(prev).next = next;
        }
        if next == NONE {
            self.tail = prev;
        } else {
            self.entry(next).prev = prev;
        }
    }

    fn push_front(&mut self, i: usize) {
        let head = self.head;
        {
            let e = self.entry(i);
            e.prev = NONE;
            e.next = head;
        }
        if head == NONE {
            self.tail = i;
        } else {
            self.entry(head).prev = i;
        }
        self.head = i;
    }

    fn insert(&mut self, e: Box<Entry>) -> usize {
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

    fn remove(&mut self, i: usize) -> Box<Entry> {
        self.free.push(i);
        self.slots[i].take().expect("a live slot")
    }
}

fn digest(value: &[u64]) -> u32 {
    value
        .iter()
        .fold((value.len() * 8) as u32, |h, &w| fnv1a32_word(h, w as u32))
}

pub fn run(p: &Params, obs: &mut dyn Observer) -> u64 {
    let mut sum = Checksum::new();
    // The C++ map uses std::hash; nothing depends on the hash here, but
    // std's default hasher is randomly keyed per process, and FNV keeps
    // every run's table layout the same.
    let mut map: FnvHashMap<u32, usize> = FnvHashMap::default();
    map.reserve(p.capacity + 1);
    let mut lru = Lru {
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
            sum.add32(digest(&lru.entry(i).value));
            hits += 1;
        } else {
            let words = rng.between(MIN_VALUE_WORDS, MAX_VALUE_WORDS) as u32;
            let value = (0..words).map(|j| key.wrapping_mul(j + 1) as u64).collect();
            let i = lru.insert(make(Entry {
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
                sum.add32(e.key);
                map.remove(&e.key);
            }
        }
        obs.request_end();
        obs.unit_done();
    }
    sum.add(hits);
    sum.add(map.len() as u64);
    sum.value()
}
