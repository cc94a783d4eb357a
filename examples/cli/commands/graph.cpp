// knead graph: the ontology or the rules of a rule set as Graphviz DOT.

#include "cli.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  add_rules_option(options);
  options.add_options()(
      "kind,k", po::value<std::string>()->value_name("KIND")->default_value("ontology"),
      "ontology (is_a edges, one cluster per kind of concept) or rules (concept -> rule -> concept edges)")(
      "focus", po::value<std::string>()->value_name("ID"),
      "draw only the neighbourhood of one concept or rule")("help,h", "show this help");
  return options;
}

const char* const usage = "knead graph [--rules PATH]... [--kind ontology|rules] [--focus ID]";

const char* const about =
    "Prints a Graphviz DOT graph on stdout. --kind ontology draws each concept with an edge to each\n"
    "concept it is_a, one cluster per kind (conditions, goals, findings, ...), broad concepts on the\n"
    "left and narrower ones to their right, so that the graph grows down rather than into one row.\n"
    "--kind rules draws, left to right, the concepts and patient fields each rule reads (grey; dashed\n"
    "when the rule requires their absence), the rules (one cluster per rule file), and what each rule\n"
    "recommends (green), suggests as self-care (blue), avoids (red when contraindicated, orange dashed\n"
    "for a caution) and refers to (purple, with the urgency); concepts are clustered by kind.\n"
    "--focus ID keeps only one concept's or rule's neighbourhood: for the ontology, the concept with\n"
    "its broader and narrower concepts; for the rules, the rules that read or act on the concept (or\n"
    "the rule itself) with everything they are joined to.";

const char* const examples =
    "  knead graph | dot -Tsvg > ontology.svg\n"
    "  knead graph --kind rules --rules rules/ | dot -Tpdf > rules.pdf\n"
    "  knead graph --kind rules --focus deep_tissue | dot -Tsvg > deep_tissue.svg\n"
    "  knead graph --focus knee_osteoarthritis | dot -Tsvg > knee.svg\n";

// A DOT double-quoted string.
std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Node names carry their kind, so that a region and a finding with one id stay apart.
std::string node(ConceptKind kind, const std::string& id) { return quote(std::string(to_string(kind)) + ":" + id); }

void ontology_graph(const RuleSet& rules, const std::optional<std::string>& focus, std::ostream& out) {
  const Ontology& ontology = rules.ontology();
  out << "digraph ontology {\n"
         "  rankdir=RL;\n"
         "  newrank=true;\n"
         "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
  for (auto kind : all_concept_kinds) {
    const auto& concepts = ontology.concepts(kind);
    if (concepts.empty()) continue;
    // With a focus: the concept, everything above it and everything below it.
    std::vector<char> keep(concepts.size(), focus ? 0 : 1);
    if (focus) {
      auto at = ontology.index(kind, *focus);
      if (!at) continue;
      for (std::size_t i = 0; i < concepts.size(); ++i) {
        if (ontology.is_a(kind, i, *at) || ontology.is_a(kind, *at, i)) keep[i] = 1;
      }
    }
    out << "  subgraph " << quote("cluster_" + std::string(to_string(kind))) << " {\n"
        << "    label=" << quote(std::string(plural(kind))) << ";\n";
    for (std::size_t i = 0; i < concepts.size(); ++i) {
      if (keep[i] == 0) continue;
      const auto& c = concepts[i];
      out << "    " << node(kind, c.id) << " [label=" << quote(c.id) << ", tooltip=" << quote(c.label)
          << (focus && c.id == *focus ? ", penwidth=3" : "") << "];\n";
    }
    for (std::size_t i = 0; i < concepts.size(); ++i) {
      if (keep[i] == 0) continue;
      for (const auto& parent : concepts[i].is_a) {
        auto p = ontology.index(kind, parent);
        if (p && keep[*p] != 0) out << "    " << node(kind, concepts[i].id) << " -> " << node(kind, parent) << ";\n";
      }
    }
    out << "  }\n";
  }
  out << "}\n";
}

