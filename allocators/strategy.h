// The MemoryStrategy concept: the one interface every workload is written
// against, so that the same code runs under manual new/delete, unique_ptr
// ownership, Boehm GC and a bump arena, doing the same work under each.
//
// A strategy S provides:
//
//   S::kName                  "manual", "raii", "gc", "arena": lower case, no
//                             '/', used in benchmark names and results.
//   S::kTraits                what the harness, tests and scripts need to
//                             know about the strategy (StrategyTraits, below):
//                             they ask it, never the name.
//   S::Owner<T>               the owning handle of one object: T* (manual, gc,
//                             arena) or std::unique_ptr<T, D> (raii).
//   S::Allocator<T>           a std allocator for containers inside workloads.
//   s.make<T>(args...)        allocate + construct, returning Owner<T>.
//   s.release(owner)          the program is done with the object: manual
//                             deletes it and, recursively, what it owns; raii
//                             resets the owner (destructors cascade); gc drops
//                             the reference; arena does nothing until the
//                             epoch ends. The owner is null afterwards.
//   s.begin_epoch()           returns a mark; s.end_epoch(mark) declares every
//                             object made since the mark dead. The arena
//                             rewinds to the mark; the others do nothing.
//   s.allocator<T>()          an Allocator<T> bound to this strategy.
//
// Optionally, S::ThreadGuard is a type whose lifetime on a thread makes that
// thread known to the strategy (bdwgc must scan the stacks of threads that
// hold GC pointers); see thread.h.
//
// Optionally, s.sample_bytes() returns the bytes the strategy itself holds
// (GC heap, arena in use), safe to call from another thread, and
// S::kSampleBytesLabel names it; the memory timeline plots it beside RSS.
//
// Optionally, s.visit_stats(f) calls f(name, value, StatKind) for figures the
// strategy alone knows (collections, heap size, arena bytes reserved); the
// harness reports them without knowing which strategy it runs.
//
// Optionally, the instrument hooks below ("Optional hooks"): a pause source,
// probe figures, a library version and settings (command-line flags). The
// harness detects each with `requires` and knows no strategy by name.
//
// Rules a workload follows so that all strategies do the same work:
//  * Every allocation goes through make<T> or Allocator<T>; nothing calls new,
//    malloc or std::allocator directly.
//  * Every object is released exactly once, at the point of its last use:
//    top-level owners by s.release(), nested owners through the node's
//    for_each_owned(f), which calls f(owner) for each owning field (manual
//    walks it; raii's destructors do the same walk).
//  * for_each_owned lists owners in the order raii's destructors free them,
//    i.e. reverse declaration order, so both strategies free in the same
//    order. Free order is part of the work: with glibc, freeing a tree's
//    subtrees in the other order made binary_trees twice as slow.
//  * Under gc, pointers to GC objects live only in GC-visible memory: other GC
//    objects, Allocator<T> buffers, the stack and registers.
//  * Objects made by an arena never have their destructors run: what they own
//    must itself come from the strategy.
//
// Every strategy counts allocations and bytes requested in thread-local
// counters (see counters.h) at the same points, so tests can prove parity.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "allocators/counters.h"

