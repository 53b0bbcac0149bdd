// StallRecorder, the port of benchmarks/harness/stalls.{h,cc} (as the Java
// port's Stalls.java): the gaps between the units of work a workload reports,
// within a run and from its last unit to its end, never before its first
// unit. A stall is a gap longer than max(1 ms, 10 x the median gap); gaps of
// 1 ms or more are kept raw in typed arrays made before the measured runs, so
// recording allocates nothing.
'use strict';

const { Histogram } = require('./histogram');

const FLOOR_NS = 1000000;
const MEDIAN_FACTOR = 10;
const RAW_CAPACITY = 1 << 16;

class Stalls {
  constructor() {
    this.last = -1;
    this.gaps = new Histogram();
    this.rawStart = new Float64Array(RAW_CAPACITY);
    this.rawDuration = new Float64Array(RAW_CAPACITY);
    this.raw = 0;
    this.overflow = 0;
  }

  unitAt(t) {
    if (this.last >= 0) {
      const gap = t - this.last;
      this.gaps.record(gap);
      if (gap >= FLOOR_NS) {
        if (this.raw < RAW_CAPACITY) {
          this.rawStart[this.raw] = this.last;
          this.rawDuration[this.raw] = gap;
          this.raw++;
        } else {
          this.overflow++;
        }
      }
    }
    this.last = t;
  }

  beginRun() { this.last = -1; }

  endRunAt(t) {
    this.unitAt(t);
    this.last = -1;
  }

  reset() {
    this.last = -1;
    this.gaps.reset();
    this.raw = 0;
    this.overflow = 0;
  }

  thresholdNs() {
    return Math.max(FLOOR_NS, MEDIAN_FACTOR * this.gaps.quantile(0.5));
  }

  // The raw gaps longer than the threshold, start relative to `origin`.
  events(origin) {
    const threshold = this.thresholdNs();
    const out = [];
    for (let i = 0; i < this.raw; i++) {
      if (this.rawDuration[i] > threshold) {
        out.push({
          start_ns: Math.round(this.rawStart[i] - origin),
          duration_ns: Math.floor(this.rawDuration[i]),
        });
      }
    }
    return out;
  }

  toJson(unit, origin) {
    return {
      unit,
      gaps: this.gaps.summary(),
      threshold_ns: this.thresholdNs(),
      threshold_floor_ns: FLOOR_NS,
      threshold_median_factor: MEDIAN_FACTOR,
      events: this.events(origin),
      events_overflow: this.overflow,
    };
  }
}

module.exports = { Stalls, FLOOR_NS, MEDIAN_FACTOR, RAW_CAPACITY };
