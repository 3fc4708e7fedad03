# Builds the .deb from this build tree, validates it, installs it, runs it, removes it.
add_test(NAME packaging_deb
  COMMAND bash ${TEST_AREA_DIR}/test_deb.sh ${CMAKE_BINARY_DIR})
set_tests_properties(packaging_deb PROPERTIES LABELS slow TIMEOUT 900 SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
