// The RSS timeline: a daemon thread reads /proc/self/statm every period into
// arrays made before it starts (so sampling allocates little the workload's
// collector sees), on a fixed schedule from its start, as an interval timer.
// Made before the warm-up, so warm-up and measured runs see the same threads.
package memstrat.harness;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

public final class Sampler {
  public static final int CAPACITY = 1 << 17;
  private static final long PAGE = 4096;

  private final long periodNs;
  private final long[] t = new long[CAPACITY];
  private final long[] rss = new long[CAPACITY];
  private volatile long startNs = -1;
  private volatile boolean stop;
  private int n;
  private long overflow;
  private final Thread thread;

  public Sampler(long periodMs) {
    periodNs = Math.max(1, periodMs) * 1_000_000L;
    thread = new Thread(this::loop, "memstrat-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  public void start(long nowNs) {
    startNs = nowNs;
    LockSupport.unpark(thread);
  }

  public void stop() {
    stop = true;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    while (startNs < 0) {
      if (stop) {
        return;
      }
      LockSupport.park();
    }
    long origin = startNs;
    byte[] buf = new byte[128];
    try (RandomAccessFile statm = new RandomAccessFile("/proc/self/statm", "r")) {
      for (long tick = 1; ; tick++) {
        statm.seek(0);
        int len = statm.read(buf);
        long pages = 0;
        int i = 0;
        while (i < len && buf[i] != ' ') {
          i++;
        }
        for (i++; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
          pages = pages * 10 + (buf[i] - '0');
        }
        if (n < CAPACITY) {
          t[n] = System.nanoTime() - origin;
          rss[n] = pages * PAGE;
          n++;
        } else {
          overflow++;
        }
        long due = origin + tick * periodNs;
        while (true) {
          if (stop) {
            return;
          }
          long wait = due - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          LockSupport.parkNanos(wait);
        }
      }
    } catch (IOException e) {
      // No /proc: no timeline, as the C++ sampler without a timer.
    }
  }

  public List<Object> tMs() {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(t[i] / 1e6);
    }
    return out;
  }

  public List<Object> rssBytes() {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(rss[i]);
    }
    return out;
  }

  public long maxRss() {
    long m = 0;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, rss[i]);
    }
    return m;
  }

  public long overflow() {
    return overflow;
  }
}
