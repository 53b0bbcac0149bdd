// FNV-1a 32-bit (docs/workloads.md, "The hash"): the string hash and the
// per-object word digest every port computes alike. Results are int32
// (u64.js says why); `>>> 0` reads one unsigned.
'use strict';

const OFFSET_BASIS = 0x811c9dc5 | 0;
const PRIME = 16777619;

// Over a string's bytes as UTF-8; the workloads' text is ASCII, so one
// char code is one byte.
function hash(text) {
  let h = OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), PRIME);
  }
  return h;
}

// Over bytes[from, to) of a Uint8Array.
function hashBytes(bytes, from, to) {
  let h = OFFSET_BASIS;
  for (let i = from; i < to; i++) {
    h = Math.imul(h ^ bytes[i], PRIME);
  }
  return h;
}

// One FNV step over a whole word: the workloads' cheap per-object digest.
function word(h, w) {
  return Math.imul(h ^ w, PRIME);
}

module.exports = { OFFSET_BASIS, PRIME, hash, hashBytes, word };
