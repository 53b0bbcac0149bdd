//! producer_consumer: a pipeline stage; the calling thread makes messages,
//! a second thread frees them (cross-thread frees). Each message crosses a
//! bounded FIFO of 256 slots by moving its owner, so exactly one thread owns
//! it at a time; the consumer drops it, each drop a timed release when the
//! observer hands the consumer a recorder (the probe's), as the C++ times
//! the consumer's releases into its shared recorder.

use std::sync::mpsc::sync_channel;
use std::sync::{Condvar, Mutex};

use crate::checksum::Checksum;
use crate::hash::fnv1a32_word;
use crate::random::Rng;
use std::ops::Deref;
use std::sync::Arc;

use crate::counts::{self, count_object};
use crate::strategy::{ArenaS, BoxS, Buffer, Make, RcS, RC_COUNTS_BYTES};
use crate::Observer;

pub const NAME: &str = "producer_consumer";
pub const UNIT: &str = "message";
pub const PARAM_NAMES: &[&str] = &["messages", "batch"];
pub const SMALL: &[i64] = &[5000, 100];
pub const DEFAULT: &[i64] = &[100000, 1000];

const SEED: u64 = 0x9c0d_0ce5_0000_0001;
const MAX_PAYLOAD: i64 = 16;
const SLOTS: usize = 256;
const MESSAGES_PER_UNIT: u64 = 32;

pub struct Params {
    pub messages: u64,
    pub batch: u64,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [m, b] if *m >= 1 && *b >= 1 && *m <= 1 << 40 && *b <= 1 << 40 => Ok(Params {
            messages: *m as u64,
            batch: *b as u64,
        }),
        _ => Err("producer_consumer: messages and batch must be positive".into()),
    }
}

pub struct Message<P> {
    payload: P,
    id: u64,
}

/// A message owner that may cross to the consumer thread. Under rust-rc it
/// is an Arc, not an Rc: Rust refuses to send an Rc to another thread (its
/// counts are not atomic), the one place the port's rc is not Rc.
pub trait Sends: Buffer<u64> {
    type Msg: Deref<Target = Message<Self::Buf>> + Send;
    fn message(&self, m: Message<Self::Buf>) -> Self::Msg;
}

impl Sends for BoxS {
    type Msg = Box<Message<Vec<u64>>>;
    fn message(&self, m: Message<Vec<u64>>) -> Self::Msg {
        self.make(m)
    }
}

impl Sends for RcS {
    type Msg = Arc<Message<Vec<u64>>>;
    fn message(&self, m: Message<Vec<u64>>) -> Self::Msg {
        count_object(std::mem::size_of::<Message<Vec<u64>>>(), RC_COUNTS_BYTES);
        Arc::new(m)
    }
}

impl<'a> Sends for ArenaS<'a> {
    type Msg = &'a Message<&'a mut [u64]>;
    fn message(&self, m: Message<&'a mut [u64]>) -> Self::Msg {
        self.make(m)
    }
}

fn digest<P: Deref<Target = [u64]>>(m: &Message<P>) -> u32 {
    m.payload
        .iter()
        .fold(m.id as u32, |h, &v| fnv1a32_word(h, v as u32))
}

pub fn run<S: Sends, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let run_epoch = s.begin_epoch();
    let (tx, rx) = sync_channel::<S::Msg>(SLOTS);
    // Messages released so far: the producer waits on it at each batch end,
    // the handshake every strategy runs because the arena needs it.
    let released = (Mutex::new(0u64), Condvar::new());
    let mut produced = Checksum::new();
    let mut worker = obs.take_worker_pauses();
    let consumed = std::thread::scope(|scope| {
        let released = &released;
        let consumer = counts::uncounted(|| scope.spawn(move || {
            let start = counts::snapshot();
            let mut consumed = Checksum::new();
            for i in 0..p.messages {
                let m = match rx.recv() {
                    Ok(m) => m,
                    Err(_) => break,
                };
                consumed.add32(digest(&m));
                match worker.as_mut() {
                    Some(w) => w.release(m),
                    None => drop(m),
                }
                *released.0.lock().unwrap() = i + 1;
                released.1.notify_one();
            }
            drop(rx);
            (consumed, counts::snapshot() - start, worker)
        }));
        let mut rng = Rng::new(SEED);
        let mut id = 0;
        while id < p.messages {
            let end = std::cmp::min(p.messages, id + p.batch);
            let epoch = s.begin_epoch();
            while id < end {
                let words = rng.between(1, MAX_PAYLOAD);
                let payload = s.buffer(words as usize, |_| rng.next() as u64);
                let m = s.message(Message { payload, id });
                produced.add32(digest(&m));
                tx.send(m).expect("the consumer takes every message");
                if (id + 1) % MESSAGES_PER_UNIT == 0 {
                    obs.unit_done();
                }
                id += 1;
            }
            let mut done = released.0.lock().unwrap();
            while *done < end {
                done = released.1.wait(done).unwrap();
            }
            drop(done);
            // SAFETY: the consumer has dropped every message of the batch
            // (the handshake above): nothing made in this epoch is used.
            unsafe { s.end_epoch(obs, epoch) };
        }
        drop(tx);
        let (consumed, counted, worker) =
            counts::uncounted(|| consumer.join()).expect("the consumer thread finishes");
        counts::add_from_thread(counted);
        (consumed, worker)
    });
    let (consumed, worker) = consumed;
    obs.give_worker_pauses(worker);
    // SAFETY: every message is gone.
    unsafe { s.end_epoch(obs, run_epoch) };
    let mut sum = Checksum::new();
    sum.add(produced.value());
    sum.add(consumed.value());
    sum.value()
}
