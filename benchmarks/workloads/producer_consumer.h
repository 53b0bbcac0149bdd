// producer_consumer: one thread makes messages, another reads and frees them,
// through a bounded queue. It models a pipeline stage, a logging thread or a
// work queue, and stresses what single-threaded workloads never do: frees on
// a thread other than the allocating one (glibc: once the consumer's small
// per-thread cache is full, each free takes the producer's arena lock;
// mimalloc: an atomic push onto a list the owning thread collects later),
// and, under gc, a second registered thread whose stack holds live pointers
// and which every collection must stop and scan.
//
//   queue = ring of kQueueCapacity owners       // strategy memory, made first
//   consumer thread: repeat messages times:
//     m = queue.pop(); checksum(m); release(m)  // delete, reset, drop, -
//   producer (this thread): for each batch of `batch` messages:
//     epoch = begin_epoch()
//     repeat batch times: m = Message(id, payload[rng]); queue.push(m)
//     wait until the consumer has released the whole batch
//     end_epoch(epoch)
//   join; checksum = combine(producer part, consumer part)
//   digest(m) = id, then fnv1a32_word over the payload words (one 32-bit
//   draw each, kept in 64-bit words); each part adds each digest (add32)
//
// The arena is single-threaded and owns each batch as one epoch: only the
// producer allocates, and it may rewind only once every message of the batch
// is dead, so it waits at every batch end for the consumer to drain the
// queue. That handshake is the arena's honest cost in this pattern (a
// pipeline that could otherwise keep both threads busy stalls once per
// batch); every strategy runs the same handshake, so all do the same work,
// and only the arena needs it. Consumption is FIFO, so the consumer's
// checksum does not depend on scheduling. Compare real time: the threads'
// waits (an empty or full queue, the batch handshake, each wake-up a futex
// call) cost wall time that neither thread's CPU time shows.
#pragma once

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "allocators/strategy.h"
#include "allocators/thread.h"
#include "benchmarks/workloads/checksum.h"
#include "benchmarks/workloads/hash.h"
#include "benchmarks/workloads/random.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

struct ProducerConsumer {
  static constexpr std::string_view kName = "producer_consumer";
  // How its objects die (see ObjectDeath): a batch is dead (freed on the
  // consumer) at its epoch end.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kByEpoch;
  /// Units are the producer's (the thread that called run()): a message made
  /// and pushed, reported every kMessagesPerUnit-th. A stall of the consumer
  /// shows too, as the producer waits on a full queue or a batch end.
  static constexpr std::string_view kUnit = "message";
  static constexpr std::array<std::string_view, 2> kParamNames{"messages",
                                                               "batch"};
  static constexpr std::array<std::int64_t, 2> kSmall{5000, 100};
  // Messages: run time grows linearly; nothing else changes. Batch: raising
  // it means fewer handshakes (less idle time for both threads) but more
  // messages the arena holds at once, up to batch messages of up to
  // kMaxPayload words; lowering it towards 1 turns the pipeline into
  // lock-step ping-pong.
  static constexpr std::array<std::int64_t, 2> kDefault{100000, 1000};
  static constexpr std::int64_t kMaxMessages = 1'000'000'000;
  /// Slots of the queue. Raising it lets the producer run further ahead of
  /// the consumer within a batch (fewer waits on a full queue); at or above
  /// `batch` the producer never waits on a full queue.
  static constexpr std::size_t kQueueCapacity = 256;
  /// Payloads are 1 to kMaxPayload words. Raising it makes messages bigger,
  /// so more of the cost is the producer filling and the consumer reading.
  static constexpr std::int64_t kMaxPayload = 16;
  /// Raising it makes the observer cheaper and the gaps it can resolve
  /// coarser; a message alone is about a hundred nanoseconds.
  static constexpr std::uint64_t kMessagesPerUnit = 32;
  static constexpr std::uint64_t kSeed = 0x9c0d'0ce5'0000'0001ULL;

  struct Params {
    std::int64_t messages;
    std::int64_t batch;
  };

  static Params params(std::span<const std::int64_t, 2> args) {
    if (args[0] < 1 || args[0] > kMaxMessages) {
      throw std::invalid_argument(
          "producer_consumer: messages must be in [1, 1000000000]");
    }
    if (args[1] < 1 || args[1] > args[0]) {
      throw std::invalid_argument(
          "producer_consumer: batch must be in [1, messages]");
    }
    return {args[0], args[1]};
  }

  template <class S>
  struct Message {
    Vector<S, std::uint64_t> payload;
    std::uint64_t id;

    Message(Vector<S, std::uint64_t> p, std::uint64_t i)
        : payload(std::move(p)), id(i) {}
  };

