//! string_dict: word counting in a symbol table; small strings, hash-map
//! entries, outgrown bucket arrays.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use crate::checksum::Checksum;
use crate::hash::{fnv1a32, FnvHashMap};
use crate::random::Rng;
use crate::strategy::Strategy;
use crate::Observer;

pub const NAME: &str = "string_dict";
pub const UNIT: &str = "word";
pub const PARAM_NAMES: &[&str] = &["words", "vocabulary"];
pub const SMALL: &[i64] = &[20000, 2000];
pub const DEFAULT: &[i64] = &[400000, 40000];

const SEED: u64 = 0x7374_7269_6e67_5f64;
const SPELLING_SEED: u64 = 0x776f_7264_5f74_6578;
const WORDS_PER_UNIT: u64 = 32;

pub struct Params {
    pub words: u64,
    pub vocabulary: u32,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [w, n] if *w >= 1 && *n >= 1 && *w <= 1 << 40 && *n <= 1 << 31 => Ok(Params {
            words: *w as u64,
            vocabulary: *n as u32,
        }),
        _ => Err("string_dict: words must be positive, vocabulary in [1, 2^31]".into()),
    }
}

/// A key that hashes as exactly fnv1a32 of its text: `str`'s own Hash
/// appends a 0xff byte, which the C++ map's hash does not see. Its text is
/// the strategy's string: a String, or a str in the arena.
struct Word<T>(T);

impl<T: Deref<Target = str>> PartialEq for Word<T> {
    fn eq(&self, o: &Self) -> bool {
        *self.0 == *o.0
    }
}
impl<T: Deref<Target = str>> Eq for Word<T> {}

impl<T: Deref<Target = str>> Hash for Word<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.0.as_bytes());
    }
}

/// The spelling looked up without making a string, as the C++'s
/// transparent find takes a string_view of its buffer: hashes and compares
/// as Word does.
#[derive(PartialEq, Eq)]
#[repr(transparent)]
struct WordRef(str);

impl WordRef {
    fn of(s: &str) -> &WordRef {
        // SAFETY: WordRef is a transparent wrapper of str.
        unsafe { &*(s as *const str as *const WordRef) }
    }
}

impl Hash for WordRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.0.as_bytes());
    }
}

impl<T: Deref<Target = str>> Borrow<WordRef> for Word<T> {
    fn borrow(&self) -> &WordRef {
        WordRef::of(&self.0)
    }
}

const MAX_LENGTH: usize = 24;

/// Spells word i into `word`, returning its length: no allocation.
fn spell(i: u32, digits: u32, word: &mut [u8; MAX_LENGTH]) -> usize {
    let mut letters = Rng::new(SPELLING_SEED.wrapping_add(i as u64));
    let length = letters.between(std::cmp::max(3, digits) as i64, MAX_LENGTH as i64) as u32;
    let mut bits = 0u32;
    for j in 0..length - digits {
        if j % 6 == 0 {
            bits = letters.next();
        }
        word[j as usize] = b'a' + (bits % 26) as u8;
        bits /= 26;
    }
    let mut rest = i;
    for j in length - digits..length {
        word[j as usize] = b'a' + (rest % 26) as u8;
        rest /= 26;
    }
    length as usize
}

pub fn run<S: Strategy, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let run_epoch = s.begin_epoch();
    let mut rng = Rng::new(SEED);
    let mut digits = 0u32;
    let mut rest = p.vocabulary - 1;
    while rest > 0 {
        digits += 1;
        rest /= 26;
    }
    let digits = std::cmp::max(1, digits);
    let mut buffer = [0u8; MAX_LENGTH];
    let mut counts: FnvHashMap<Word<S::Str>, u64> = FnvHashMap::default();
    for n in 0..p.words {
        let i = rng.skewed(p.vocabulary, 3);
        let length = spell(i, digits, &mut buffer);
        let text = std::str::from_utf8(&buffer[..length]).expect("ASCII letters");
        if let Some(count) = counts.get_mut(WordRef::of(text)) {
            *count += 1;
        } else {
            // The C++ makes no object here: its map nodes and strings are
            // buffers.
            counts.insert(Word(s.string(text)), 1);
        }
        if (n + 1) % WORDS_PER_UNIT == 0 {
            obs.unit_done();
        }
    }
    let (mut low, mut high) = (0u32, 0u32);
    for (key, &count) in &counts {
        let mut e = Checksum::new();
        e.add32(fnv1a32(key.0.as_bytes()));
        e.add(count);
        low = low.wrapping_add(e.value() as u32);
        high = high.wrapping_add((e.value() >> 32) as u32);
    }
    sum.add(counts.len() as u64);
    sum.add32(low);
    sum.add32(high);
    drop(counts);
    // SAFETY: the map and its words are gone.
    unsafe { s.end_epoch(obs, run_epoch) };
    sum.value()
}

#[cfg(test)]
mod tests {
    use super::Word;
    use crate::hash::{fnv1a32, FnvBuildHasher};
    use std::hash::{BuildHasher, Hash, Hasher};

    #[test]
    fn the_map_hashes_a_word_as_fnv1a32_of_its_text() {
        for text in ["", "a", "foobar", "wordbab"] {
            // BuildHasher::hash_one is not stable in rustc 1.63.
            let mut hasher = FnvBuildHasher.build_hasher();
            Word(text).hash(&mut hasher);
            assert_eq!(hasher.finish(), fnv1a32(text.as_bytes()) as u64, "{text:?}");
        }
    }
}
