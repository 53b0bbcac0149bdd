// producer_consumer: a pipeline stage. The calling thread makes messages and
// pushes them through a bounded FIFO of 256 slots to a consumer thread, which
// digests and drops them: objects made on one thread die on another, and the
// collector has a second running thread to stop. At each batch end the
// producer waits until the consumer has dropped the whole batch (the C++
// arena's handshake, which every strategy runs). Consumption is FIFO, so
// neither checksum depends on the scheduling.
package memstrat.workloads;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Fnv;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class ProducerConsumer implements Workload {
  private static final long SEED = 0x9c0d0ce500000001L;
  private static final long MAX_MESSAGES = 1_000_000_000L;
  private static final int QUEUE_CAPACITY = 256;
  private static final long MAX_PAYLOAD = 16;
  private static final long MESSAGES_PER_UNIT = 32;

  private static final class Message {
    // 64-bit words as in the C++ (each holds one 32-bit draw).
    final long[] payload;
    final long id;

    Message(long[] payload, long id) {
      this.payload = payload;
      this.id = id;
    }
  }

  // The consumer's side of one run: its checksum and counts, what made it
  // fail, and a permit per message dropped, which the producer's batch
  // handshake takes (java.util.concurrent's Semaphore in place of the C++'s
  // counter under the queue's mutex: a release costs one atomic add).
  private static final class Consumer implements Runnable {
    final ArrayBlockingQueue<Message> queue;
    final long messages;
    final Thread producer;
    final Semaphore dropped = new Semaphore(0);
    final Checksum consumed = new Checksum();
    final Counts counts = new Counts();
    volatile Throwable failure;

    Consumer(ArrayBlockingQueue<Message> queue, long messages, Thread producer) {
      this.queue = queue;
      this.messages = messages;
      this.producer = producer;
    }

    @Override
    public void run() {
      long atStart = Counts.threadBytes();
      try {
        for (long i = 0; i < messages; i++) {
          // The consumer holds the message's last reference: it dies here.
          consumed.add32(digest(queue.take()));
          dropped.release();
        }
      } catch (InterruptedException e) {
        // The producer failed and stopped the run.
      } catch (Throwable t) {
        failure = t;
        producer.interrupt(); // it may be waiting on this thread
      } finally {
        counts.workerBytes += Counts.threadBytes() - atStart;
      }
    }
  }

  @Override
  public String name() {
    return "producer_consumer";
  }

  @Override
  public String unit() {
    return "message";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"messages", "batch"};
  }

  @Override
  public long[] small() {
    return new long[] {5000, 100};
  }

  @Override
  public long[] defaults() {
    return new long[] {100000, 1000};
  }

  private static int digest(Message m) {
    int h = (int) m.id;
    for (long v : m.payload) {
      h = Fnv.word(h, (int) v);
    }
    return h;
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 2) {
      throw new IllegalArgumentException("producer_consumer: expects 2 parameters: messages, batch");
    }
    if (params[0] < 1 || params[0] > MAX_MESSAGES) {
      throw new IllegalArgumentException("producer_consumer: messages must be in [1, 1000000000]");
    }
    if (params[1] < 1 || params[1] > params[0]) {
      throw new IllegalArgumentException("producer_consumer: batch must be in [1, messages]");
    }
    long messages = params[0];
    long batch = params[1];
    Checksum produced = new Checksum();
    // java.util.concurrent's bounded FIFO in place of the C++'s ring under a
    // mutex and two condition variables; its slot array is the JDK's.
    ArrayBlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    Consumer consumer = new Consumer(queue, messages, Thread.currentThread());
    Thread thread = new Thread(consumer, "memstrat-consumer");
    thread.setDaemon(true);
    thread.start();
    try {
      Rng rng = new Rng(SEED);
      for (long id = 0; id < messages; ) {
        long end = Math.min(messages, id + batch);
        int batchSize = (int) (end - id);
        for (; id < end; id++) {
          long[] payload = new long[(int) rng.between(1, MAX_PAYLOAD)];
          counts.buffers++;
          for (int j = 0; j < payload.length; j++) {
            payload[j] = rng.next() & 0xffffffffL;
          }
          Message m = new Message(payload, id);
          counts.objects++;
          produced.add32(digest(m));
          queue.put(m);
          if ((id + 1) % MESSAGES_PER_UNIT == 0) {
            obs.unitDone();
          }
        }
        consumer.dropped.acquire(batchSize);
      }
      thread.join();
    } catch (InterruptedException e) {
      // The consumer failed (it interrupts this thread then), or someone
      // stopped the run: either way the consumer must end before we return.
      thread.interrupt();
      joinQuietly(thread);
      if (consumer.failure == null) {
        throw new IllegalStateException("producer_consumer: the run was interrupted", e);
      }
    } catch (RuntimeException | Error e) {
      // Out of heap on the producer: stop the consumer, which would wait for
      // messages that never come.
      thread.interrupt();
      joinQuietly(thread);
      throw e;
    }
    if (consumer.failure != null) {
      // A consumer that failed after the producer's last wait leaves the
      // interrupt pending: clear it, so the caller's next wait is not cut.
      Thread.interrupted();
      Throwable f = consumer.failure;
      if (f instanceof Error) {
        throw (Error) f;
      }
      if (f instanceof RuntimeException) {
        throw (RuntimeException) f;
      }
      throw new IllegalStateException("producer_consumer: the consumer failed: " + f, f);
    }
    counts.add(consumer.counts);
    Checksum sum = new Checksum();
    sum.add(produced.value());
    sum.add(consumer.consumed.value());
    return sum.value();
  }

  // Joins even if interrupted meanwhile: the consumer ends promptly once
  // interrupted, and the failure it reports is the run's error.
  private static void joinQuietly(Thread thread) {
    while (true) {
      try {
        thread.join();
        return;
      } catch (InterruptedException e) {
        // keep waiting
      }
    }
  }
}
