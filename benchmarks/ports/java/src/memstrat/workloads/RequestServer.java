// request_server: an RPC/HTTP service loop over a large table of long-lived
// sessions, each request making short-lived temporaries (its text, a list of
// parsed fields, their hashes, the reply) that die when it ends: the
// workload for tail latency, since a collection lands inside whichever
// request triggers it. The session table is the live set every full
// collection marks.
//
// Where Java differs from the C++:
// - A session's ring of recent hashes is an int[16] beside the Session (the
//   C++ keeps it inline: Java has no inline arrays), so a session is three
//   objects (the Session, its history, its ring) where the C++ makes two.
// - The request text and the reply are StringBuilders grown by appends (a
//   builder and its byte array, regrown x2 + 2, as the C++'s string
//   regrows x2); a field's name and value are Strings cut from the text,
//   each a String and its byte array (the C++'s strings keep up to 15
//   characters inline, so most of its names and many values are no
//   allocation).
package memstrat.workloads;

import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Fnv;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class RequestServer implements Workload {
  private static final long SEED = 0x5e5510f5eed50001L;
  private static final long MAX_REQUESTS = 100_000_000L;
  private static final long MAX_SESSIONS = 10_000_000L;
  private static final int HISTORY_LENGTH = 48;
  private static final int RECENT = 16;
  private static final long MIN_FIELDS = 1;
  private static final long MAX_FIELDS = 10;
  private static final long MAX_VALUE_LENGTH = 40;
  private static final String[] VERBS = {
    "get", "put", "list", "delete", "watch", "patch", "head", "post"
  };
  private static final String[] NAMES = {
    "user", "path", "lang", "q", "ref", "ua", "cookie", "ts", "page", "sort"
  };
  /** Base32: one draw yields 6 characters, low bits first. */
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int CHAR_BITS = 5;
  private static final int CHARS_PER_DRAW = 32 / CHAR_BITS;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  // Long-lived per-client state; a request only overwrites it. The 32-bit
  // words are unsigned in the C++, arithmetic mod 2^32 either way.
  private static final class Session {
    final int[] history;
    final int[] recent = new int[RECENT];
    final long id;
    long requests;
    long bytesIn;
    int digest;
    int nextRecent;

    Session(int[] history, long id) {
      this.history = history;
      this.id = id;
    }
  }

  // One name=value pair of a parsed request, linked in request order.
  private static final class Field {
    final String name;
    final String value;
    final int hash;
    Field next;

    Field(String name, String value, int hash) {
      this.name = name;
      this.value = value;
      this.hash = hash;
    }
  }

  @Override
  public String name() {
    return "request_server";
  }

  @Override
  public String unit() {
    return "request";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"requests", "sessions"};
  }

  @Override
  public long[] small() {
    return new long[] {1000, 1000};
  }

  @Override
  public long[] defaults() {
    return new long[] {50000, 200000};
  }

  /** The request as it arrives off the wire, grown by appends. */
  private static StringBuilder synthesize(Rng rng, long sid) {
    StringBuilder text = new StringBuilder();
    text.append("sid=").append(sid).append("&op=");
    text.append(VERBS[(int) rng.below(VERBS.length)]);
    long fields = rng.between(MIN_FIELDS, MAX_FIELDS);
    for (long i = 0; i < fields; i++) {
      text.append('&').append(NAMES[(int) rng.below(NAMES.length)]).append('=');
      long length = rng.between(1, MAX_VALUE_LENGTH);
      int bits = 0;
      for (long j = 0; j < length; j++) {
        if (j % CHARS_PER_DRAW == 0) {
          bits = rng.next();
        }
        text.append(ALPHABET.charAt(bits & (ALPHABET.length() - 1)));
        bits >>>= CHAR_BITS;
      }
    }
    return text;
  }

  /** Splits "a=b&c=d" into a list of fields in request order. */
  private static Field parse(CharSequence text, Counts counts) {
    Field head = null;
    Field tail = null;
    int start = 0;
    int end = text.length();
    while (start < end) {
      int amp = indexOf(text, '&', start, end);
      int eq = indexOf(text, '=', start, amp);
      String name = text.subSequence(start, eq).toString();
      String value = eq < amp ? text.subSequence(eq + 1, amp).toString() : "";
      Field f = new Field(name, value, Fnv.hash(value));
      counts.objects++;
      if (tail == null) {
        head = f;
      } else {
        tail.next = f;
      }
      tail = f;
      start = amp + 1;
    }
    return head;
  }

  /** The first `c` in [from, to), or `to`. */
  private static int indexOf(CharSequence text, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return to;
  }

  /** Lowercase hex without leading zeros, appended without a temporary String. */
  private static void appendHex(StringBuilder out, int v) {
    int shift = Math.max(0, 28 - (Integer.numberOfLeadingZeros(v) & ~3));
    for (; shift >= 0; shift -= 4) {
      out.append(HEX[(v >>> shift) & 15]);
    }
  }

  private static int serve(Rng rng, Session[] sessions, Counts counts) {
    StringBuilder text = synthesize(rng, rng.below(sessions.length));
    Field fields = parse(text, counts);

    int count = 0;
    for (Field f = fields; f != null; f = f.next) {
      count++;
    }
    int[] hashes = new int[count];
    counts.buffers++;
    int k = 0;
    for (Field f = fields; f != null; f = f.next) {
      hashes[k++] = f.hash;
    }

    // The first field is sid=<index>, as synthesize wrote it.
    Session session = sessions[Integer.parseInt(fields.value)];
    session.requests++;
    session.bytesIn += text.length();
    for (int h : hashes) {
      session.recent[Integer.remainderUnsigned(session.nextRecent++, RECENT)] = h;
      session.history[Integer.remainderUnsigned(h, HISTORY_LENGTH)] += h;
      session.digest = Fnv.word(session.digest, h);
    }

    StringBuilder reply = new StringBuilder();
    reply.append("ok sid=").append(session.id).append(" n=").append(session.requests);
    // Every field after sid, echoed with its hash in lowercase hex.
    for (Field f = fields.next; f != null; f = f.next) {
      reply.append(' ').append(f.name).append('=');
      appendHex(reply, f.hash);
    }
    return Fnv.hash(reply) ^ session.digest;
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 2) {
      throw new IllegalArgumentException("request_server: takes 2 parameters (requests, sessions)");
    }
    if (params[0] < 1 || params[0] > MAX_REQUESTS) {
      throw new IllegalArgumentException("request_server: requests must be in [1, 100000000]");
    }
    if (params[1] < 1 || params[1] > MAX_SESSIONS) {
      throw new IllegalArgumentException("request_server: sessions must be in [1, 10000000]");
    }
    long requests = params[0];
    int sessionCount = (int) params[1];
    Checksum sum = new Checksum();
    Rng rng = new Rng(SEED);
    Session[] sessions = new Session[sessionCount];
    counts.buffers++;
    for (int i = 0; i < sessionCount; i++) {
      int[] history = new int[HISTORY_LENGTH];
      for (int j = 0; j < HISTORY_LENGTH; j++) {
        history[j] = rng.next();
      }
      sessions[i] = new Session(history, i);
      counts.objects++;
      counts.buffers += 2;
    }
    for (long r = 0; r < requests; r++) {
      obs.requestBegin();
      sum.add32(serve(rng, sessions, counts));
      obs.requestEnd();
      obs.unitDone();
    }
    for (int i = 0; i < sessionCount; i++) {
      Session session = sessions[i];
      int history = 0;
      for (int h : session.history) {
        history ^= h;
      }
      sum.add32(session.digest);
      sum.add(session.requests);
      sum.add(session.bytesIn);
      sum.add32(history);
      sum.add32(session.recent[Integer.remainderUnsigned(session.nextRecent, RECENT)]);
      sessions[i] = null;
    }
    return sum.value();
  }
}
