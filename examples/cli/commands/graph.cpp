// knead graph: the ontology or the rules of a rule set as Graphviz DOT.

#include "cli.hpp"

#include <iostream>
#include <set>

namespace knead::cli {
namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  options.add_options()("rules", po::value<std::string>()->value_name("PATH"),
                        "rule set file or directory (default: the default rules)")(
      "kind,k", po::value<std::string>()->value_name("KIND")->default_value("ontology"),
      "ontology (is_a edges, one cluster per kind of concept) or rules (rule -> concept edges)")("help,h",
                                                                                                 "show this help");
  return options;
}

const char* const usage = "knead graph [--rules PATH] [--kind ontology|rules]";

const char* const about =
    "Prints a Graphviz DOT graph on stdout. --kind ontology draws each concept with an edge to each\n"
    "concept it is_a, one cluster per kind (conditions, goals, findings, ...). --kind rules draws each\n"
    "rule with edges to what it recommends (green), suggests as self-care (blue), avoids (red when\n"
    "contraindicated, orange dashed for a caution) and refers to (purple, with the urgency).";

const char* const examples =
    "  knead graph | dot -Tsvg > ontology.svg\n"
    "  knead graph --kind rules --rules rules/ | dot -Tpdf > rules.pdf\n";

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

void ontology_graph(const RuleSet& rules, std::ostream& out) {
  out << "digraph ontology {\n"
         "  rankdir=BT;\n"
         "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
  for (auto kind : all_concept_kinds) {
    const auto& concepts = rules.ontology().concepts(kind);
    if (concepts.empty()) continue;
    out << "  subgraph " << quote("cluster_" + std::string(to_string(kind))) << " {\n"
        << "    label=" << quote(std::string(plural(kind))) << ";\n";
    for (const auto& c : concepts) {
      out << "    " << node(kind, c.id) << " [label=" << quote(c.id) << ", tooltip=" << quote(c.label) << "];\n";
    }
    for (const auto& c : concepts) {
      for (const auto& parent : c.is_a) out << "    " << node(kind, c.id) << " -> " << node(kind, parent) << ";\n";
    }
    out << "  }\n";
  }
  out << "}\n";
}

void rules_graph(const RuleSet& rules, std::ostream& out) {
  out << "digraph rules {\n"
         "  rankdir=LR;\n"
         "  node [fontname=\"Helvetica\"];\n"
         "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  std::set<std::string> concepts;  // each concept node declared once
  std::string edges;
  auto concept_node = [&](ConceptKind kind, const std::string& id) {
    const std::string name = node(kind, id);
    if (concepts.insert(name).second) {
      out << "  " << name << " [shape=ellipse, label=" << quote(id) << "];\n";
    }
    return name;
  };
  for (const auto& rule : rules.rules()) {
    const std::string r = quote("rule:" + rule.id);
    out << "  " << r << " [shape=box, label=" << quote(rule.id) << ", tooltip=" << quote(rule.title) << "];\n";
    for (const auto& rec : rule.recommend) {
      edges += "  " + r + " -> " + concept_node(ConceptKind::modality, rec.modality) +
               " [label=\"recommend\", color=darkgreen];\n";
    }
    for (const auto& s : rule.self_care) {
      edges +=
          "  " + r + " -> " + concept_node(ConceptKind::self_care, s.item) + " [label=\"self-care\", color=blue];\n";
    }
    for (const auto& a : rule.avoid) {
      ConceptKind kind = ConceptKind::modality;
      std::string label = "avoid";
      switch (a.target) {
        case AvoidTarget::modality:
          kind = ConceptKind::modality;
          break;
        case AvoidTarget::self_care:
          kind = ConceptKind::self_care;
          break;
        case AvoidTarget::region:
          kind = ConceptKind::region;
          break;
        case AvoidTarget::finding_sites:
          kind = ConceptKind::finding;
          label = "avoid sites of";
          break;
      }
      const bool veto = a.level == AvoidLevel::contraindicated;
      edges += "  " + r + " -> " + concept_node(kind, a.id) + " [label=" + quote(label + (veto ? "" : " (caution)")) +
               (veto ? ", color=red" : ", color=orange, style=dashed") + "];\n";
    }
    for (const auto& ref : rule.refer) {
      const std::string to = quote("refer:" + ref.to);
      if (concepts.insert(to).second) out << "  " << to << " [shape=hexagon, label=" << quote(ref.to) << "];\n";
      edges += "  " + r + " -> " + to + " [label=" + quote("refer (" + std::string(to_string(ref.urgency)) + ")") +
               ", color=purple];\n";
    }
  }
  out << edges << "}\n";
}

}  // namespace

void help_graph(std::ostream& out) { print_help(out, usage, about, visible_options(), examples); }

int run_graph(const std::vector<std::string>& args) {
  const po::options_description options = visible_options();
  const po::positional_options_description positional;
  const po::variables_map vm = parse_options("graph", args, options, positional);
  if (vm.count("help") != 0) {
    help_graph(std::cout);
    return exit_ok;
  }
  const std::string kind = vm["kind"].as<std::string>();
  if (kind != "ontology" && kind != "rules") {
    const std::string near = nearest(kind, {"ontology", "rules"});
    throw UsageError("graph: --kind must be ontology or rules, not '" + kind + "'" +
                     (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  const RuleSet rules = load_rules(optional_string(vm, "rules"));
  if (kind == "ontology") {
    ontology_graph(rules, std::cout);
  } else {
    rules_graph(rules, std::cout);
  }
  return exit_ok;
}

}  // namespace knead::cli
