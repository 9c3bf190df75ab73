# Install rules and the CMake package (find_package(fascia)). `cmake --install`
# lays out:
#   bin/fascia                              the CLI (tools/cli), RUNPATH $ORIGIN/../lib
#   lib/libfascia.so*                       the engine: C++ and C API
#   lib/libfascia-serve.so*                 fascia::serve (engine/src/serve/CMakeLists.txt)
#   lib/libfascia-serve-command.so          `fascia serve`, opened by the CLI for that command only
#   lib/fascia/plugins/libfascia-*.so       bundled plugins (fascia_add_plugin)
#   include/fascia/*                        public headers (standard library only)
#   share/fascia/protocols, share/fascia/schemas, share/fascia/fhir, share/fascia/web
#   lib/cmake/fascia/                       fasciaConfig.cmake, fasciaConfigVersion.cmake,
#                                           fasciaTargets.cmake, FasciaPlugin.cmake
# The engine finds lib/fascia/plugins beside itself, so an installed CLI or
# embedding program needs no plugin flags.
include(CMakePackageConfigHelpers)

set(FASCIA_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/fascia)

install(TARGETS fascia_engine EXPORT fasciaTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/fascia
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/ DESTINATION ${FASCIA_DATA_INSTALL_DIR}/schemas
        FILES_MATCHING PATTERN "*.json" PATTERN "*.md")
# protocols/CMakeLists.txt installs the bundled protocols when it is part of
# the build (it comes with the tests); otherwise do it here.
if(NOT FASCIA_BUILD_TESTS)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/protocols/
          DESTINATION ${FASCIA_DATA_INSTALL_DIR}/protocols
          FILES_MATCHING PATTERN "*.yaml" PATTERN "*.json")
endif()

install(EXPORT fasciaTargets NAMESPACE fascia:: DESTINATION ${FASCIA_CMAKE_INSTALL_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/fasciaConfig.cmake.in
  ${PROJECT_BINARY_DIR}/fasciaConfig.cmake
  INSTALL_DESTINATION ${FASCIA_CMAKE_INSTALL_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR CMAKE_INSTALL_LIBDIR
            FASCIA_PLUGIN_INSTALL_DIR FASCIA_DATA_INSTALL_DIR)
# 0.x: a minor version may break the API, so only the same minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/fasciaConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/fasciaConfig.cmake
              ${PROJECT_BINARY_DIR}/fasciaConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FasciaPlugin.cmake
        DESTINATION ${FASCIA_CMAKE_INSTALL_DIR})
