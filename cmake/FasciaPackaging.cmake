# pkg-config file and Debian package (CPack), included when FASCIA_INSTALL.
#
#   lib/pkgconfig/fascia.pc (under CMAKE_INSTALL_LIBDIR): for C users,
#   `pkg-config --cflags --libs fascia`.
#
#   cpack -G DEB --config build/CPackConfig.cmake  (or the fascia_deb target)
#   builds build/packages/fascia_<version>_<arch>.deb: one package holding the
#   CLI, libfascia, the bundled plugins, headers, CMake and pkg-config files,
#   protocols, schemas and the Python package, installed under /usr. Its
#   Depends come from dpkg-shlibdeps (libyaml-0-2,
#   libstdc++6, libc6...; spdlog and {fmt} are compiled in and Boost.DLL uses
#   std::filesystem, engine/CMakeLists.txt) plus python3 for the Python
#   package.

file(RELATIVE_PATH FASCIA_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" FASCIA_PC_TO_PREFIX "${FASCIA_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/fascia.pc.in ${PROJECT_BINARY_DIR}/fascia.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/fascia.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME fascia)
set(CPACK_PACKAGE_VENDOR "fascia contributors")
set(CPACK_PACKAGE_CONTACT "fascia maintainers <fascia@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Rules engine for clinical massage protocols")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # fascia_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3 (>= 3.9)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-dask, python3-distributed, python3-pandas")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"fascia checks a clinic's massage protocol (YAML) and turns a client's state
 into a recommended session where every adjustment names its rule and reason.
 This package holds the fascia CLI, libfascia (C++ and C API), the bundled
 technique plugins and protocols, headers, CMake and pkg-config files, and
 the Python package (import fascia).")
include(CPack)
