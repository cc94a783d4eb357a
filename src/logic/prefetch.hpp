#pragma once
// Bringing a JSON document into the cache before reading it.
//
// A parsed document is a tree of separately allocated nodes: each object a red-black tree,
// each array and string a block of its own. Following one path through it is a chain of
// memory loads, each waiting for the one before; when a record is not in the cache, every
// path the clauses read pays a memory latency per step, one path after the other.
//
// But a document parsed in one go was allocated in one go: most of its nodes follow its root
// object's storage in memory, a few cache lines per member. Fetching those lines first, all
// at once, needs no load of the document itself, so their latencies overlap. (A breadth-first
// walk of the tree, which finds every node wherever it lies, was tried and measured slower,
// in the cache and out: its loads wait for each other level by level, and cost instructions
// when the record is already there.) A document put together piece by piece gains nothing,
// and loses only the few instructions of the hint.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>

namespace knead::logic::detail {

/// Loads the cache lines that follow the storage of `document`'s root object, a few per
/// member (at most 4 KB). Only a hint to the processor: it has no other effect, and never
/// reads the document's nodes.
inline void prefetch_document(const nlohmann::json& document) noexcept {
  const auto* object = document.get_ptr<const nlohmann::json::object_t*>();
  if (object == nullptr) return;
  constexpr std::size_t kLine = 64;
  constexpr std::size_t kLinesPerMember = 4;  // its tree node, its value's block, texts
  constexpr std::size_t kMaxLines = 64;
  const std::size_t lines = std::min(object->size() * kLinesPerMember, kMaxLines);
  const char* storage = reinterpret_cast<const char*>(object);
#if defined(__GNUC__) || defined(__clang__)
  for (std::size_t line = 0; line < lines; ++line) {
    const char* at = storage + kLine * line;
    __builtin_prefetch(at);
    // A prefetch alone counts as no effect: without this the compiler drops the whole loop.
    asm volatile("" : : "r"(at));
  }
#else
  (void)storage;
  (void)lines;
#endif
}

/// Loads the cache lines of a block of `size` bytes at `data` (at most 4 KB): a PackedData's
/// packed form, all of which the clauses read. Fetched at once, their latencies overlap,
/// instead of each step of a path waiting for the line it reads.
inline void prefetch_block(const void* data, std::size_t size) noexcept {
  constexpr std::size_t kLine = 64;
  constexpr std::size_t kMaxBytes = 4096;
  const char* begin = static_cast<const char*>(data);
  const char* end = begin + std::min(size, kMaxBytes);
#if defined(__GNUC__) || defined(__clang__)
  for (const char* at = begin; at < end; at += kLine) {
    __builtin_prefetch(at);
    asm volatile("" : : "r"(at));  // see prefetch_document
  }
#else
  (void)begin;
  (void)end;
#endif
}

}  // namespace knead::logic::detail
