// request_server: a service loop over a large table of long-lived sessions,
// each request allocating short-lived temporaries that die when it ends. It
// is the shape of an RPC or HTTP server, and the workload for tail latency:
// a GC pause, a long free cascade or an arena rewind lands inside whichever
// request triggers it, so it shows up in the slowest requests, not the mean.
//
//   sessions = [Session(id, history[kHistoryLength]) for id < sessions]
//   repeat requests times:                    // one request, one epoch
//     observer.request_begin()
//     text   = "sid=<id>&op=<verb>&<name>=<value>&..."   // String, Rng sizes
//     fields = parse(text)                    // linked list of Field nodes
//     hashes = [fnv1a32(f.value) for f in fields]        // Vector
//     session = sessions[fields.sid]; update it in place (no allocation)
//     reply  = "ok sid=.. n=.. <name>=<hash in hex> ..." // String
//     checksum: fnv1a32(reply) ^ session.digest (add32)
//     release fields (a small destructor cascade)
//     observer.request_end()
//   checksum: each session's digest, requests, bytes_in, history xor, last
//     recent hash (add32, add, add, add32, add32); release the sessions
//
// Every hash and session field a request changes is 32 bits, arithmetic mod
// 2^32, so that JavaScript needs no BigInt.
//
// The session table is the live set a tracing collector marks at every
// collection: with the default sizes about 62 MB (a 120-byte Session and a
// 192-byte history buffer each). Requests mutate sessions in place and never
// allocate anything that outlives them, so under the arena each request is an
// epoch and the sessions, made before the first request, sit below every
// mark. The arena's rewind is one store; the explicit strategies pay one free
// per temporary (about 19 per request); gc frees nothing per request and
// instead stops some requests for a full mark of the session table.
#pragma once

#include <array>
#include <charconv>
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

struct RequestServer {
  static constexpr std::string_view kName = "request_server";
  // How its objects die (see ObjectDeath): fields with their request, sessions
  // with the run.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kByEpoch;
  static constexpr std::string_view kUnit = "request";
  static constexpr std::array<std::string_view, 2> kParamNames{"requests",
                                                               "sessions"};
  static constexpr std::array<std::int64_t, 2> kSmall{1000, 1000};
  // Requests: raising it lengthens the run and the number of collections the
  // latency distribution samples; the per-request work does not change.
  // Sessions: raising it grows the live set (about 320 bytes each), so every
  // full collection marks more and session look-ups miss the cache more; it
  // also lengthens setup and teardown, which are not requests.
  static constexpr std::array<std::int64_t, 2> kDefault{50000, 200000};
  static constexpr std::int64_t kMaxRequests = 100'000'000;
  /// 10M sessions need about 3.2 GB of live memory.
  static constexpr std::int64_t kMaxSessions = 10'000'000;
  /// Entries of each session's history vector, made at setup. Raising it
  /// grows the live set by 4 bytes per session per entry (pointer-free data:
  /// the collector allocates it atomic and never scans it).
  static constexpr std::size_t kHistoryLength = 48;
  /// Slots of each session's in-place ring of recent field hashes. Raising
  /// it grows every Session, and so the memory the collector scans.
  static constexpr std::size_t kRecent = 16;
  /// Fields per request besides sid and op. Raising the maximum makes
  /// requests longer: more nodes per list and a longer reply.
  static constexpr std::int64_t kMinFields = 1;
  static constexpr std::int64_t kMaxFields = 10;
  /// Field values are 1 to kMaxValueLength characters. Values longer than
  /// the 15 characters std::basic_string keeps inline need an allocation, so
  /// raising it makes a larger share of field values heap objects.
  static constexpr std::int64_t kMaxValueLength = 40;
  static constexpr std::uint64_t kSeed = 0x5e55'10f5'eed5'0001ULL;

  struct Params {
    std::int64_t requests;
    std::int64_t sessions;
  };

  static Params params(std::span<const std::int64_t, 2> args) {
    if (args[0] < 1 || args[0] > kMaxRequests) {
      throw std::invalid_argument(
          "request_server: requests must be in [1, 100000000]");
    }
    if (args[1] < 1 || args[1] > kMaxSessions) {
      throw std::invalid_argument(
          "request_server: sessions must be in [1, 10000000]");
    }
    return {args[0], args[1]};
  }

  // Long-lived per-client state, all of it in place except the history
  // buffer made with the session: a request only overwrites it.
  template <class S>
  struct Session {
    Vector<S, std::uint32_t> history;
    std::array<std::uint32_t, kRecent> recent{};
    std::uint64_t id;
    std::uint64_t requests = 0;
    std::uint64_t bytes_in = 0;
    std::uint32_t digest = 0;
    std::uint32_t next_recent = 0;

    Session(Vector<S, std::uint32_t> h, std::uint64_t i)
        : history(std::move(h)), id(i) {}
  };

  // One name=value pair of a parsed request. `next` is declared last so that
  // raii destroys it (and the rest of the list) before this node's strings,
  // as manual releases owned fields before deleting the node.
  template <class S>
  struct Field {
    String<S> name;
    String<S> value;
    std::uint32_t hash;
    Owner<S, Field> next{};

