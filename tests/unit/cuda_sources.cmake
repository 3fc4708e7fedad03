# The CUDA kernels compile (for the GPU machine's sm_90) wherever an nvcc is at hand, even in a
# build whose LibTorch has no CUDA: mistakes surface before a GPU session (skipped without nvcc).
add_test(NAME unit_cuda_sources_compile
         COMMAND bash ${TEST_AREA_DIR}/cuda_sources.sh ${CMAKE_SOURCE_DIR} ${TORCH_INCLUDE_DIRS})
set_tests_properties(unit_cuda_sources_compile PROPERTIES LABELS "unit;slow" TIMEOUT 900 SKIP_RETURN_CODE 77)