// What a condition reads: concepts through the domain operators (negated under a '!') and
// patient fields through var and val.
struct Read {
  std::string node;   // DOT node name
  std::string label;
  std::string kind;   // plural kind, or "fields"
  bool negated;
};

void collect_reads(const nlohmann::json& v, bool negated, std::vector<Read>& out) {
  if (v.is_array()) {
    for (const auto& x : v) collect_reads(x, negated, out);
    return;
  }
  if (!v.is_object()) return;
  for (const auto& [op, args] : v.items()) {
    bool domain = false;
    for (auto kind : all_concept_kinds) {
      if (op == to_string(kind) || (op == "pain_location" && kind == ConceptKind::region)) {
        domain = true;
        auto add = [&](const nlohmann::json& id) {
          if (id.is_string()) out.push_back(Read{node(kind, id.get<std::string>()), id.get<std::string>(), std::string(plural(kind)), negated});
        };
        if (args.is_array()) {
          for (const auto& id : args) add(id);
        } else {
          add(args);
        }
      }
    }
    if (domain) continue;
    if ((op == "var" || op == "val") && (args.is_string() || (args.is_array() && !args.empty() && args[0].is_string()))) {
      const std::string path = args.is_string() ? args.get<std::string>() : args[0].get<std::string>();
      if (!path.empty()) out.push_back(Read{quote("field:" + path), path, "fields", negated});
      continue;
    }
    collect_reads(args, negated != (op == "!"), out);
  }
}

struct Edge {
  std::string from, to, attributes;
};