  // A bounded FIFO of owners. The ring is strategy memory and the queue
  // lives on the producer's stack, so under gc a message in flight is always
  // reachable from a scanned place: the ring, or one of the two stacks.
  template <class S>
  class Queue {
   public:
    using Ptr = Owner<S, Message<S>>;

    explicit Queue(S& s) : ring_(kQueueCapacity, s.template allocator<Ptr>()) {}

    // Producer: waits while the queue is full.
    void push(Ptr m) {
      {
        std::unique_lock lock(mu_);
        producer_cv_.wait(lock, [&] { return count_ < ring_.size(); });
        ring_[(head_ + count_) % ring_.size()] = std::move(m);
        ++count_;
      }
      consumer_cv_.notify_one();
    }

    // Consumer: records that it has released `released` messages, then waits
    // for the next one. Null once the queue is closed.
    Ptr pop(std::uint64_t released) {
      std::unique_lock lock(mu_);
      released_ = released;
      // Wakes a producer waiting for room or for the end of a batch; it
      // takes the lock only after this pop has made room.
      producer_cv_.notify_one();
      consumer_cv_.wait(lock, [&] { return count_ > 0 || closed_; });
      if (closed_) return nullptr;
      Ptr m = take(ring_[head_]);
      head_ = (head_ + 1) % ring_.size();
      --count_;
      return m;
    }

    // Consumer, after its last release.
    void finish(std::uint64_t released) {
      {
        std::lock_guard lock(mu_);
        released_ = released;
      }
      producer_cv_.notify_one();
    }

    // Producer: waits until the consumer has released `n` messages.
    void wait_released(std::uint64_t n) {
      std::unique_lock lock(mu_);
      producer_cv_.wait(lock, [&] { return released_ >= n; });
    }

    // Producer, when it fails (gc's heap cap throws std::bad_alloc): lets
    // the consumer return instead of waiting for messages that will never
    // come, so that joining it cannot hang.
    void close() {
      {
        std::lock_guard lock(mu_);
        closed_ = true;
      }
      consumer_cv_.notify_one();
    }

   private:
    std::mutex mu_;
    std::condition_variable producer_cv_;
    std::condition_variable consumer_cv_;
    Vector<S, Ptr> ring_;
    std::size_t head_ = 0;
    std::size_t count_ = 0;
    std::uint64_t released_ = 0;
    bool closed_ = false;
  };

  template <MemoryStrategy S>
  static std::uint64_t run(S& s, const Params& p) {
    NullObserver observer;
    return run(s, p, observer);
  }

  template <MemoryStrategy S, WorkObserver O>
  static std::uint64_t run(S& s, const Params& p, O& observer) {
    const auto messages = static_cast<std::uint64_t>(p.messages);
    const auto batch = static_cast<std::uint64_t>(p.batch);
    Checksum produced;
    Checksum consumed;
    const auto run_epoch = s.begin_epoch();
    {
      Queue<S> queue(s);
      StrategyThread<S> consumer([&] {
        for (std::uint64_t i = 0; i < messages; ++i) {
          auto m = queue.pop(i);
          if (m == nullptr) return;
          consumed.add32(digest(*m));
          s.release(m);
        }
        queue.finish(messages);
      });
      try {
        Rng rng(kSeed);
        for (std::uint64_t id = 0; id < messages;) {
          const std::uint64_t end = std::min(messages, id + batch);
          const auto epoch = s.begin_epoch();
          for (; id < end; ++id) {
            auto m = make_message(s, rng, id);
            produced.add32(digest(*m));
            queue.push(take(m));
            if ((id + 1) % kMessagesPerUnit == 0) observer.unit_done();
          }
          // The arena may rewind only when the whole batch is dead.
          queue.wait_released(end);
          s.end_epoch(epoch);
        }
      } catch (...) {
        queue.close();
        throw;
      }
      consumer.join();
    }
    s.end_epoch(run_epoch);
    Checksum sum;
    sum.add(produced.value());
    sum.add(consumed.value());
    return sum.value();
  }

 private:
  template <class S>
  static Owner<S, Message<S>> make_message(S& s, Rng& rng, std::uint64_t id) {
    Vector<S, std::uint64_t> payload(
        static_cast<std::size_t>(rng.between(1, kMaxPayload)),
        s.template allocator<std::uint64_t>());
    for (std::uint64_t& v : payload) v = rng.next();
    return s.template make<Message<S>>(std::move(payload), id);
  }

  template <class S>
  static std::uint32_t digest(const Message<S>& m) {
    auto h = static_cast<std::uint32_t>(m.id);
    for (const std::uint64_t v : m.payload) {
      h = fnv1a32_word(h, static_cast<std::uint32_t>(v));
    }
    return h;
  }
};

}  // namespace memstrat
