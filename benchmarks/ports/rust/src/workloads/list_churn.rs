//! list_churn: a FIFO message queue (broker, mailbox); short FIFO lifetimes
//! of small fixed-size messages. The queue is a VecDeque of owners (on the
//! global heap under every strategy, the arena's too): the spec lets a port
//! lay out its queue its own way, and one owner per message is the one
//! object the C++ makes.

use std::collections::VecDeque;

use crate::checksum::Checksum;
use crate::hash::{fnv1a32_word, FNV_OFFSET_BASIS};
use crate::random::Rng;
use crate::strategy::Make;
use crate::{release, Observer};

pub const NAME: &str = "list_churn";
pub const UNIT: &str = "message";
pub const PARAM_NAMES: &[&str] = &["messages", "queue"];
pub const SMALL: &[i64] = &[2000, 100];
pub const DEFAULT: &[i64] = &[200000, 1000];

const SEED: u64 = 0x6c69_7374_5f63_6875;
const BATCHES: u32 = 10;
/// A message is far below a microsecond: report every 64th.
const MESSAGES_PER_UNIT: u64 = 64;

pub struct Params {
    pub messages: u64,
    pub queue: usize,
}

pub fn params(v: &[i64]) -> Result<Params, String> {
    match v {
        [m, q] if *m >= 1 && *q >= 1 && *m <= 1 << 40 && *q <= 1 << 40 => Ok(Params {
            messages: *m as u64,
            queue: *q as usize,
        }),
        _ => Err("list_churn: messages and queue must be positive".into()),
    }
}

pub struct Message {
    id: u64,
    payload: [u32; 4],
}

fn pop<S: Make<Message>, O: Observer + ?Sized>(
    queue: &mut VecDeque<S::Own>,
    sum: &mut Checksum,
    obs: &mut O,
) {
    let m = queue.pop_front().expect("pop from a non-empty queue");
    let mut d = fnv1a32_word(FNV_OFFSET_BASIS, m.id as u32);
    for &w in &m.payload {
        d = fnv1a32_word(d, w);
    }
    sum.add32(d);
    release(obs, m);
}

pub fn run<S: Make<Message>, O: Observer + ?Sized>(s: &S, p: &Params, obs: &mut O) -> u64 {
    let mut sum = Checksum::new();
    let mut rng = Rng::new(SEED);
    let mut next_id: u64 = 0;
    let run_epoch = s.begin_epoch();
    for _ in 0..BATCHES {
        let epoch = s.begin_epoch();
        let mut queue: VecDeque<S::Own> = VecDeque::new();
        for _ in 0..p.messages {
            let mut payload = [0u32; 4];
            for w in payload.iter_mut() {
                *w = rng.next();
            }
            queue.push_back(s.make(Message {
                id: next_id,
                payload,
            }));
            next_id += 1;
            if next_id % MESSAGES_PER_UNIT == 0 {
                obs.unit_done();
            }
            if queue.len() > p.queue {
                pop::<S, O>(&mut queue, &mut sum, obs);
            }
        }
        while !queue.is_empty() {
            pop::<S, O>(&mut queue, &mut sum, obs);
        }
        drop(queue);
        // SAFETY: every message of the batch is popped and released.
        unsafe { s.end_epoch(obs, epoch) };
    }
    // SAFETY: nothing is made outside the batches.
    unsafe { s.end_epoch(obs, run_epoch) };
    sum.add(next_id);
    sum.value()
}
