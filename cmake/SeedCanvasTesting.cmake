# seedcanvas_add_test(NAME name SOURCES ... LIBS ... LABELS ... [TIMEOUT s])
# One executable per test, registered with ctest under its labels. Fixture root is
# passed through SEEDCANVAS_FIXTURES (default: ../shared/fixtures beside the source tree).
get_filename_component(SEEDCANVAS_DEFAULT_FIXTURES "${CMAKE_SOURCE_DIR}/../shared/fixtures" ABSOLUTE)
function(seedcanvas_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ARGS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "SEEDCANVAS_DEFAULT_FIXTURES=${SEEDCANVAS_DEFAULT_FIXTURES};SEEDCANVAS_BUILD_DIR=${CMAKE_BINARY_DIR};QT_QPA_PLATFORM=offscreen")
endfunction()
