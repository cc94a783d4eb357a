# How knead's libraries are built: what a shared library exports, its SOVERSION, and where it
# finds its installed rules.
#
# Visibility: everything is hidden except what the public headers mark KNEAD_API
# (include/knead/export.hpp), so a shared libknead exports knead's API and nothing of
# nlohmann/json, Boost or knead::detail.
#
# SOVERSION: while the major version is 0, every minor release may break the ABI, so the
# SOVERSION is major.minor (libknead.so.0.1); from 1.0 on it is the major version.

find_package(OpenSSL 1.1 REQUIRED COMPONENTS Crypto)   # SHA-256 through the EVP interface

# Where the default rules are, relative to an installed library or program, so that an
# installation can be moved to another prefix.
file(RELATIVE_PATH KNEAD_RULES_FROM_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}" "${KNEAD_INSTALL_RULES_DIR}")
file(RELATIVE_PATH KNEAD_RULES_FROM_BINDIR "${CMAKE_INSTALL_FULL_BINDIR}" "${KNEAD_INSTALL_RULES_DIR}")

if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(KNEAD_SOVERSION "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}")
else()
  set(KNEAD_SOVERSION "${PROJECT_VERSION_MAJOR}")
endif()

function(knead_library_properties target)
  set_target_properties(${target} PROPERTIES
    VERSION ${PROJECT_VERSION}
    SOVERSION ${KNEAD_SOVERSION}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(WIN32 AND BUILD_SHARED_LIBS)
    target_compile_definitions(${target} PRIVATE KNEAD_BUILDING_SHARED INTERFACE KNEAD_USING_SHARED)
  endif()
endfunction()

function(knead_library_locations target)
  target_compile_definitions(${target} PRIVATE
    KNEAD_BUILD_DIR="${PROJECT_BINARY_DIR}"
    KNEAD_RULES_FROM_LIBDIR="${KNEAD_RULES_FROM_LIBDIR}"
    KNEAD_RULES_FROM_BINDIR="${KNEAD_RULES_FROM_BINDIR}")
  target_link_libraries(${target} PRIVATE OpenSSL::Crypto ${CMAKE_DL_LIBS})
endfunction()
