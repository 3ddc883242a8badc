# th_trust: plugin trust checks, Ed25519 signatures, the verified memfd image handed to
# dlopen(), and the `keygen` / `sign` CLI commands that produce keys and signatures.
#
# Included (not add_subdirectory'd) from host/loader/CMakeLists.txt, and as a fallback by
# tests/unit/loader_trust, so every path is relative to this file, not to the includer.
add_library(th_trust STATIC
  ${CMAKE_CURRENT_LIST_DIR}/trust.c
  ${CMAKE_CURRENT_LIST_DIR}/signature.c
  ${CMAKE_CURRENT_LIST_DIR}/image.c
  ${CMAKE_SOURCE_DIR}/host/cli/cmd_keys.c)
target_include_directories(th_trust PUBLIC ${CMAKE_SOURCE_DIR}/host ${CMAKE_SOURCE_DIR}/plugin-api/include)
target_link_libraries(th_trust PUBLIC PkgConfig::SODIUM)