namespace memstrat {

// The kind of reclaim event a strategy's pauses are: what the program or the
// collector does when memory comes back. The names are the pause kinds of
// the results document.
enum class ReclaimKind { kRelease, kEpochEnd, kGcStopWorld };
inline constexpr std::size_t kReclaimKinds = 3;

constexpr std::string_view reclaim_kind_name(ReclaimKind k) noexcept {
  switch (k) {
    case ReclaimKind::kRelease:
      return "release";
    case ReclaimKind::kEpochEnd:
      return "epoch_end";
    case ReclaimKind::kGcStopWorld:
      return "gc_stop_world";
  }
  return "unknown";
}

// How a strategy returns objects: each one to the allocator at its release
// (frees == allocations), none one by one (a collector or a region), or some
// (objects outside regions one by one, those inside with the region).
enum class Frees { kEveryObject, kNone, kSome };

constexpr std::string_view frees_name(Frees f) noexcept {
  switch (f) {
    case Frees::kEveryObject:
      return "every_object";
    case Frees::kNone:
      return "none";
    case Frees::kSome:
      return "some";
  }
  return "unknown";
}

// A strategy's declarations. The harness, the tests, the CMake filters and
// (through --list_strategies and the results document) the scripts read
// these; nothing downstream keeps a list of strategy names.
struct StrategyTraits {
  std::string_view family = "C++";  // language or runtime family
  std::string_view summary;         // how an object dies, one line
  ReclaimKind reclaim = ReclaimKind::kRelease;
  Frees frees = Frees::kEveryObject;
  bool collects = false;  // a collector, not the program, decides when
  // The order release() frees a structure's objects in, in words
  // ("reverse declaration order", "none: the epoch frees all at once").
  std::string_view release_order;
  std::size_t owner_bytes = sizeof(void*);  // sizeof an Owner<T>
  // sizeof an Allocator<T>: 0 for a stateless one (its objects take no room
  // in a container); std::pmr's polymorphic_allocator holds 8 bytes.
  std::size_t allocator_bytes = 0;
  // What an owner costs beyond the object, in words ("none", "16-byte control
  // block per object, counted in overhead_bytes; owners are 16 bytes wide").
  std::string_view owner_overhead = "none";
  bool sanitizer_safe = true;    // runs under ASan/UBSan/TSan (bdwgc: no)
  bool threads_process = false;  // makes the process multi-threaded
  std::string_view colour;       // chart colour, "#RRGGBB"
  bool baseline = false;         // the strategy every ratio divides by
  // Every allocation it counts (object or container buffer) is exactly one
  // call of the global operator new, so a test can compare the two counts and
  // see an allocation the compiler deleted (manual, raii).
  bool object_per_new = false;
};

namespace detail {
// A stand-in object type used only to state the concept's requirements.
struct ConceptProbe {
  int value = 0;
};
}  // namespace detail

template <class S>
concept MemoryStrategy =
    requires(S& s, typename S::template Owner<detail::ConceptProbe>& owner,
             typename S::Epoch mark) {
  { S::kName } -> std::convertible_to<std::string_view>;
  { S::kTraits } -> std::convertible_to<StrategyTraits>;
  typename S::template Allocator<int>;
  {
    s.template make<detail::ConceptProbe>()
    } -> std::same_as<typename S::template Owner<detail::ConceptProbe>>;
  s.release(owner);
  { s.begin_epoch() } -> std::same_as<typename S::Epoch>;
  s.end_epoch(mark);
  {
    s.template allocator<int>()
    } -> std::same_as<typename S::template Allocator<int>>;
};

// What a figure from visit_stats() is: a running total (the harness reports
// its change per iteration) or a level (reported as read after the run).
enum class StatKind { kCumulative, kLevel };

// ---------------------------------------------------------------------------
// Optional hooks. A strategy provides any of them; the harness asks with
// `requires` (the concepts below) and does without when one is missing.
//
//   pause source    s.start_pause_source(ReclaimSink&), s.stop_pause_source()
//                   deliver the strategy's own reclaim events (bdwgc's
//                   stop-the-world intervals) between the two calls; the
//                   probe's PauseRecorder is the sink. Events the program
//                   causes (release, epoch end) need no source: Timed<S>
//                   times them.
//   probe figures   s.visit_probe_figures(f) calls
//                   f(std::string_view key, std::int64_t value, StatKind)
//                   for the figures of the probe's "gc" object (collections,
//                   heap bytes, the collector's own pause total); cumulative
//                   ones are reported as their change over the measured
//                   runs, levels as read after them. The probe adds
//                   stop_world_total_ns, the sum of the recorded
//                   gc_stop_world pauses. Without the hook "gc" is null.
//   version         S::library_version() returns LibraryVersion{library,
//                   version}: the context gets memstrat_<library>_version,
//                   --list_strategies "library" and "version".
//   settings        S::kSettings, a constant array of StrategySetting: flags
//                   --<name>=N the harness parses, lists in --help and
//                   applies (once, before any benchmark) for the strategy.
//   settings read   s.visit_probe_settings(f) calls
//   back            f(std::string_view key, V value), V std::int64_t or
//                   bool, for what the strategy's library reports it runs
//                   with (bdwgc: markers, incremental mode, free-space
//                   divisor, heap cap, heap at start-up): the probe's
//                   "gc" object gets them as "settings", read from the
//                   library, not echoed from the flags.
//   curve           S::kCurve, a CurveDeclaration (below): the strategy's
//                   space-time knobs for the runner's curve profiles: the
//                   flags that cap and pre-size its heap and the granularity
//                   the heap grows by (the runner bisects the minimum heap
//                   and sweeps multiples of it), sweeps over one setting,
//                   and named variants (a list of flags each).
//                   --list_strategies prints them as "heap", "sweeps" and
//                   "variants"; a strategy without kCurve prints none.
// ---------------------------------------------------------------------------

// Where a pause source delivers reclaim events. It may be called from any
// thread, with a lock held or the world stopped (bdwgc's collection-event
// callback): implementations only read a clock and store into memory
// allocated up front, and never allocate, lock or call the strategy.
class ReclaimSink {
 public:
  // The clock every event's start is read on (the harness's CLOCK_MONOTONIC
  // nanoseconds), so the source's events line up with the harness's own.
  virtual std::int64_t now_ns() const noexcept = 0;
  virtual void record(ReclaimKind kind, std::int64_t start_ns,
                      std::int64_t duration_ns) noexcept = 0;

