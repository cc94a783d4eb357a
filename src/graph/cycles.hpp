#pragma once
// Cycle finding on the include graph and the is_a graphs, with Boost.Graph.

#include <cstddef>
#include <utility>
#include <vector>

namespace knead::detail {

/// Every cycle that a depth-first search closes, one per back edge, each as the vertices in
/// order, starting from the vertex the search reached first. Empty when the graph is acyclic.
[[nodiscard]] std::vector<std::vector<std::size_t>> find_cycles(
    std::size_t vertex_count, const std::vector<std::pair<std::size_t, std::size_t>>& edges);

}  // namespace knead::detail
