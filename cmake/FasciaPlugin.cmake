# fascia_add_plugin(NAME [SOURCES] src... [OUTPUT_DIRECTORY dir] [NO_INSTALL]
#                   [INSTALL_DESTINATION dir])
#
# Builds a technique plugin as a MODULE library libfascia-NAME.so with hidden
# visibility (only fascia_plugin_entry, defined by FASCIA_PLUGIN, is
# exported), linked to fascia::engine.
#
# Inside the fascia build it lands in ${FASCIA_PLUGIN_BUILD_DIR}, where the
# CLI finds it, and installs beside the bundled plugins when FASCIA_INSTALL
# is on. From an installed package (find_package(fascia)) it lands in the
# current binary folder and installs into ${CMAKE_INSTALL_LIBDIR}/fascia/plugins
# under the consumer's prefix; point FASCIA_PLUGIN_PATH (or --plugin-dir) at
# either folder, or install into ${FASCIA_PLUGIN_DIR}, the installed engine's
# own plugin folder, to have it found with no flags.
#
# The host refuses plugin files and folders writable by other users, so keep
# the output folder at mode 0755 (or 0775 with a user private group).
function(fascia_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "OUTPUT_DIRECTORY;INSTALL_DESTINATION" "SOURCES" ${ARGN})
  set(sources ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  if(NOT sources)
    message(FATAL_ERROR "fascia_add_plugin(${name}): no sources")
  endif()

  if(ARG_OUTPUT_DIRECTORY)
    set(output_dir ${ARG_OUTPUT_DIRECTORY})
  elseif(TARGET fascia_engine AND DEFINED FASCIA_PLUGIN_BUILD_DIR)
    set(output_dir ${FASCIA_PLUGIN_BUILD_DIR})
  else()
    set(output_dir ${CMAKE_CURRENT_BINARY_DIR})
  endif()

  add_library(${name} MODULE ${sources})
  set_target_properties(${name} PROPERTIES
    PREFIX "libfascia-"
    OUTPUT_NAME ${name}
    SUFFIX ".so"
    LIBRARY_OUTPUT_DIRECTORY ${output_dir}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 20
    CXX_STANDARD_REQUIRED ON)
  target_link_libraries(${name} PRIVATE fascia::engine)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  # Every undefined symbol must resolve at link time, not at dlopen.
  target_link_options(${name} PRIVATE -Wl,--no-undefined)

  if(TARGET fascia_engine)
    # Inside the fascia build (the engine is a real target, not imported): installed into lib/fascia/plugins, next to
    # lib/libfascia.so two folders up.
    set_target_properties(${name} PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
    # In build/lib/fascia/plugins the same RUNPATH holds: use it there too.
    # (Otherwise CMake pads the build tree's RUNPATH with an empty entry for
    # its install-time rewrite, and an empty entry searches the current folder.)
    if(output_dir STREQUAL FASCIA_PLUGIN_BUILD_DIR)
      set_target_properties(${name} PROPERTIES BUILD_WITH_INSTALL_RPATH ON)
    endif()
    set(do_install ${FASCIA_INSTALL})
    set(destination ${FASCIA_PLUGIN_INSTALL_DIR})
  else()
    set_target_properties(${name} PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
    set(do_install ON)
    include(GNUInstallDirs)
    set(destination ${CMAKE_INSTALL_LIBDIR}/fascia/plugins)
  endif()
  if(ARG_INSTALL_DESTINATION)
    set(destination ${ARG_INSTALL_DESTINATION})
  endif()
  if(do_install AND NOT ARG_NO_INSTALL)
    install(TARGETS ${name} LIBRARY DESTINATION ${destination})
  endif()
endfunction()
