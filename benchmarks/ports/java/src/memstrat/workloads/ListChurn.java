// list_churn: a FIFO message queue (broker, mailbox): small fixed-size
// messages pushed at the tail and popped from the head a short while later,
// so every object lives a short first-in-first-out span. As in the C++ the
// queue is a singly linked list through the messages themselves; a popped
// message is unlinked and left to the collector.
package memstrat.workloads;

import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Fnv;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class ListChurn implements Workload {
  private static final long SEED = 0x6c6973745f636875L;
  private static final int BATCHES = 10;
  private static final long MAX_MESSAGES = 100_000_000L;
  /** A message is tens of nanoseconds: report every 64th. */
  private static final long MESSAGES_PER_UNIT = 64;

  // The four payload words are fields, not an array: the C++ keeps them in
  // the message (a std::array), so one message stays one object. 64-bit
  // words as in the C++ (each holds one 32-bit draw).
  private static final class Message {
    Message next;
    final long id;
    final long w0;
    final long w1;
    final long w2;
    final long w3;

    Message(long id, long w0, long w1, long w2, long w3) {
      this.id = id;
      this.w0 = w0;
      this.w1 = w1;
      this.w2 = w2;
      this.w3 = w3;
    }
  }

  @Override
  public String name() {
    return "list_churn";
  }

  @Override
  public String unit() {
    return "message";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"messages", "queue"};
  }

  @Override
  public long[] small() {
    return new long[] {2000, 100};
  }

  @Override
  public long[] defaults() {
    return new long[] {200000, 1000};
  }

  /** The consumer's digest of a popped message: one FNV mix per word. */
  private static int digest(Message m) {
    int d = Fnv.word(Fnv.OFFSET_BASIS, (int) m.id);
    d = Fnv.word(d, (int) m.w0);
    d = Fnv.word(d, (int) m.w1);
    d = Fnv.word(d, (int) m.w2);
    return Fnv.word(d, (int) m.w3);
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 2) {
      throw new IllegalArgumentException("list_churn: takes 2 parameters (messages, queue)");
    }
    if (params[0] < 1 || params[0] > MAX_MESSAGES) {
      throw new IllegalArgumentException("list_churn: messages must be in [1, 100000000]");
    }
    if (params[1] < 0 || params[1] > params[0]) {
      throw new IllegalArgumentException("list_churn: queue must be in [0, messages]");
    }
    long messages = params[0];
    long queue = params[1];
    Checksum sum = new Checksum();
    Rng rng = new Rng(SEED);
    long nextId = 0;
    for (int batch = 0; batch < BATCHES; batch++) {
      Message head = null;
      Message tail = null;
      long length = 0;
      for (long i = 0; i < messages; i++) {
        long w0 = rng.next() & 0xffffffffL;
        long w1 = rng.next() & 0xffffffffL;
        long w2 = rng.next() & 0xffffffffL;
        long w3 = rng.next() & 0xffffffffL;
        Message m = new Message(nextId++, w0, w1, w2, w3);
        counts.objects++;
        if (tail == null) {
          head = m;
        } else {
          tail.next = m;
        }
        tail = m;
        if (++length > queue) {
          // Pop: unlink the head (the C++'s take()), digest it, drop it.
          Message popped = head;
          head = popped.next;
          popped.next = null;
          if (head == null) {
            tail = null;
          }
          length--;
          sum.add32(digest(popped));
        }
        if (nextId % MESSAGES_PER_UNIT == 0) {
          obs.unitDone();
        }
      }
      while (length > 0) {
        Message popped = head;
        head = popped.next;
        popped.next = null;
        length--;
        sum.add32(digest(popped));
      }
    }
    sum.add(nextId);
    return sum.value();
  }
}
