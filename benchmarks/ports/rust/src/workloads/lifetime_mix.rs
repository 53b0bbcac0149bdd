//! lifetime_mix: a synthetic allocation trace with skewed sizes (16 B to
//! 4 KiB, rarely 64 KiB to 1 MiB) and near-exponential lifetimes, freed off
//! a timing wheel: fragmentation under mixed lifetimes.

use crate::checksum::Checksum;
use crate::random::Rng;
use std::ops::{Deref, DerefMut};
use std::rc::Rc;

use crate::strategy::{ArenaS, BoxS, Buffer, Make, MakeMut, RcS};
use crate::{release, Observer};

pub const NAME: &str = "lifetime_mix";
pub const UNIT: &str = "step";
pub const PARAM_NAMES: &[&str] = &["steps", "mean_life"];
pub const SMALL: &[i64] = &[10000, 100];
pub const DEFAULT: &[i64] = &[200000, 10000];

const SEED: u64 = 0x6c69_6665_7469_6d65;
const STEPS_PER_UNIT: u64 = 32;

pub struct Params {
    pub steps: u64,
    pub mean_life: u64,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [s, m] if *s >= 1 && *m >= 1 && *s <= 1 << 40 && *m <= 1 << 24 => Ok(Params {
            steps: *s as u64,
            mean_life: *m as u64,
        }),
        _ => Err("lifetime_mix: steps must be positive, mean_life in [1, 2^24]".into()),
    }
}

/// One object and its byte buffer (a separate allocation, the variable-size
/// one under study; in the arena under rust-arena). A bucket of the wheel
/// is a list linked through `next`, as in the C++, so the wheel is one
/// buffer and a blob is one object.
pub struct Blob<B, L> {
    bytes: B,
    next: Option<L>,
}

/// A strategy's blob link: a newtype per strategy (the owner names the blob
/// that holds it; no GATs). Mutable, to relink: under rc through
/// Rc::get_mut, which holds since each blob has one owner.
pub trait Blobs: Buffer<u8> {
    type Link: DerefMut<Target = Blob<Self::Buf, Self::Link>>;
    fn blob(&self, b: Blob<Self::Buf, Self::Link>) -> Self::Link;
}

pub struct BoxBlob(Box<Blob<Vec<u8>, BoxBlob>>);
pub struct RcBlob(Rc<Blob<Vec<u8>, RcBlob>>);
pub struct ArenaBlob<'a>(&'a mut Blob<&'a mut [u8], ArenaBlob<'a>>);

macro_rules! deref {
    ($link:ty, $target:ty, $($lt:lifetime)?) => {
        impl<$($lt)?> Deref for $link {
            type Target = $target;
            #[inline]
            fn deref(&self) -> &$target {
                &self.0
            }
        }
    };
}
deref!(BoxBlob, Blob<Vec<u8>, BoxBlob>,);
deref!(RcBlob, Blob<Vec<u8>, RcBlob>,);
deref!(ArenaBlob<'a>, Blob<&'a mut [u8], ArenaBlob<'a>>, 'a);

impl DerefMut for BoxBlob {
    #[inline]
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}
impl DerefMut for RcBlob {
    #[inline]
    fn deref_mut(&mut self) -> &mut Self::Target {
        Rc::get_mut(&mut self.0).expect("a blob has one owner")
    }
}
impl<'a> DerefMut for ArenaBlob<'a> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0
    }
}

impl Blobs for BoxS {
    type Link = BoxBlob;
    fn blob(&self, b: Blob<Vec<u8>, BoxBlob>) -> BoxBlob {
        BoxBlob(self.make(b))
    }
}
impl Blobs for RcS {
    type Link = RcBlob;
    fn blob(&self, b: Blob<Vec<u8>, RcBlob>) -> RcBlob {
        RcBlob(self.make(b))
    }
}
impl<'a> Blobs for ArenaS<'a> {
    type Link = ArenaBlob<'a>;
    fn blob(&self, b: Blob<&'a mut [u8], ArenaBlob<'a>>) -> ArenaBlob<'a> {
        ArenaBlob(self.make_mut(b))
    }
}

fn free_bucket<S: Blobs, O: Observer + ?Sized>(
    bucket: &mut Option<S::Link>,
    sum: &mut Checksum,
    obs: &mut O,
) {
    // Each bucket is a LIFO: the head is the last one pushed. Each blob is
    // unlinked before its release, so no release walks the list.
    while let Some(mut blob) = bucket.take() {
        *bucket = blob.next.take();
        let b = &blob.bytes;
        let stamp = u64::from_le_bytes(b[..8].try_into().unwrap());
        let life = u64::from_le_bytes(b[b.len() - 8..].try_into().unwrap());
        sum.add(stamp);
        sum.add(life ^ ((b.len() as u64) << 32));
        release(obs, blob);
    }
}

pub fn run<S: Blobs, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let mut rng = Rng::new(SEED);
    let run_epoch = s.begin_epoch();
    let wheel_size = (16 * p.mean_life + 1).next_power_of_two();
    // The wheel is one global-heap buffer under every strategy.
    let mut wheel: Vec<Option<S::Link>> = (0..wheel_size).map(|_| None).collect();
    let h = std::cmp::max(1, (2 * p.mean_life + 1) / 3);
    for t in 0..p.steps {
        free_bucket::<S, O>(&mut wheel[(t % wheel_size) as usize], &mut sum, obs);
        let large = rng.chance(1, 1000);
        let class_bits = rng.next();
        let offset = rng.next() as u64;
        let size = if large {
            65536 + offset % 983041
        } else {
            let k = std::cmp::min(class_bits.trailing_zeros(), 7);
            let lo = 16u64 << k;
            let width = if k == 7 { lo + 1 } else { lo };
            lo + offset % width
        };
        let k = rng.next().trailing_zeros() as u64;
        let life = 1 + std::cmp::min(k * h + rng.below(h as u32) as u64, wheel_size - 2);
        let mut bytes = s.filled(size as usize, 0u8);
        bytes[..8].copy_from_slice(&t.to_le_bytes());
        let n = bytes.len();
        bytes[n - 8..].copy_from_slice(&life.to_le_bytes());
        let bucket = &mut wheel[((t + life) % wheel_size) as usize];
        let mut blob = s.blob(Blob { bytes, next: None });
        blob.next = bucket.take();
        *bucket = Some(blob);
        if (t + 1) % STEPS_PER_UNIT == 0 {
            obs.unit_done();
        }
    }
    for i in 0..wheel_size {
        free_bucket::<S, O>(
            &mut wheel[((p.steps + i) % wheel_size) as usize],
            &mut sum,
            obs,
        );
    }
    drop(wheel);
    // SAFETY: every blob is released.
    unsafe { s.end_epoch(obs, run_epoch) };
    sum.value()
}
