// string_dict: word counting, the core of a symbol table or an interner: a
// stream of words from a skewed vocabulary counted in a hash map keyed by
// strings. Many small keys, the map's entries, the tables it outgrows, and
// the pointer chasing of lookups among them.
//
// Where Java differs from the C++'s std::unordered_map<String, uint64_t>:
// - The map is java.util.HashMap: a Node per entry (the C++'s node), its
//   own table grown x2 at a load of 0.75 (libstdc++: to the next prime at a
//   load of 1). The table is the JDK's array, not counted as a buffer.
// - A key is a Word: its ASCII bytes in a byte[] (a String would add one
//   more object per key) with its FNV-1a hash and its count, so an entry is
//   the Node, the Word and its bytes (the C++: one node, plus a buffer for a
//   key beyond the 15-character inline one; Java has no inline buffer, so
//   every key's bytes are a buffer here).
// - A lookup probes with one reused Word over the spelling buffer, as the
//   C++'s transparent find takes a string_view of its buffer: only a miss
//   makes a key.
// - Each spelling draws from a generator seeded by the word's index, and
//   each entry's digest is a Checksum: stack values in C++. Here one of each
//   is reset per item, so no temporary the C++ does not allocate is garbage
//   here (the harness holds compiled and interpreted allocation equal).
package memstrat.workloads;

import java.util.Arrays;
import java.util.HashMap;
import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Fnv;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class StringDict implements Workload {
  private static final long SEED = 0x737472696e675f64L;
  private static final long SPELLING_SEED = 0x776f72645f746578L;
  private static final long MAX_WORDS = 1_000_000_000L;
  /** 26^5: an index spells in at most 5 base-26 digits. */
  private static final long MAX_VOCABULARY = 11_881_376L;
  private static final int MIN_LENGTH = 3;
  private static final int MAX_LENGTH = 24;
  private static final int SKEW = 3;
  /** A word is about a hundred nanoseconds: report every 32nd. */
  private static final long WORDS_PER_UNIT = 32;

  // Equal and hashed by its text alone (the first `length` bytes), so the
  // probe over the spelling buffer finds a stored key; `count` is the
  // entry's value, kept in the key so an entry is one object more than the
  // map's node, as the C++'s node holds the key and the count together.
  private static final class Word {
    final byte[] text;
    int length;
    int hash;
    long count;

    Word(byte[] text, int length, int hash) {
      this.text = text;
      this.length = length;
      this.hash = hash;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Word)) {
        return false;
      }
      Word w = (Word) o;
      return Arrays.equals(text, 0, length, w.text, 0, w.length);
    }
  }

  @Override
  public String name() {
    return "string_dict";
  }

  @Override
  public String unit() {
    return "word";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"words", "vocabulary"};
  }

  @Override
  public long[] small() {
    return new long[] {20000, 2000};
  }

  @Override
  public long[] defaults() {
    return new long[] {400000, 40000};
  }

  /** Base-26 digits of vocabulary - 1, at least one. */
  private static int indexDigits(long vocabulary) {
    int d = 1;
    for (long v = (vocabulary - 1) / 26; v > 0; v /= 26) {
      d++;
    }
    return d;
  }

  /** FNV-1a 32 over the first `length` bytes (the spelling buffer's word). */
  private static int hash(byte[] text, int length) {
    int h = Fnv.OFFSET_BASIS;
    for (int i = 0; i < length; i++) {
      h = Fnv.word(h, text[i] & 0xff);
    }
    return h;
  }

  /**
   * Spells word `index` into `out` (random letters, then the index's digits,
   * least significant first) and returns its length: no allocation.
   */
  private static int spell(long index, int digits, Rng letters, byte[] out) {
    letters.reseed(SPELLING_SEED + index);
    int length = (int) letters.between(Math.max(MIN_LENGTH, digits), MAX_LENGTH);
    // 26^6 < 2^32: one draw spells 6 letters.
    int bits = 0;
    for (int i = 0; i < length - digits; i++) {
      if (i % 6 == 0) {
        bits = letters.next();
      }
      out[i] = (byte) ('a' + Integer.remainderUnsigned(bits, 26));
      bits = Integer.divideUnsigned(bits, 26);
    }
    for (int i = length - digits; i < length; i++) {
      out[i] = (byte) ('a' + index % 26);
      index /= 26;
    }
    return length;
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 2) {
      throw new IllegalArgumentException("string_dict: takes 2 parameters (words, vocabulary)");
    }
    if (params[0] < 1 || params[0] > MAX_WORDS) {
      throw new IllegalArgumentException("string_dict: words must be in [1, 1000000000]");
    }
    if (params[1] < 1 || params[1] > MAX_VOCABULARY) {
      throw new IllegalArgumentException("string_dict: vocabulary must be in [1, 11881376]");
    }
    long words = params[0];
    long vocabulary = params[1];
    Checksum sum = new Checksum();
    Rng rng = new Rng(SEED);
    int digits = indexDigits(vocabulary);
    Rng letters = new Rng(SPELLING_SEED);
    Word probe = new Word(new byte[MAX_LENGTH], 0, 0);
    counts.buffers++;
    HashMap<Word, Word> dict = new HashMap<>();
    for (long n = 0; n < words; n++) {
      probe.length = spell(rng.skewed(vocabulary, SKEW), digits, letters, probe.text);
      probe.hash = hash(probe.text, probe.length);
      Word found = dict.get(probe);
      if (found != null) {
        found.count++;
      } else {
        Word key = new Word(Arrays.copyOf(probe.text, probe.length), probe.length, probe.hash);
        counts.buffers++;
        key.count = 1;
        dict.put(key, key);
      }
      if ((n + 1) % WORDS_PER_UNIT == 0) {
        obs.unitDone();
      }
    }
    // A sum of per-entry digests: the map's iteration order reaches nothing.
    int low = 0;
    int high = 0;
    Checksum entry = new Checksum();
    for (Word key : dict.keySet()) {
      entry.reset();
      entry.add32(key.hash);
      entry.add(key.count);
      long v = entry.value();
      low += (int) v;
      high += (int) (v >>> 32);
    }
    sum.add(dict.size());
    sum.add32(low);
    sum.add32(high);
    return sum.value();
  }
}
