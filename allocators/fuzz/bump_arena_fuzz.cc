// libFuzzer target for BumpArena: random sequences of allocations (sizes,
// alignments, now and then a large block), marks and rewinds. Checks that
// every block is aligned, that no two live blocks overlap, that live blocks
// keep their contents across rewinds to earlier marks, and that bytes used
// return exactly to their value at a mark. Built with clang by the `fuzz`
// preset; ctest runs it for a bounded time (see
// allocators/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "allocators/bump_arena.h"

namespace {

struct Block {
  std::uintptr_t end;
  std::uint8_t tag;
};

struct Input {
  const std::uint8_t* data;
  std::size_t size;
  std::uint8_t byte() { return size == 0 ? 0 : (--size, *data++); }
  std::size_t u16() { return byte() | (std::size_t{byte()} << 8); }
};

[[noreturn]] void fail() { std::abort(); }

bool contents_intact(std::uintptr_t begin, const Block& b) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(begin);
  const std::size_t n = b.end - begin;
  for (std::size_t i = 0; i < n; i += (n > 256 ? n / 16 : 1)) {
    if (p[i] != b.tag) return false;
  }
  return n == 0 || p[n - 1] == b.tag;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  memstrat::BumpArena arena;
  std::map<std::uintptr_t, Block> live;  // begin -> block
  struct Saved {
    memstrat::BumpArena::Mark mark;
    std::size_t used;
    std::map<std::uintptr_t, Block> live;
  };
  std::vector<Saved> marks;
  Input in{data, size};
  std::uint8_t tag = 1;
  for (int op = 0; in.size > 0 && op < 4096; ++op) {
    const std::uint8_t kind = in.byte() % 8;
    if (kind < 5) {  // allocate
      std::size_t bytes = in.u16() % 4096;
      if (in.byte() == 0xff) bytes = memstrat::BumpArena::kLargeBytes + bytes;
      const std::size_t align = std::size_t{1} << (in.byte() % 9);  // 1..256
      auto* p = static_cast<std::uint8_t*>(arena.allocate(bytes, align));
      const auto begin = reinterpret_cast<std::uintptr_t>(p);
      if (p == nullptr || begin % align != 0) fail();
      const std::uintptr_t end = begin + bytes;
      // No overlap with the live block starting at or before `begin`, nor
      // with the next one.
      auto next = live.lower_bound(begin);
      if (next != live.end() && bytes > 0 && next->first < end) fail();
      if (next != live.begin()) {
        auto prev = std::prev(next);
        if (prev->second.end > begin && bytes > 0) fail();
      }
      std::memset(p, tag, bytes);
      if (bytes > 0) live[begin] = {end, tag};
      tag = static_cast<std::uint8_t>(tag % 250 + 1);
    } else if (kind < 7) {  // mark
      marks.push_back({arena.mark(), arena.bytes_used(), live});
    } else if (!marks.empty()) {  // rewind to the latest mark
      Saved saved = std::move(marks.back());
      marks.pop_back();
      arena.rewind(saved.mark);
      if (arena.bytes_used() != saved.used) fail();
      live = std::move(saved.live);
      for (const auto& [begin, block] : live) {
        if (!contents_intact(begin, block)) fail();
      }
    }
    if (arena.bytes_used() > arena.bytes_reserved()) fail();
  }
  for (const auto& [begin, block] : live) {
    if (!contents_intact(begin, block)) fail();
  }
  return 0;
}