 protected:
  ~ReclaimSink() = default;
};

// The library a strategy is built on and its version, for the run context.
struct LibraryVersion {
  std::string_view library;  // "bdwgc": the context key memstrat_bdwgc_version
  std::string version;       // "8.2.2"
};

// A strategy setting as given on the command line: its flag and value.
struct GivenSetting {
  std::string_view flag;
  std::int64_t value = 0;
};

// One command-line flag of a strategy: --<flag>=N, N an integer in
// [min, max]. apply(N) makes it so for the whole process; the harness calls
// it once, after parsing, before any benchmark runs. Two strategies may
// declare the same flag (variants of one strategy): it is parsed once and
// applied once.
struct StrategySetting {
  std::string_view flag;  // "--gc_max_heap_mb"
  std::string_view help;  // for --help, one sentence (wrapped by the harness)
  std::int64_t min = 1;
  std::int64_t max = 1 << 20;
  void (*apply)(std::int64_t n) = nullptr;
  // A cap on memory: a benchmark failing with std::bad_alloc is told to
  // raise it.
  bool caps_memory = false;
  // Optional: what is wrong with this setting's value among all the settings
  // given (this one included), in one line naming the flags, or "" when
  // nothing is: two flags for the same thing, a heap pre-sized above its
  // cap. The parser asks it once every flag is read, and the line becomes a
  // usage error.
  std::string (*check)(std::span<const GivenSetting> given) = nullptr;
};

// --- The curve declaration (the optional S::kCurve) ------------------------

// How the runner caps and pre-sizes the strategy's heap: --<cap_flag>=N and
// --<presize_flag>=N take N in units of flag_unit_bytes; the heap grows by
// granularity_bytes at least, so a bisection of the minimum heap stops at
// that resolution. An empty cap_flag: no heap declaration.
struct HeapDeclaration {
  std::string_view cap_flag;      // "--gc_max_heap_kib"
  std::string_view presize_flag;  // "--gc_initial_heap_kib", or empty
  std::int64_t flag_unit_bytes = 1;
  std::int64_t granularity_bytes = 1;
};

// One setting the runner walks through, one record per value: --<flag>=V for
// V in values (the plain record stands for default_value), each value within
// [min, max]. Variant records are named <name>_<V>.
struct SweepDeclaration {
  std::string_view name;   // "free_space_divisor": ^[a-z0-9_]+$
  std::string_view flag;   // "--gc_free_space_divisor"
  std::string_view label;  // "free-space divisor", for legends
  std::int64_t default_value = 0;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::span<const std::int64_t> values;
};

// A named way of running the strategy: the flags it is, one record.
struct VariantDeclaration {
  std::string_view name;                    // "markers_1": ^[a-z0-9_]+$
  std::string_view label;                   // "1 marker"
  std::span<const std::string_view> flags;  // {"--gc_markers=1"}
  std::string_view summary;                 // one line
};

struct CurveDeclaration {
  HeapDeclaration heap;
  std::span<const SweepDeclaration> sweeps;
  std::span<const VariantDeclaration> variants;
};

template <class S>
concept HasPauseSource = requires(S& s, ReclaimSink& sink) {
  s.start_pause_source(sink);
  s.stop_pause_source();
};

template <class S>
concept HasProbeFigures = requires(const S& s) {
  s.visit_probe_figures([](std::string_view, std::int64_t, StatKind) {});
};

template <class S>
concept HasLibraryVersion = requires {
  { S::library_version() } -> std::convertible_to<LibraryVersion>;
};

template <class S>
concept HasProbeSettings = requires(const S& s) {
  s.visit_probe_settings([](std::string_view, auto) {});
};

template <class S>
concept HasCurve = requires {
  { S::kCurve } -> std::convertible_to<CurveDeclaration>;
};

template <class S>
concept HasSettings = requires {
  { S::kSettings.size() } -> std::convertible_to<std::size_t>;
  { S::kSettings[0] } -> std::convertible_to<StrategySetting>;
};

// ---------------------------------------------------------------------------
// Strategy lists are std::tuple types (all.h's AllStrategies). These select
// from them by declaration.

// The strategies S of Tuple for which Keep<S>::value holds, in order.
template <class Tuple, template <class> class Keep>
struct FilterStrategies;
template <class... S, template <class> class Keep>
struct FilterStrategies<std::tuple<S...>, Keep> {
  using type = decltype(std::tuple_cat(
      std::declval<std::conditional_t<Keep<S>::value, std::tuple<S>,
                                      std::tuple<>>>()...));
};

template <class S>
struct IsSanitizerSafe : std::bool_constant<S::kTraits.sanitizer_safe> {};

template <class S>
struct IsBaseline : std::bool_constant<S::kTraits.baseline> {};

// The strategy of Tuple that declares itself the baseline (the first, if
// several do): parity comparisons run it as the reference.
template <class Tuple>
using BaselineOf =
    std::tuple_element_t<0, typename FilterStrategies<Tuple, IsBaseline>::type>;

// A strategy may configure itself per workload from what the workload
// declares (pmr picks its memory resource from how the workload's objects
// die): it then has a member template For<W>, the strategy W runs under.
// The harness and the tests instantiate StrategyFor<S, W>, never S alone.
//
// What a workload declares for them (W::kObjectsDie, one constexpr in each
// workload header): how its objects die. kByEpoch: every object dies with an
// epoch it was made in (a region may free them all at once); kOneByOne: objects
// die in an order no epoch follows (only the run's outer epoch bounds them).
enum class ObjectDeath { kByEpoch, kOneByOne };

template <class S, class W>
struct StrategyForWorkload {
  using type = S;
};
template <class S, class W>
requires requires { typename S::template For<W>; }
struct StrategyForWorkload<S, W> {
  using type = typename S::template For<W>;
};
template <class S, class W>
using StrategyFor = typename StrategyForWorkload<S, W>::type;

// Aliases workloads use, so that node and container types read the same
// under every strategy.
template <class S, class T>
using Owner = typename S::template Owner<T>;
template <class S, class T>
using Vector = std::vector<T, typename S::template Allocator<T>>;
template <class S>
using String = std::basic_string<char, std::char_traits<char>,
                                 typename S::template Allocator<char>>;
template <class S, class K, class V, class Hash = std::hash<K>,
          class Eq = std::equal_to<K>>
using HashMap =
    std::unordered_map<K, V, Hash, Eq,
                       typename S::template Allocator<std::pair<const K, V>>>;

// A non-owning pointer to what an owner holds, whatever the owner's type: a
// raw pointer, or any smart pointer with get().
template <class P>
auto* raw(const P& p) noexcept {
  if constexpr (std::is_pointer_v<P>) {
    return p;
  } else {
    return p.get();
  }
}

// Moves an owner out and leaves null behind, for every owner type. std::move
// of a raw pointer copies it, so unlinking a node with std::move would leave
// manual's release() walking into the rest of the structure.
template <class P>
P take(P& owner) noexcept {
  return std::exchange(owner, nullptr);
}

// Marks a loop that releases a whole structure one object at a time (the
// careful teardown of a long list, dropping every vertex of a graph) as one
// reclaim operation: for the program it is one pause, as long as the
// destructor cascade it replaces. Plain strategies ignore it; the
// measurement layer's Timed<S> times the whole scope as one release.
//
//   { BulkRelease bulk(s); while (head) { ...; s.release(node); } }
template <class S>
class [[nodiscard]] BulkRelease {
 public:
  explicit BulkRelease(S& s) : s_(s) {
    if constexpr (requires { s.bulk_release_begin(); }) s.bulk_release_begin();
  }
  ~BulkRelease() {
    if constexpr (requires { s_.bulk_release_end(); }) s_.bulk_release_end();
  }
  BulkRelease(const BulkRelease&) = delete;
  BulkRelease& operator=(const BulkRelease&) = delete;

 private:
  S& s_;
};

// Makes the optimiser treat p as escaped. GCC 12 deletes a new/delete pair
// whose pointer never escapes; an asm input (no memory clobber, so no reloads
// are forced) is enough to keep the allocation.
inline void escape(const void* p) noexcept { asm volatile("" : : "r"(p)); }

// A node type that owns other objects lists its owning fields here; manual
// release walks them, as a hand-written free_tree() would.
template <class T>
concept HasOwnedEdges = requires(T& t) {
  t.for_each_owned([](auto&) {});
};

}  // namespace memstrat
