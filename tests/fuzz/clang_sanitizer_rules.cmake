# CMAKE_USER_MAKE_RULES_OVERRIDE for clang sanitizer builds (30-fuzz.sh,
# 10-asan.sh with clang). clang links the sanitizer runtime into executables
# only; a plugin (MODULE library, linked with -Wl,--no-undefined by
# fascia_add_plugin) then has undefined __asan_*/__ubsan_* symbols, which the
# executable provides at dlopen time. `-z undefs` after everything else lifts
# --no-undefined for modules only; gcc needs none of this (it links libasan
# into every shared object).
set(CMAKE_CXX_CREATE_SHARED_MODULE
    "<CMAKE_CXX_COMPILER> <CMAKE_SHARED_LIBRARY_CXX_FLAGS> <LANGUAGE_COMPILE_FLAGS> <LINK_FLAGS> <CMAKE_SHARED_LIBRARY_CREATE_CXX_FLAGS> <SONAME_FLAG><TARGET_SONAME> -o <TARGET> <OBJECTS> <LINK_LIBRARIES> -Wl,-z,undefs")
