// list_churn: a FIFO message queue, as in a broker, a logger's ring or an
// actor's mailbox. Producers push small fixed-size messages at the tail, the
// consumer pops them from the head a short while later, so every object lives
// for a short, first-in-first-out span and the live set stays small.
//
//   for batch in 1..kBatches:                      // one epoch per batch
//     for i in 1..messages:
//       push(make Message{id, payload from rng})   // at the tail
//       if length > queue: pop()                   // from the head
//     while length > 0: pop()                      // drain
//   pop(): unlink the head with take(), digest id and the payload words
//          (FNV-1a words), add32 the digest to the checksum, release it
//
// Each payload word is one 32-bit draw, stored in a 64-bit word so that a
// message keeps the 48 bytes of a small broker message.
//
// The queue is a singly linked list: head owns the first message, each
// message owns the next, tail is a non-owning pointer to the last. Under the
// arena a message cannot be freed when popped, so the memory held is the whole
// batch (`messages` messages), not the live queue (`queue` messages), until
// the rewind at the batch's end hands it to the next batch.
// arena_reserved_bytes shows it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "allocators/strategy.h"
#include "benchmarks/workloads/checksum.h"
#include "benchmarks/workloads/hash.h"
#include "benchmarks/workloads/random.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

struct ListChurn {
  static constexpr std::string_view kName = "list_churn";
  // How its objects die (see ObjectDeath): every message of a batch is dead
  // when its epoch ends.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kByEpoch;
  static constexpr std::string_view kUnit = "message";
  static constexpr std::array<std::string_view, 2> kParamNames{"messages",
                                                               "queue"};
  static constexpr std::array<std::int64_t, 2> kSmall{2000, 100};
  // Two million messages per run. Raising `messages` raises the run time and
  // the arena's footprint linearly; raising `queue` makes the live set outgrow
  // the caches (1000 messages are 48 KiB) and the allocator's free lists.
  static constexpr std::array<std::int64_t, 2> kDefault{200000, 1000};
  /// Batches per run, each an epoch. Raising it adds run time without
  /// changing the peak footprint of any strategy.
  static constexpr int kBatches = 10;
  /// Payload words per message. Raising it moves the objects into another
  /// size class and makes each push and pop touch more memory.
  static constexpr std::size_t kPayloadWords = 4;
  /// Bounds the arena's footprint, which holds a whole batch, and keeps
  /// message ids (kBatches * messages) below 2^32.
  static constexpr std::int64_t kMaxMessages = 100'000'000;
  /// unit_done() after every kMessagesPerUnit-th message made (a message
  /// alone is tens of nanoseconds). Raising it makes the observer cheaper and
  /// the gaps it can resolve coarser.
  static constexpr std::uint64_t kMessagesPerUnit = 64;
  static constexpr std::uint64_t kSeed = 0x6c6973745f636875ULL;

  struct Params {
    std::int64_t messages;
    std::int64_t queue;
  };

  static Params params(std::span<const std::int64_t, 2> args) {
    if (args[0] < 1 || args[0] > kMaxMessages) {
      throw std::invalid_argument(
          "list_churn: messages must be in [1, 100000000]");
    }
    if (args[1] < 0 || args[1] > args[0]) {
      throw std::invalid_argument("list_churn: queue must be in [0, messages]");
    }
    return {args[0], args[1]};
  }

  template <class S>
  struct Message {
    Owner<S, Message> next;
    std::uint64_t id;
    std::array<std::uint64_t, kPayloadWords> payload;

    Message(std::uint64_t i, const std::array<std::uint64_t, kPayloadWords>& p)
        : next(nullptr), id(i), payload(p) {}
    void for_each_owned(auto&& f) { f(next); }
  };

  template <MemoryStrategy S>
  static std::uint64_t run(S& s, const Params& p) {
    NullObserver observer;
    return run(s, p, observer);
  }

  template <MemoryStrategy S, WorkObserver O>
  static std::uint64_t run(S& s, const Params& p, O& observer) {
    Checksum sum;
    Rng rng(kSeed);
    std::uint64_t next_id = 0;
    const auto run_epoch = s.begin_epoch();
    for (int batch = 0; batch < kBatches; ++batch) {
      const auto epoch = s.begin_epoch();
      Owner<S, Message<S>> head = nullptr;
      Message<S>* tail = nullptr;
      std::int64_t length = 0;
      auto pop = [&] {
        auto m = take(head);
        head = take(m->next);
        if (head == nullptr) tail = nullptr;
        --length;
        // One mix per message, as a consumer would digest it: a checksum
        // step per word would cost more than the message's own allocation.
        std::uint32_t digest =
            fnv1a32_word(kFnvOffsetBasis, static_cast<std::uint32_t>(m->id));
        for (const std::uint64_t w : m->payload) {
          digest = fnv1a32_word(digest, static_cast<std::uint32_t>(w));
        }
        sum.add32(digest);
        s.release(m);
      };
      for (std::int64_t i = 0; i < p.messages; ++i) {
        std::array<std::uint64_t, kPayloadWords> payload;
        for (auto& w : payload) w = rng.next();
        auto m = s.template make<Message<S>>(next_id++, payload);
        Message<S>* const last = raw(m);
        if (tail == nullptr) {
          head = std::move(m);
        } else {
          tail->next = std::move(m);
        }
        tail = last;
        if (++length > p.queue) pop();
        if (next_id % kMessagesPerUnit == 0) observer.unit_done();
      }
      while (length > 0) pop();
      s.end_epoch(epoch);
    }
    s.end_epoch(run_epoch);
    sum.add(next_id);
    return sum.value();
  }
};

}  // namespace memstrat
