#include "model/normalized_patient.hpp"

namespace knead::detail {
namespace {

// The storage of a patient's fact table and lists, kept between two patients of one thread:
// a batch normalizes patient after patient, and the facts live only until the result is
// built, so each patient takes over what the previous one allocated instead of allocating
// its own. The fact table is sized by the rule set; lists longer than kKept entries are freed
// as usual.
constexpr std::size_t kKept = 1024;

struct Spare {
  std::vector<char> present;
  std::vector<std::uint32_t> facts;
  std::array<std::vector<Ontology::Index>, std::size(all_concept_kinds)> direct;
  std::vector<Ontology::Index> declined_modalities;
  std::vector<Ontology::Index> declined_self_care;
  std::vector<Ontology::Index> pain_locations;
  ~Spare();
};

// Set once the thread's Spare is destroyed (at thread exit): a patient destroyed later, by
// another thread_local's destructor, frees its storage as usual.
thread_local bool spare_gone = false;
Spare::~Spare() { spare_gone = true; }

Spare* spare() {
  if (spare_gone) return nullptr;
  thread_local Spare s;
  return &s;
}

template <class T>
void take(std::vector<T>& list, std::vector<T>& from) {
  if (from.capacity() > list.capacity()) list.swap(from);
  list.clear();
}

template <class T>
void give(std::vector<T>& list, std::vector<T>& to, std::size_t most = kKept) {
  if (list.capacity() > to.capacity() && list.capacity() <= most) to.swap(list);
}

}  // namespace

const char NormalizedPatient::kHostKind = 0;

FactOffsets fact_offsets(const Ontology& ontology) {
  FactOffsets offset{};
  std::size_t total = 0;
  for (std::size_t k = 0; k < std::size(all_concept_kinds); ++k) {
    offset[k] = total;
    total += ontology.size(static_cast<ConceptKind>(k));
  }
  offset.back() = total;
  return offset;
}

void NormalizedPatient::clear_present(const Ontology& ontology, std::size_t more) {
  offset = fact_offsets(ontology);
  if (Spare* s = spare()) {
    take(present, s->present);
    take(facts, s->facts);
    for (std::size_t k = 0; k < direct.size(); ++k) take(direct[k], s->direct[k]);
    take(declined_modalities, s->declined_modalities);
    take(declined_self_care, s->declined_self_care);
    take(pain_locations, s->pain_locations);
  }
  present.assign(offset.back() + more, 0);
  facts.clear();
}

NormalizedPatient::~NormalizedPatient() {
  if (Spare* s = spare()) {
    give(present, s->present, present.capacity());
    give(facts, s->facts);
    for (std::size_t k = 0; k < direct.size(); ++k) give(direct[k], s->direct[k]);
    give(declined_modalities, s->declined_modalities);
    give(declined_self_care, s->declined_self_care);
    give(pain_locations, s->pain_locations);
  }
}

}  // namespace knead::detail
