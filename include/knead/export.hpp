#pragma once
/// \file
/// KNEAD_API marks the declarations a shared libknead exports. The library is built with hidden
/// visibility, so whatever is not marked (the `detail` namespaces, nlohmann and Boost code
/// instantiated inside) stays private to it and cannot clash with a program's own copies.

#if defined(_WIN32)
#  if defined(KNEAD_BUILDING_SHARED)
#    define KNEAD_API __declspec(dllexport)
#  elif defined(KNEAD_USING_SHARED)
#    define KNEAD_API __declspec(dllimport)
#  else
#    define KNEAD_API
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define KNEAD_API __attribute__((visibility("default")))
#else
#  define KNEAD_API
#endif
