//! producer_consumer: a pipeline stage; the calling thread makes messages,
//! a second thread frees them (cross-thread frees). Each message crosses a
//! bounded FIFO of 256 slots by moving its Box, so exactly one thread owns
//! it at a time; the consumer drops it.

use std::sync::mpsc::sync_channel;
use std::sync::{Condvar, Mutex};

use crate::checksum::Checksum;
use crate::hash::fnv1a32_word;
use crate::random::Rng;
use crate::{make, Observer};

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

struct Message {
    payload: Vec<u64>,
    id: u64,
}

fn digest(m: &Message) -> u32 {
    m.payload
        .iter()
        .fold(m.id as u32, |h, &v| fnv1a32_word(h, v as u32))
}

pub fn run(p: &Params, obs: &mut dyn Observer) -> u64 {
    let (tx, rx) = sync_channel::<Box<Message>>(SLOTS);
    // Messages released so far: the producer waits on it at each batch end,
    // the handshake every strategy runs because the arena needs it.
    let released = (Mutex::new(0u64), Condvar::new());
    let mut produced = Checksum::new();
    let consumed = std::thread::scope(|scope| {
        let released = &released;
        let consumer = scope.spawn(move || {
            let mut consumed = Checksum::new();
            for i in 0..p.messages {
                let m = match rx.recv() {
                    Ok(m) => m,
                    Err(_) => break,
                };
                consumed.add32(digest(&m));
                drop(m);
                *released.0.lock().unwrap() = i + 1;
                released.1.notify_one();
            }
            consumed
        });
        let mut rng = Rng::new(SEED);
        let mut id = 0;
        while id < p.messages {
            let end = std::cmp::min(p.messages, id + p.batch);
            while id < end {
                let words = rng.between(1, MAX_PAYLOAD);
                let payload = (0..words).map(|_| rng.next() as u64).collect();
                let m = make(Message { payload, id });
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
        }
        consumer.join().expect("the consumer thread finishes")
    });
    let mut sum = Checksum::new();
    sum.add(produced.value());
    sum.add(consumed.value());
    sum.value()
}
