//! Process memory as the kernel sees it, as benchmarks/harness/memory.cc
//! reads it: VmRSS and VmHWM from /proc/self/status, the peak reset through
//! /proc/self/clear_refs, Pss from /proc/self/smaps_rollup, and
//! MemorySampler, which reads resident pages from /proc/self/statm every
//! period into memory reserved up front.
//!
//! The C++ samples from a POSIX timer's signal handler, because a second
//! thread takes glibc's malloc off its single-threaded fast path; std has
//! no timers or signal handlers, so the port samples from a thread. It
//! exists from before the warm-up on, so the warm-up and the measured runs
//! see the same process, and it never allocates: its buffer and its open
//! statm file come from the thread that creates it.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RssReading {
    /// VmRSS
    pub rss_bytes: u64,
    /// VmHWM: peak since start or the last reset
    pub peak_bytes: u64,
}

fn kb_field(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kb| kb.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
}

/// VmRSS and VmHWM; zeros if /proc is unavailable (as the C++).
pub fn read_rss() -> RssReading {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    RssReading {
        rss_bytes: kb_field(&text, "VmRSS:").unwrap_or(0),
        peak_bytes: kb_field(&text, "VmHWM:").unwrap_or(0),
    }
}

/// Pss (proportional set size) in bytes, or None where smaps_rollup cannot
/// be read (kernels before 4.14, no /proc).
pub fn read_pss() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/smaps_rollup").ok()?;
    kb_field(&text, "Pss:")
}

/// Resets VmHWM to the current RSS by writing 5 to /proc/self/clear_refs.
/// False if the kernel refused (then the peak includes earlier work).
pub fn reset_peak_rss() -> bool {
    use std::io::Write;
    match std::fs::OpenOptions::new()
        .write(true)
        .open("/proc/self/clear_refs")
    {
        Ok(mut f) => f.write_all(b"5").is_ok(),
        Err(_) => false,
    }
}

extern "C" {
    // glibc's; std has no page size.
    fn sysconf(name: i32) -> i64;
}
const SC_PAGESIZE: i32 = 30; // _SC_PAGESIZE on Linux

fn page_size() -> u64 {
    // SAFETY: sysconf reads a constant of the C library; no memory is shared.
    let p = unsafe { sysconf(SC_PAGESIZE) };
    if p > 0 {
        p as u64
    } else {
        4096
    }
}

/// The second field of /proc/self/statm (resident pages).
fn resident_pages(buf: &[u8]) -> u64 {
    let mut fields = buf.split(|&c| c == b' ');
    fields.next();
    fields
        .next()
        .unwrap_or(b"")
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0, |v, &c| v * 10 + u64::from(c - b'0'))
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sample {
    /// Since the start given to start().
    pub t_ns: i64,
    pub rss_bytes: u64,
}

/// Samples kept (as the C++: 21 minutes at 10 ms); 16 bytes each, reserved.
pub const CAPACITY: usize = 1 << 17;

struct Shared {
    /// Nanoseconds since `epoch` at which sampling started; -1 before.
    start_ns: AtomicI64,
    stop: AtomicBool,
}

pub struct MemorySampler {
    shared: Arc<Shared>,
    epoch: Instant,
    thread: Option<JoinHandle<(Vec<Sample>, u64)>>,
    samples: Vec<Sample>,
    overflow: u64,
}

impl MemorySampler {
    /// Creates the sampling thread, waiting for start(). `epoch` is the
    /// origin of the times given to start(). Without /proc/self/statm or a
    /// thread the sampler samples nothing, as the C++ one without a timer.
    pub fn new(period_ms: u64, epoch: Instant) -> MemorySampler {
        let shared = Arc::new(Shared {
            start_ns: AtomicI64::new(-1),
            stop: AtomicBool::new(false),
        });
        let period = Duration::from_millis(period_ms.max(1));
        let page = page_size();
        let thread = File::open("/proc/self/statm").ok().and_then(|statm| {
            let mut samples = Vec::with_capacity(CAPACITY);
            let s = Arc::clone(&shared);
            thread::Builder::new()
                .name("memstrat-sampler".into())
                .stack_size(64 << 10)
                .spawn(move || sample_loop(&s, epoch, period, page, &statm, &mut samples))
                .ok()
        });
        MemorySampler {
            shared,
            epoch,
            thread,
            samples: Vec::new(),
            overflow: 0,
        }
    }