    Field(String<S> n, String<S> v, std::uint32_t h)
        : name(std::move(n)), value(std::move(v)), hash(h) {}
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
    const auto run_epoch = s.begin_epoch();
    {
      Vector<S, Owner<S, Session<S>>> sessions(
          s.template allocator<Owner<S, Session<S>>>());
      sessions.reserve(static_cast<std::size_t>(p.sessions));
      for (std::int64_t i = 0; i < p.sessions; ++i) {
        Vector<S, std::uint32_t> history(s.template allocator<std::uint32_t>());
        history.reserve(kHistoryLength);
        for (std::size_t j = 0; j < kHistoryLength; ++j) {
          history.push_back(rng.next());
        }
        sessions.push_back(s.template make<Session<S>>(
            std::move(history), static_cast<std::uint64_t>(i)));
      }
      for (std::int64_t r = 0; r < p.requests; ++r) {
        observer.request_begin();
        const auto epoch = s.begin_epoch();
        sum.add32(serve(s, rng, sessions));
        s.end_epoch(epoch);
        observer.request_end();
        observer.unit_done();
      }
      const BulkRelease drop(s);  // dropping the session table is one pause
      for (auto& session : sessions) {
        std::uint32_t history = 0;
        for (const std::uint32_t h : session->history) history ^= h;
        sum.add32(session->digest);
        sum.add(session->requests);
        sum.add(session->bytes_in);
        sum.add32(history);
        sum.add32(session->recent[session->next_recent % kRecent]);
        s.release(session);
      }
    }
    s.end_epoch(run_epoch);
    return sum.value();
  }

 private:
  static constexpr std::array<std::string_view, 8> kVerbs{
      "get", "put", "list", "delete", "watch", "patch", "head", "post"};
  static constexpr std::array<std::string_view, 10> kNames{
      "user", "path", "lang", "q", "ref", "ua", "cookie", "ts", "page", "sort"};
  // Base32: one 32-bit draw yields 6 characters (low bits first), so making
  // up the request costs little beside the allocation work it drives.
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyz234567";
  static constexpr int kCharBits = 5;
  static constexpr std::int64_t kCharsPerDraw = 32 / kCharBits;

  // FNV-1a: the hash a server would use to bucket a header value.
  static std::uint32_t hash(std::string_view text) { return fnv1a32(text); }

  template <class Str>
  static void append_number(Str& out, std::uint64_t v, int base = 10) {
    std::array<char, 20> digits;
    const auto end =
        std::to_chars(digits.data(), digits.data() + digits.size(), v, base)
            .ptr;
    out.append(digits.data(), end);
  }

  // The request as it arrives off the wire: grown by appends, so a long one
  // reallocates a few times on its way, as a receive buffer does.
  template <class S>
  static String<S> synthesize(S& s, Rng& rng, std::uint64_t sid) {
    String<S> text(s.template allocator<char>());
    text.append("sid=");
    append_number(text, sid);
    text.append("&op=");
    text.append(kVerbs[rng.below(kVerbs.size())]);
    const std::int64_t fields = rng.between(kMinFields, kMaxFields);
    for (std::int64_t i = 0; i < fields; ++i) {
      text.push_back('&');
      text.append(kNames[rng.below(kNames.size())]);
      text.push_back('=');
      const std::int64_t length = rng.between(1, kMaxValueLength);
      std::uint32_t bits = 0;
      for (std::int64_t j = 0; j < length; ++j) {
        if (j % kCharsPerDraw == 0) bits = rng.next();
        text.push_back(kAlphabet[bits % kAlphabet.size()]);
        bits >>= kCharBits;
      }
    }
    return text;
  }

  // Splits "a=b&c=d" into a list of fields in request order.
  template <class S>
  static Owner<S, Field<S>> parse(S& s, std::string_view text) {
    Owner<S, Field<S>> head{};
    Owner<S, Field<S>>* tail = &head;
    while (!text.empty()) {
      const std::size_t amp = text.find('&');
      const std::string_view pair = text.substr(0, amp);
      text = amp == std::string_view::npos ? std::string_view()
                                           : text.substr(amp + 1);
      const std::size_t eq = pair.find('=');
      const std::string_view name = pair.substr(0, eq);
      const std::string_view value = pair.substr(eq + 1);
      *tail = s.template make<Field<S>>(
          String<S>(name, s.template allocator<char>()),
          String<S>(value, s.template allocator<char>()), hash(value));
      tail = &(*tail)->next;
    }
    return head;
  }

  template <class S>
  static std::uint32_t serve(S& s, Rng& rng,
                             Vector<S, Owner<S, Session<S>>>& sessions) {
    const String<S> text = synthesize(
        s, rng, rng.below(static_cast<std::uint32_t>(sessions.size())));
    auto fields = parse(s, text);

    std::size_t count = 0;
    for (const Field<S>* f = raw(fields); f != nullptr; f = raw(f->next)) {
      ++count;
    }
    Vector<S, std::uint32_t> hashes(s.template allocator<std::uint32_t>());
    hashes.reserve(count);
    for (const Field<S>* f = raw(fields); f != nullptr; f = raw(f->next)) {
      hashes.push_back(f->hash);
    }

    // The first field is sid=<index>, as synthesize() wrote it.
    std::uint64_t sid = 0;
    const String<S>& sid_text = raw(fields)->value;
    std::from_chars(sid_text.data(), sid_text.data() + sid_text.size(), sid);
    Session<S>& session = *sessions[sid];
    ++session.requests;
    session.bytes_in += text.size();
    for (const std::uint32_t h : hashes) {
      session.recent[session.next_recent++ % kRecent] = h;
      session.history[h % kHistoryLength] += h;
      session.digest = fnv1a32_word(session.digest, h);
    }

    String<S> reply(s.template allocator<char>());
    reply.append("ok sid=");
    append_number(reply, session.id);
    reply.append(" n=");
    append_number(reply, session.requests);
    // Every field after sid, echoed with its hash in lowercase hex.
    for (const Field<S>* f = raw(raw(fields)->next); f != nullptr;
         f = raw(f->next)) {
      reply.push_back(' ');
      reply.append(f->name);
      reply.push_back('=');
      append_number(reply, f->hash, 16);
    }
    s.release(fields);
    return hash(reply) ^ session.digest;
  }
};

}  // namespace memstrat
