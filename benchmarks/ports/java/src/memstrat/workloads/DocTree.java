// doc_tree: parse-and-discard of generated JSON documents, the
// request-scoped tree of mixed node types a service builds for every request
// (a parsed body, a config, an RPC payload) and drops when it answers: many
// small objects of different sizes made together and dead together.
//
// Where Java differs from the C++'s Value (one struct for every kind, with a
// String, a vector of members and a vector of items):
// - A member's key is a field of its value (the C++'s Member is a key and an
//   owner side by side in the members vector), so an object's members and an
//   array's items are one array of children: one buffer per growth, regrown
//   x2 from 1 as libstdc++'s vector, each growth leaving a dead array as
//   there.
// - A string or key is its ASCII bytes in a byte[] (a String would add one
//   more object); Java has no 15-byte inline buffer, so every string and key
//   is a buffer here, where the C++ allocates only the longer ones.
// - The text is one byte[] reserved for the largest document, as the C++'s;
//   integers are written and read in place. The per-document generator and
//   the parser's position are reused scratch (Rng.reseed): stack values in
//   the C++.
// Recursion (generation, parse, walk) is at most MAX_DEPTH + 1 = 9 deep.
package memstrat.workloads;

import java.util.Arrays;
import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Fnv;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class DocTree implements Workload {
  private static final long SEED = 0x6a736f6eL;
  private static final int MAX_DEPTH = 8;
  private static final long MAX_FANOUT = 8;
  private static final long CONTAINER_PERCENT = 20;
  private static final long STRING_PERCENT = 45;
  private static final long LONG_STRING_PERCENT = 40;
  private static final long MAX_STRING_LENGTH = 120;
  private static final long MAX_KEY_LENGTH = 20;
  private static final long MAX_MAGNITUDE = 999_999_999L;
  /** A comma, a key with its quotes and colon, the longest quoted string. */
  private static final long MAX_VALUE_BYTES = 1 + (MAX_KEY_LENGTH + 3) + (MAX_STRING_LENGTH + 2);
  private static final long MAX_DOCUMENTS = 100_000_000L;
  private static final long MAX_NODES = 1_000_000L;
  private static final byte[] ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int ARRAY_TAG = 1 << 30;
  private static final int OBJECT_TAG = 2 << 30;

  private static final byte NUMBER = 0;
  private static final byte STRING = 1;
  private static final byte ARRAY = 2;
  private static final byte OBJECT = 3;

  // One class for every kind, as tagged-union DOMs do; only its kind's
  // fields are set, and a value with no text or children allocates nothing
  // more.
  private static final class Value {
    final byte kind;
    final long number;
    final byte[] text;
    /** Its key in the object holding it; null in an array or at the root. */
    byte[] key;
    Value[] children;
    int size;

    Value(byte kind, long number, byte[] text) {
      this.kind = kind;
      this.number = number;
      this.text = text;
    }

    void add(Value child, Counts counts) {
      if (children == null || size == children.length) {
        children = children == null ? new Value[1] : Arrays.copyOf(children, 2 * size);
        counts.buffers++;
      }
      children[size++] = child;
    }
  }

  // The run's scratch: the text buffer and its length, the generator, the
  // generation budget and the parser's position.
  private static final class Doc {
    final byte[] text;
    int length;
    final Rng rng = new Rng(SEED);
    long budget;
    int pos;

    Doc(byte[] text) {
      this.text = text;
    }

    void put(int c) {
      text[length++] = (byte) c;
    }
  }

  @Override
  public String name() {
    return "doc_tree";
  }

  @Override
  public String unit() {
    return "document";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"documents", "nodes"};
  }

  @Override
  public long[] small() {
    return new long[] {20, 200};
  }

  @Override
  public long[] defaults() {
    return new long[] {500, 1000};
  }

  // --- Generation: exactly `nodes` values, the root an object. ---

  private static void generate(Doc doc, long nodes) {
    doc.budget = nodes - 1;
    doc.put('{');
    for (boolean first = true; doc.budget > 0; first = false) {
      if (!first) {
        doc.put(',');
      }
      appendKey(doc);
      generateValue(doc, 1);
    }
    doc.put('}');
  }

  private static void generateValue(Doc doc, int depth) {
    Rng rng = doc.rng;
    doc.budget--;
    long r = rng.below(100);
    if (r < CONTAINER_PERCENT && depth < MAX_DEPTH) {
      boolean object = r < CONTAINER_PERCENT / 2;
      doc.put(object ? '{' : '[');
      long fanout = rng.between(1, MAX_FANOUT);
      for (long i = 0; i < fanout && doc.budget > 0; i++) {
        if (i > 0) {
          doc.put(',');
        }
        if (object) {
          appendKey(doc);
        }
        generateValue(doc, depth + 1);
      }
      doc.put(object ? '}' : ']');
    } else if (r < CONTAINER_PERCENT + STRING_PERCENT) {
      long length =
          rng.chance(LONG_STRING_PERCENT, 100)
              ? rng.between(16, MAX_STRING_LENGTH)
              : rng.between(1, 15);
      appendString(doc, length);
    } else {
      long n =
          rng.chance(1, 2) ? rng.between(0, 999) : rng.between(-MAX_MAGNITUDE, MAX_MAGNITUDE);
      appendInteger(doc, n);
    }
  }

  private static void appendKey(Doc doc) {
    appendString(doc, doc.rng.between(2, MAX_KEY_LENGTH));
    doc.put(':');
  }

  // 6 bits a character, 5 characters per draw, low bits first.
  private static void appendString(Doc doc, long length) {
    doc.put('"');
    int bits = 0;
    for (long i = 0; i < length; i++) {
      if (i % 5 == 0) {
        bits = doc.rng.next();
      }
      doc.put(ALPHABET[bits & 63]);
      bits >>>= 6;
    }
    doc.put('"');
  }

  /** Decimal, written in place (Long.toString would make a String). */
  private static void appendInteger(Doc doc, long n) {
    if (n < 0) {
      doc.put('-');
      n = -n;
    }
    long scale = 1;
    while (scale * 10 <= n) {
      scale *= 10;
    }
    for (; scale > 0; scale /= 10) {
      doc.put((int) ('0' + n / scale % 10));
    }
  }

  // --- Parsing: the generator's output is well formed by construction, so
  // the parser checks nothing: the allocation pattern of a DOM parser. ---

  private static Value parseValue(Doc doc, Counts counts) {
    byte[] text = doc.text;
    switch (text[doc.pos]) {
      case '{':
        {
          doc.pos++;
          Value v = make(OBJECT, 0, null, counts);
          while (text[doc.pos] != '}') {
            byte[] key = parseString(doc, counts);
            doc.pos++; // ':'
            Value child = parseValue(doc, counts);
            child.key = key;
            v.add(child, counts);
            if (text[doc.pos] == ',') {
              doc.pos++;
            }
          }
          doc.pos++;
          return v;
        }
      case '[':
        {
          doc.pos++;
          Value v = make(ARRAY, 0, null, counts);
          while (text[doc.pos] != ']') {
            v.add(parseValue(doc, counts), counts);
            if (text[doc.pos] == ',') {
              doc.pos++;
            }
          }
          doc.pos++;
          return v;
        }
      case '"':
        return make(STRING, 0, parseString(doc, counts), counts);
      default:
        {
          boolean negative = text[doc.pos] == '-';
          if (negative) {
            doc.pos++;
          }
          long n = 0;
          while (text[doc.pos] >= '0' && text[doc.pos] <= '9') {
            n = 10 * n + (text[doc.pos++] - '0');
          }
          return make(NUMBER, negative ? -n : n, null, counts);
        }
    }
  }

  /** The bytes between the quotes at pos, leaving pos after them. */
  private static byte[] parseString(Doc doc, Counts counts) {
    int begin = doc.pos + 1;
    int end = begin;
    while (doc.text[end] != '"') {
      end++;
    }
    doc.pos = end + 1;
    counts.buffers++;
    return Arrays.copyOfRange(doc.text, begin, end);
  }

  private static Value make(byte kind, long number, byte[] text, Counts counts) {
    counts.objects++;
    return new Value(kind, number, text);
  }

  // --- Walking: every value in document order, one 32-bit word each: an
  // integer as its two's complement, a string or key as its FNV-1a, an array
  // or object as a tag in the top two bits over its child count. ---

  private static void walk(Value v, Checksum sum) {
    switch (v.kind) {
      case NUMBER:
        sum.add32((int) v.number);
        break;
      case STRING:
        sum.add32(Fnv.hash(v.text));
        break;
      case ARRAY:
        sum.add32(ARRAY_TAG | v.size);
        for (int i = 0; i < v.size; i++) {
          walk(v.children[i], sum);
        }
        break;
      default:
        sum.add32(OBJECT_TAG | v.size);
        for (int i = 0; i < v.size; i++) {
          sum.add32(Fnv.hash(v.children[i].key));
          walk(v.children[i], sum);
        }
        break;
    }
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 2) {
      throw new IllegalArgumentException("doc_tree: takes 2 parameters (documents, nodes)");
    }
    if (params[0] < 1 || params[0] > MAX_DOCUMENTS) {
      throw new IllegalArgumentException("doc_tree: documents must be in [1, 100000000]");
    }
    if (params[1] < 1 || params[1] > MAX_NODES) {
      throw new IllegalArgumentException("doc_tree: nodes must be in [1, 1000000]");
    }
    long documents = params[0];
    long nodes = params[1];
    Checksum sum = new Checksum();
    Doc doc = new Doc(new byte[(int) (nodes * MAX_VALUE_BYTES)]);
    counts.buffers++;
    for (long d = 0; d < documents; d++) {
      doc.length = 0;
      doc.rng.reseed(SEED + d);
      generate(doc, nodes);
      obs.requestBegin();
      doc.pos = 0;
      Value root = parseValue(doc, counts);
      counts.hold(root);
      walk(root, sum);
      // The C++ releases the tree here; it lives no longer in Java.
      counts.hold(null);
      obs.requestEnd();
      obs.unitDone();
    }
    return sum.value();
  }
}
