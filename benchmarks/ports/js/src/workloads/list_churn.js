// list_churn: a FIFO message queue (broker, mailbox): small fixed-size
// messages pushed at the tail and popped from the head a short while later,
// so every object lives a short first-in-first-out span. As in the C++ the
// queue is a singly linked list through the messages themselves; a popped
// message is unlinked and left to the collector.
'use strict';

const { Checksum } = require('../work/checksum');
const fnv = require('../work/fnv');
const { Rng } = require('../work/rng');
const { halves } = require('../work/u64');
const { checkParams } = require('../work/workload');

const [SEED_HI, SEED_LO] = halves(0x6c6973745f636875n);
const BATCHES = 10;
const MAX_MESSAGES = 100000000;
// A message is tens of nanoseconds: report every 64th.
const MESSAGES_PER_UNIT = 64;

// The four payload words are fields, not an array: the C++ keeps them in
// the message (a std::array), so one message stays one object.
class Message {
  constructor(id, w0, w1, w2, w3) {
    this.next = null;
    this.id = id;
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }
}

// The consumer's digest of a popped message: one FNV mix per word.
function digest(m) {
  let d = fnv.word(fnv.OFFSET_BASIS, m.id);
  d = fnv.word(d, m.w0);
  d = fnv.word(d, m.w1);
  d = fnv.word(d, m.w2);
  return fnv.word(d, m.w3);
}

function run(params, obs, counts) {
  checkParams('list_churn', params, [['messages', 1, MAX_MESSAGES], ['queue', 0, params[0]]]);
  const messages = params[0];
  const queue = params[1];
  const sum = new Checksum();
  const rng = new Rng(SEED_HI, SEED_LO);
  let nextId = 0;
  for (let batch = 0; batch < BATCHES; batch++) {
    let head = null;
    let tail = null;
    let length = 0;
    for (let i = 0; i < messages; i++) {
      const w0 = rng.next();
      const w1 = rng.next();
      const w2 = rng.next();
      const w3 = rng.next();
      // int32 words: Smi fields, no heap number per word.
      const m = new Message(nextId++, w0, w1, w2, w3);
      counts.objects++;
      if (tail === null) {
        head = m;
      } else {
        tail.next = m;
      }
      tail = m;
      if (++length > queue) {
        // Pop: unlink the head (the C++'s take()), digest it, drop it.
        const popped = head;
        head = popped.next;
        popped.next = null;
        if (head === null) {
          tail = null;
        }
        length--;
        sum.add32(digest(popped));
      }
      if (nextId % MESSAGES_PER_UNIT === 0) {
        obs.unitDone();
      }
    }
    while (length > 0) {
      const popped = head;
      head = popped.next;
      popped.next = null;
      length--;
      sum.add32(digest(popped));
    }
  }
  sum.add(nextId);
  return sum.value();
}

module.exports = {
  name: 'list_churn',
  unit: 'message',
  paramNames: ['messages', 'queue'],
  small: [2000, 100],
  defaults: [200000, 1000],
  notApplicable: null,
  run,
};
