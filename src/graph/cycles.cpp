#include "graph/cycles.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include <algorithm>

namespace knead::detail {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

// Keeps the current DFS path; a back edge u -> v closes the cycle v ... u.
class CycleRecorder : public boost::default_dfs_visitor {
 public:
  CycleRecorder(std::vector<Vertex>& path, std::vector<std::vector<std::size_t>>& cycles)
      : path_(path), cycles_(cycles) {}

  void discover_vertex(Vertex v, const Graph&) { path_.push_back(v); }
  void finish_vertex(Vertex, const Graph&) { path_.pop_back(); }
  void back_edge(Edge e, const Graph& g) {
    const Vertex to = boost::target(e, g);
    auto start = std::find(path_.begin(), path_.end(), to);
    cycles_.emplace_back(start, path_.end());
  }

 private:
  std::vector<Vertex>& path_;
  std::vector<std::vector<std::size_t>>& cycles_;
};

}  // namespace

std::vector<std::vector<std::size_t>> find_cycles(std::size_t vertex_count,
                                                  const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
  Graph graph(vertex_count);
  for (const auto& [from, to] : edges) boost::add_edge(from, to, graph);
  std::vector<Vertex> path;
  std::vector<std::vector<std::size_t>> cycles;
  CycleRecorder recorder(path, cycles);
  std::vector<boost::default_color_type> colors(vertex_count);
  boost::depth_first_search(
      graph, boost::visitor(recorder).color_map(boost::make_iterator_property_map(
                 colors.begin(), boost::get(boost::vertex_index, graph))));
  return cycles;
}

}  // namespace knead::detail
