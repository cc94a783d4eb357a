# What an installation carries besides the library and headers: the pkg-config file, the
# licence and the documentation; and the Debian package built from it with CPack
# (`cpack -G DEB` in a build directory).

set(KNEAD_LICENSE "Apache-2.0")   # the one licence, also in pyproject.toml and the .deb
set(KNEAD_HOMEPAGE "https://github.com/knead-project/knead" CACHE STRING "Project home page for package metadata")

# ---- pkg-config ----------------------------------------------------------------------------
set(KNEAD_PC_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH KNEAD_PC_RELATIVE_PREFIX "${CMAKE_INSTALL_PREFIX}/${KNEAD_PC_DIR}" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" KNEAD_PC_RELATIVE_PREFIX "${KNEAD_PC_RELATIVE_PREFIX}")
# A static libknead's users link libcrypto and libuuid (the CDS Hooks card ids) themselves.
if(BUILD_SHARED_LIBS)
  set(KNEAD_PC_REQUIRES "")
  set(KNEAD_PC_REQUIRES_PRIVATE " libcrypto")
  set(KNEAD_PC_LIBS_EXTRA "")
  set(KNEAD_PC_LIBS_PRIVATE " -luuid")
else()
  set(KNEAD_PC_REQUIRES ", libcrypto")
  set(KNEAD_PC_REQUIRES_PRIVATE "")
  set(KNEAD_PC_LIBS_EXTRA " -luuid")
  set(KNEAD_PC_LIBS_PRIVATE "")
endif()
if(CMAKE_DL_LIBS)
  string(APPEND KNEAD_PC_LIBS_PRIVATE " -l${CMAKE_DL_LIBS}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/knead.pc.in" "${PROJECT_BINARY_DIR}/knead.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/knead.pc" DESTINATION "${KNEAD_PC_DIR}")

# ---- licence and documentation -------------------------------------------------------------
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" "${PROJECT_SOURCE_DIR}/README.md"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}")
if(EXISTS "${PROJECT_SOURCE_DIR}/docs")
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
    FILES_MATCHING PATTERN "*.md")
endif()

# ---- Debian package ------------------------------------------------------------------------
# One package with the library, headers, CMake and pkg-config files, the knead command, the
# default rules and their JSON Schemas, and the documentation.
set(CPACK_PACKAGE_NAME "knead")
set(CPACK_PACKAGE_VENDOR "knead")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${KNEAD_HOMEPAGE}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_CONTACT "knead maintainers <knead@localhost>")
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_STRIP_FILES ON)   # no debug information in what clinics install
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # libc, libstdc++, libssl for the library and command
# What a program building against the headers needs.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "nlohmann-json3-dev (>= 3.10), libssl-dev")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${PROJECT_DESCRIPTION}
 knead maps a patient's conditions, goals and safety findings to massage modalities,
 self-care and referrals, and says why. Licence: ${KNEAD_LICENSE}.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
