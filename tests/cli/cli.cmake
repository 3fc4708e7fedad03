# The command-line workflows a user types, end to end on the demo pack of this build: generate,
# ask, edit and a scripted multi-turn chat, with the errors they must give on bad input.
if(TARGET seedcanvas-cli)
  add_test(NAME e2e_cli_workflows
           COMMAND bash ${TEST_AREA_DIR}/cli_workflows.sh $<TARGET_FILE:seedcanvas-cli> ${CMAKE_BINARY_DIR})
  set_tests_properties(e2e_cli_workflows PROPERTIES LABELS unit TIMEOUT 600)
endif()
