# fascia_add_plugin(NAME SOURCES...): builds a technique plugin as a shared
# library with hidden visibility (only fascia_plugin_entry is exported),
# placed where the CLI finds it in the build tree and installed beside the
# bundled plugins.
function(fascia_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX "libfascia-"
    OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${FASCIA_PLUGIN_BUILD_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${name} PRIVATE fascia::engine)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  if(FASCIA_INSTALL)
    install(TARGETS ${name} LIBRARY DESTINATION ${FASCIA_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