    /// Starts sampling now: a first sample right away, then one a period.
    /// `start_ns` is now, in nanoseconds since the epoch.
    pub fn start(&self, start_ns: i64) {
        self.shared
            .start_ns
            .store(start_ns.max(0), Ordering::Release);
        if let Some(t) = &self.thread {
            t.thread().unpark();
        }
    }

    /// Stops and collects the samples.
    pub fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            if let Ok((samples, overflow)) = t.join() {
                self.samples = samples;
                self.overflow = overflow;
            }
        }
    }

    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }
    pub fn overflow(&self) -> u64 {
        self.overflow
    }
    pub fn epoch(&self) -> Instant {
        self.epoch
    }
}

impl Drop for MemorySampler {
    fn drop(&mut self) {
        self.stop();
    }
}

fn since(epoch: Instant) -> i64 {
    let d = Instant::now().saturating_duration_since(epoch);
    d.as_secs() as i64 * 1_000_000_000 + i64::from(d.subsec_nanos())
}

fn sample_loop(
    shared: &Shared,
    epoch: Instant,
    period: Duration,
    page: u64,
    statm: &File,
    samples: &mut Vec<Sample>,
) -> (Vec<Sample>, u64) {
    // Started wins over stopped: a started sampler has at least one sample.
    let start = loop {
        let s = shared.start_ns.load(Ordering::Acquire);
        if s >= 0 {
            break s;
        }
        if shared.stop.load(Ordering::Acquire) {
            return (std::mem::take(samples), 0);
        }
        thread::park();
    };
    let origin = epoch + Duration::from_nanos(start as u64);
    let mut overflow = 0u64;
    let mut tick: u32 = 0;
    loop {
        let mut buf = [0u8; 128];
        let rss = match statm.read_at(&mut buf, 0) {
            Ok(n) if n > 0 => resident_pages(&buf[..n]) * page,
            _ => 0,
        };
        if samples.len() < CAPACITY {
            samples.push(Sample {
                t_ns: since(epoch) - start,
                rss_bytes: rss,
            });
        } else {
            overflow += 1;
        }
        // Ticks on a fixed schedule from the start, as an interval timer:
        // a late sample does not shift the later ones.
        tick = tick.saturating_add(1);
        let due = origin + period * tick;
        loop {
            if shared.stop.load(Ordering::Acquire) {
                return (std::mem::take(samples), overflow);
            }
            let now = Instant::now();
            if now >= due {
                break;
            }
            thread::park_timeout(due - now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_the_kernel_writes() {
        assert_eq!(resident_pages(b"765 444 416 5 0 123 0\n"), 444);
        let status = "Name:\tx\nVmHWM:\t    1700 kB\nVmRSS:\t    1688 kB\n";
        assert_eq!(kb_field(status, "VmRSS:"), Some(1688 * 1024));
        assert_eq!(kb_field(status, "VmHWM:"), Some(1700 * 1024));
        assert_eq!(kb_field(status, "Pss:"), None);
        let r = read_rss();
        assert!(r.rss_bytes > 0 && r.peak_bytes >= r.rss_bytes / 2);
    }

    #[test]
    fn the_sampler_samples_from_its_start_until_stopped() {
        let epoch = Instant::now();
        let mut s = MemorySampler::new(1, epoch);
        s.start(since(epoch));
        thread::sleep(Duration::from_millis(5));
        s.stop();
        let samples = s.samples();
        assert!(!samples.is_empty());
        assert!(samples.iter().all(|x| x.rss_bytes > 0 && x.t_ns >= 0));
        assert!(samples.windows(2).all(|w| w[0].t_ns <= w[1].t_ns));
        assert_eq!(s.overflow(), 0);
    }

    #[test]
    fn a_sampler_never_started_samples_nothing() {
        let mut s = MemorySampler::new(1, Instant::now());
        s.stop();
        assert!(s.samples().is_empty());
    }
}
