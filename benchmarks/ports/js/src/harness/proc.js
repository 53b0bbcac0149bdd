// What Linux says of the whole node process: VmRSS and VmHWM
// (/proc/self/status), the peak reset (/proc/self/clear_refs), Pss
// (/proc/self/smaps_rollup), the process's CPU (process.cpuUsage: every
// thread, ended ones included) and the CPU of its helper threads
// (/proc/self/task/*/schedstat, nanoseconds). Node 18 names none of its
// threads (every comm is "node"), so the helper threads are every thread but
// the main one (tid = pid): V8's platform workers (the collector's parallel scavenging, concurrent marking and
// sweeping, and TurboFan's concurrent compilation share them), Node's
// delayed-task thread and libuv's pool (idle here: the workloads do no I/O).
'use strict';

const fs = require('node:fs');

function read(path) {
  try {
    return fs.readFileSync(path, 'latin1');
  } catch (e) {
    return '';
  }
}

// A "Key:   N kB" field in bytes, or -1.
function kbField(text, key) {
  for (const line of text.split('\n')) {
    if (line.startsWith(key)) {
      const rest = line.slice(key.length).trim();
      if (rest.endsWith('kB')) {
        const n = Number(rest.slice(0, -2).trim());
        return Number.isFinite(n) ? n * 1024 : -1;
      }
    }
  }
  return -1;
}

function rssBytes() { return Math.max(0, kbField(read('/proc/self/status'), 'VmRSS:')); }

function peakRssBytes() { return Math.max(0, kbField(read('/proc/self/status'), 'VmHWM:')); }

// Pss, or -1 where smaps_rollup cannot be read.
function pssBytes() { return kbField(read('/proc/self/smaps_rollup'), 'Pss:'); }

// Resets VmHWM to the current RSS; false if the kernel refused.
function resetPeakRss() {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch (e) {
    return false;
  }
}

// CPU time of every thread of the process, nanoseconds (microsecond steps).
function processCpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function schedstatNs(text) {
  const f = text.trim().split(/\s+/);
  const n = f.length > 0 ? Number(f[0]) : 0;
  return Number.isFinite(n) ? n : 0;
}

// Nanoseconds on CPU of the helper threads alive now (every thread but the
// main one and those in `exclude`, a Set of tids).
function helperCpuNs(exclude) {
  let sum = 0;
  let tasks;
  try {
    tasks = fs.readdirSync('/proc/self/task');
  } catch (e) {
    return 0;
  }
  for (const t of tasks) {
    const tid = Number(t);
    if (tid === process.pid || (exclude && exclude.has(tid))) continue;
    sum += schedstatNs(read(`/proc/self/task/${t}/schedstat`));
  }
  return sum;
}

module.exports = {
  read, kbField, rssBytes, peakRssBytes, pssBytes, resetPeakRss, processCpuNs,
  helperCpuNs, schedstatNs,
};
