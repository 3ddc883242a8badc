# core_kit: helpers shared by the momentum, mean_reversion, grid, pairs, darvas, alligator and
# elliott strategy plugins (instrument rounding, intents and OMS answers, agent messages, bar
# checks and history, reload blobs, the single-symbol and chart-pattern agent bodies).
# A static library linked INTO each plugin (a plugin links nothing from the host), PIC and
# hidden so nothing of it leaks out of the .so. Included by each plugin's CMakeLists.txt.
include_guard(GLOBAL)
set(TH_STRAT_KIT_DIR ${CMAKE_CURRENT_LIST_DIR})
add_library(th_strat_kit STATIC
  ${TH_STRAT_KIT_DIR}/kit_cfg.c
  ${TH_STRAT_KIT_DIR}/kit_inst.c
  ${TH_STRAT_KIT_DIR}/kit_msg.c
  ${TH_STRAT_KIT_DIR}/kit_orders.c
  ${TH_STRAT_KIT_DIR}/kit_hist.c
  ${TH_STRAT_KIT_DIR}/kit_pos.c
  ${TH_STRAT_KIT_DIR}/kit_solo.c
  ${TH_STRAT_KIT_DIR}/kit_blob.c
  ${TH_STRAT_KIT_DIR}/kit_bar.c
  ${TH_STRAT_KIT_DIR}/kit_pat.c)
target_include_directories(th_strat_kit PUBLIC ${TH_STRAT_KIT_DIR})
target_link_libraries(th_strat_kit PUBLIC tradehost::sdk m)
set_target_properties(th_strat_kit PROPERTIES
  C_STANDARD 11
  C_STANDARD_REQUIRED ON
  POSITION_INDEPENDENT_CODE ON
  C_VISIBILITY_PRESET hidden)

# Test support: a fake OMS on top of tests/support/fake_host and two rigs to play bars
# (strategy unit tests only).
if(TH_BUILD_TESTS AND TARGET th_fake_host AND NOT TARGET th_strat_kit_testing)
  add_library(th_strat_kit_testing STATIC ${TH_STRAT_KIT_DIR}/testing/kit_fake_oms.c
    ${TH_STRAT_KIT_DIR}/testing/kit_rig.c ${TH_STRAT_KIT_DIR}/testing/kit_pat_rig.c
    ${TH_STRAT_KIT_DIR}/testing/kit_world.c)
  target_include_directories(th_strat_kit_testing PUBLIC ${TH_STRAT_KIT_DIR}/testing)
  target_link_libraries(th_strat_kit_testing PUBLIC th_fake_host th_strat_kit PkgConfig::CMOCKA)
endif()

# The kit's own unit tests (registered once, from the first strategy folder that includes this file).
if(TH_BUILD_TESTS AND TARGET th_strat_kit_testing AND NOT TARGET strat_kit_test)
  add_executable(strat_kit_test ${TH_STRAT_KIT_DIR}/tests/test_kit.c)
  target_link_libraries(strat_kit_test PRIVATE th_strat_kit_testing th_strat_kit PkgConfig::CMOCKA m)
  add_test(NAME strategy_core_kit COMMAND strat_kit_test)
  set_tests_properties(strategy_core_kit PROPERTIES LABELS "unit")
endif()
