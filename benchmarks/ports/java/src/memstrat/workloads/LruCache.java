// lru_cache: a long-lived cache under steady churn, as in front of a database
// or a remote service: a hit moves its entry to the front, a miss makes an
// entry and, once the cache is full, evicts the least recently used one. A
// large live set with continuous death of old objects: the collector traces
// the whole cache to find the few evicted entries.
//
// Where Java differs from the C++'s HashMap<uint64_t, Owner<Entry>> with an
// intrusive doubly linked list through the entries:
// - The list is the C++'s own (prev/next fields of the entries), not a
//   LinkedHashMap, whose entries would be the map's nodes: here an entry is
//   an Entry, its value array and the map's node, as the C++'s entry, value
//   buffer and map node.
// - The map is java.util.HashMap keyed by the entries themselves (equal and
//   hashed by their key), presized for capacity + 1 entries as the C++'s
//   reserve. A lookup probes with one reused Entry, as StringDict's: boxing
//   each request's key in a Long would be garbage the C++ never makes, which
//   C2 may remove where the interpreter does not (the harness holds compiled
//   and interpreted allocation equal). The hash decides only bucket
//   placement, never the checksum.
// - A value is a long[] of its words (the C++'s byte vector of the same
//   size), one counted buffer.
package memstrat.workloads;

import java.util.HashMap;
import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Fnv;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class LruCache implements Workload {
  private static final long SEED = 0x6c727563L;
  private static final long KEY_SPACE_FACTOR = 2;
  private static final long MIN_VALUE_WORDS = 4;
  private static final long MAX_VALUE_WORDS = 64;
  private static final long MAX_CAPACITY = 100_000_000L;
  private static final long MAX_REQUESTS = 10_000_000_000L;

  // prev and next link the LRU list: prev points towards the head.
  private static final class Entry {
    long key;
    final long[] value;
    Entry prev;
    Entry next;

    Entry(long key, long[] value) {
      this.key = key;
      this.value = value;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry && ((Entry) o).key == key;
    }
  }

  // The list's ends.
  private static final class LruList {
    Entry head; // most recently used
    Entry tail; // next to evict

    void unlink(Entry e) {
      if (e.prev != null) {
        e.prev.next = e.next;
      } else {
        head = e.next;
      }
      if (e.next != null) {
        e.next.prev = e.prev;
      } else {
        tail = e.prev;
      }
    }

    void pushFront(Entry e) {
      e.prev = null;
      e.next = head;
      if (head != null) {
        head.prev = e;
      } else {
        tail = e;
      }
      head = e;
    }
  }

  @Override
  public String name() {
    return "lru_cache";
  }

  @Override
  public String unit() {
    return "request";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"capacity", "requests"};
  }

  @Override
  public long[] small() {
    return new long[] {1000, 10000};
  }

  @Override
  public long[] defaults() {
    return new long[] {20000, 400000};
  }

  /** FNV over the words' low halves, starting from the value's byte size. */
  private static int digest(long[] value) {
    int h = value.length * 8;
    for (long w : value) {
      h = Fnv.word(h, (int) w);
    }
    return h;
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 2) {
      throw new IllegalArgumentException("lru_cache: takes 2 parameters (capacity, requests)");
    }
    if (params[0] < 1 || params[0] > MAX_CAPACITY) {
      throw new IllegalArgumentException("lru_cache: capacity must be in [1, 100000000]");
    }
    if (params[1] < 1 || params[1] > MAX_REQUESTS) {
      throw new IllegalArgumentException("lru_cache: requests must be in [1, 10000000000]");
    }
    int capacity = (int) params[0];
    long requests = params[1];
    Checksum sum = new Checksum();
    // Room for capacity + 1 entries below the 0.75 load factor: no rehash.
    HashMap<Entry, Entry> map = new HashMap<>((int) ((capacity + 1) / 0.75) + 1);
    LruList lru = new LruList();
    Rng rng = new Rng(SEED);
    Entry probe = new Entry(0, null);
    long keySpace = KEY_SPACE_FACTOR * capacity;
    long hits = 0;
    for (long r = 0; r < requests; r++) {
      obs.requestBegin();
      // The odd multiplier, a bijection mod 2^32, scatters popular ranks.
      long key = (rng.skewed(keySpace, 3) * 0x9e3779b9L) & 0xffffffffL;
      probe.key = key;
      Entry e = map.get(probe);
      if (e != null) {
        lru.unlink(e);
        lru.pushFront(e);
        sum.add32(digest(e.value));
        hits++;
      } else {
        int words = (int) rng.between(MIN_VALUE_WORDS, MAX_VALUE_WORDS);
        long[] value = new long[words];
        counts.buffers++;
        for (int j = 0; j < words; j++) {
          value[j] = (key * (j + 1)) & 0xffffffffL;
        }
        e = new Entry(key, value);
        counts.objects++;
        map.put(e, e);
        lru.pushFront(e);
        if (map.size() > capacity) {
          Entry victim = lru.tail;
          lru.unlink(victim);
          sum.add32((int) victim.key);
          map.remove(victim);
        }
      }
      obs.requestEnd();
      obs.unitDone();
    }
    sum.add(hits);
    sum.add(map.size());
    return sum.value();
  }
}