void rules_graph(const RuleSet& rules, const std::optional<std::string>& focus, std::ostream& out) {
  // Nodes by cluster, then edges; a focus keeps the rules that touch it.
  std::map<std::string, std::map<std::string, std::string>> clusters;  // cluster -> node -> attributes
  std::vector<Edge> edges;
  auto target_kind = [](AvoidTarget t) {
    switch (t) {
      case AvoidTarget::modality: return ConceptKind::modality;
      case AvoidTarget::self_care: return ConceptKind::self_care;
      case AvoidTarget::region: return ConceptKind::region;
      case AvoidTarget::finding_sites: return ConceptKind::finding;
    }
    return ConceptKind::modality;
  };
  bool found = !focus;
  for (const auto& rule : rules.rules()) {
    std::vector<Read> reads;
    if (!rule.when.is_null()) collect_reads(rule.when, false, reads);
    std::vector<std::pair<std::string, std::string>> touched;  // (id, kind) the rule names
    for (const auto& r : reads) touched.emplace_back(r.label, r.kind);
    for (const auto& rec : rule.recommend) touched.emplace_back(rec.modality, "");
    for (const auto& sc : rule.self_care) touched.emplace_back(sc.item, "");
    for (const auto& a : rule.avoid) touched.emplace_back(a.id, "");
    for (const auto& ref : rule.refer) touched.emplace_back(ref.to, "");
    if (focus && rule.id != *focus &&
        std::none_of(touched.begin(), touched.end(), [&](const auto& t) { return t.first == *focus; })) {
      continue;
    }
    found = true;
    const std::string r = quote("rule:" + rule.id);
    clusters["rules: " + rule.location.file][r] =
        "shape=box, label=" + quote(rule.id) + ", tooltip=" + quote(rule.title) +
        (focus && rule.id == *focus ? ", penwidth=3" : "");
    for (const auto& read : reads) {
      clusters["reads: " + read.kind][read.node] = "shape=ellipse, color=grey40, label=" + quote(read.label) +
                                                   (read.kind == "fields" ? ", style=dashed" : "");
      edges.push_back({read.node, r, read.negated ? "color=grey40, style=dashed, label=\"not\"" : "color=grey40"});
    }
    // A finding's sites are regions, not the finding a rule may also read: a node of their own.
    auto acted = [&](ConceptKind kind, const std::string& id, bool sites = false) {
      const std::string n = sites ? quote("sites:" + id) : node(kind, id);
      clusters[sites ? std::string("acts on: sites of findings") : "acts on: " + std::string(plural(kind))][n] =
          "shape=ellipse, label=" + quote(sites ? "sites of " + id : id) + (focus && id == *focus ? ", penwidth=3" : "");
      return n;
    };
    for (const auto& rec : rule.recommend) {
      edges.push_back({r, acted(ConceptKind::modality, rec.modality), "label=\"recommend\", color=darkgreen"});
    }
    for (const auto& sc : rule.self_care) {
      edges.push_back({r, acted(ConceptKind::self_care, sc.item), "label=\"self-care\", color=blue"});
    }
    for (const auto& a : rule.avoid) {
      const bool veto = a.level == AvoidLevel::contraindicated;
      const std::string label = a.target == AvoidTarget::finding_sites ? "avoid sites of" : "avoid";
      edges.push_back({r, acted(target_kind(a.target), a.id, a.target == AvoidTarget::finding_sites),
                       "label=" + quote(label + (veto ? "" : " (caution)")) +
                           (veto ? ", color=red" : ", color=orange, style=dashed")});
    }
    for (const auto& ref : rule.refer) {
      const std::string to = quote("refer:" + ref.to);
      clusters["refers to"][to] = "shape=hexagon, label=" + quote(ref.to);
      edges.push_back({r, to, "label=" + quote("refer (" + std::string(to_string(ref.urgency)) + ")") + ", color=purple"});
    }
  }
  if (!found) throw UsageError("graph: --focus '" + *focus + "' names no rule and no concept a rule reads or acts on");
  out << "digraph rules {\n"
         "  rankdir=LR;\n"
         "  newrank=true;\n"
         "  ranksep=1.2;\n"
         "  node [fontname=\"Helvetica\"];\n"
         "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  // Reads on the left, rules in the middle, what they act on at the right.
  std::map<std::string, std::vector<std::string>> rank_of{{"reads", {}}, {"rules", {}}, {"acts", {}}};
  for (const auto& [cluster, nodes] : clusters) {
    out << "  subgraph " << quote("cluster_" + cluster) << " {\n    label=" << quote(cluster) << ";\n";
    for (const auto& [n, attributes] : nodes) {
      out << "    " << n << " [" << attributes << "];\n";
      const std::string band = cluster.rfind("reads", 0) == 0 ? "reads" : cluster.rfind("rules", 0) == 0 ? "rules" : "acts";
      rank_of[band].push_back(n);
    }
    out << "  }\n";
  }
  for (const auto& [band, nodes] : rank_of) {
    if (nodes.empty() || band == "rules") continue;  // the middle follows from the edges
    out << "  { rank=" << (band == "reads" ? "min" : "max") << ";";
    for (const auto& n : nodes) out << ' ' << n << ';';
    out << " }\n";
  }
  for (const auto& e : edges) out << "  " << e.from << " -> " << e.to << " [" << e.attributes << "];\n";
  out << "}\n";
}

}  // namespace

void help_graph(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_graph(const std::vector<std::string>& args) {
  const auto parsed = parse_command("graph", args, visible_options(), Positionals{}, help_graph);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  const std::string kind = vm["kind"].as<std::string>();
  if (kind != "ontology" && kind != "rules") {
    const std::string near = nearest(kind, {"ontology", "rules"});
    throw UsageError("graph: --kind must be ontology or rules, not '" + kind + "'" +
                     (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  const RuleSet rules = load_rules(rules_paths(vm));
  const auto focus = optional_string(vm, "focus");
  if (kind == "ontology") {
    if (focus) {
      bool known = false;
      std::vector<std::string> ids;
      for (auto k : all_concept_kinds) {
        known = known || rules.ontology().index(k, *focus).has_value();
        for (const auto& c : rules.ontology().concepts(k)) ids.push_back(c.id);
      }
      if (!known) {
        const std::string near = nearest(*focus, ids);
        throw UsageError("graph: --focus '" + *focus + "' is no concept of the rule set" +
                         (near.empty() ? "" : "; did you mean '" + near + "'?"));
      }
    }
    ontology_graph(rules, focus, std::cout);
  } else {
    rules_graph(rules, focus, std::cout);
  }
  return exit_ok;
}

}  // namespace knead::cli
