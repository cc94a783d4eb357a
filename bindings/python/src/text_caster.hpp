#pragma once
// knead::Text (a result's text, often the rule set's own string) is a Python str both ways;
// knead::TextList (a result's list of rule ids or notes) a list of str, and knead::CautionList
// (an item's cautions) a list of Caution and knead::SelfCareList a list of RecommendedSelfCare, as
// std::vectors of them were.

#include <knead/recommendation.hpp>
#include <knead/text.hpp>
#include <knead/text_list.hpp>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

namespace pybind11::detail {

template <>
struct type_caster<knead::Text> {
  PYBIND11_TYPE_CASTER(knead::Text, const_name("str"));

  bool load(handle source, bool convert) {
    make_caster<std::string> text;
    if (!text.load(source, convert)) return false;
    value = cast_op<std::string&&>(std::move(text));
    return true;
  }

  static handle cast(const knead::Text& text, return_value_policy policy, handle parent) {
    return make_caster<std::string>::cast(text.str(), policy, parent);
  }
};

template <>
struct type_caster<knead::TextList> : list_caster<knead::TextList, knead::Text> {};

template <>
struct type_caster<knead::CautionList> : list_caster<knead::CautionList, knead::Caution> {};

template <>
struct type_caster<knead::SelfCareList> : list_caster<knead::SelfCareList, knead::RecommendedSelfCare> {};

}  // namespace pybind11::detail
