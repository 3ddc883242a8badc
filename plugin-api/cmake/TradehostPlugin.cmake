# th_add_plugin(<target> SOURCES <files...> [LIBRARIES <libs...>] [OUTPUT_DIRECTORY <dir>])
#
# Builds a tradehost plugin: a MODULE library named <target>.so compiled as C11 with hidden
# visibility, linked with -z defs (no undefined symbols: a plugin links nothing from the host)
# and a version script that exports only the entry symbol th_plugin_entry_v<MAJOR>.
# Works in the tradehost source tree and, after `find_package(tradehost)`, out of tree.
include_guard(GLOBAL)

set(TH_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/../plugin.map" CACHE INTERNAL "")
if(NOT EXISTS "${TH_PLUGIN_VERSION_SCRIPT}")
  # Installed layout: <prefix>/lib/cmake/tradehost/TradehostPlugin.cmake, map in the same folder.
  set(TH_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/plugin.map" CACHE INTERNAL "")
endif()

function(th_add_plugin target)
  cmake_parse_arguments(P "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT P_SOURCES)
    message(FATAL_ERROR "th_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_STANDARD 11
    C_STANDARD_REQUIRED ON
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${TH_PLUGIN_VERSION_SCRIPT}")
  target_link_libraries(${target} PRIVATE tradehost::sdk ${P_LIBRARIES})
  target_link_options(${target} PRIVATE "LINKER:-z,defs" "LINKER:--version-script=${TH_PLUGIN_VERSION_SCRIPT}")
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIRECTORY}")
  elseif(DEFINED TH_BUILD_PLUGIN_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${TH_BUILD_PLUGIN_DIR}")
  endif()
endfunction()
