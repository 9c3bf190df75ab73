# Compiles every public header on its own (a translation unit that includes
# only it, twice, with nothing but engine/include on the include path), as
# C++20, and fascia.h also as C99; and refuses includes of the engine's
# private dependencies in public headers.
#   cmake -DCXX=c++ -DCC=cc -DINCLUDE_DIR=engine/include -P check_public_headers.cmake
file(GLOB headers "${INCLUDE_DIR}/fascia/*.hpp" "${INCLUDE_DIR}/fascia/*.h")
if(NOT headers)
  message(FATAL_ERROR "no public headers in ${INCLUDE_DIR}/fascia")
endif()

set(failed "")
foreach(header ${headers})
  get_filename_component(name ${header} NAME)
  file(STRINGS ${header} private_includes REGEX "#[ \t]*include[ \t]*[<\"](boost|yaml-cpp|spdlog|nlohmann|fmt|CLI)/")
  if(private_includes)
    list(APPEND failed "${name}: includes a private dependency: ${private_includes}")
  endif()

  set(languages "c++;-std=c++20")
  if(name MATCHES "\\.h$")
    list(APPEND languages "c;-std=c99")
  endif()
  while(languages)
    list(POP_FRONT languages language standard)
    set(compiler ${CXX})
    if(language STREQUAL "c")
      set(compiler ${CC})
    endif()
    file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/header_alone_${name}.${language}.txt"
         "#include <fascia/${name}>\n#include <fascia/${name}>\nint fascia_header_alone;\n")
    execute_process(
      COMMAND ${compiler} -x ${language} ${standard} -fsyntax-only -Wall -Wextra -Wpedantic
              -Werror -I${INCLUDE_DIR} "${CMAKE_CURRENT_BINARY_DIR}/header_alone_${name}.${language}.txt"
      RESULT_VARIABLE result ERROR_VARIABLE errors)
    file(REMOVE "${CMAKE_CURRENT_BINARY_DIR}/header_alone_${name}.${language}.txt")
    if(result EQUAL 0)
      message(STATUS "ok    ${name} (${language})")
    else()
      list(APPEND failed "${name} does not compile alone as ${language}:\n${errors}")
    endif()
  endwhile()
endforeach()

if(failed)
  list(JOIN failed "\n" report)
  message(FATAL_ERROR "${report}")
endif()
