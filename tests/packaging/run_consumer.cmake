# Configures, builds and runs tests/packaging/consumer against an installed smarter.
# Inputs: PREFIX, SOURCE_DIR, BINARY_DIR, GENERATOR, CXX_COMPILER.
file(REMOVE_RECURSE ${BINARY_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
          -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
  RESULT_VARIABLE configure_result)
if(NOT configure_result EQUAL 0)
  message(FATAL_ERROR "consumer configure failed: ${configure_result}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} RESULT_VARIABLE build_result)
if(NOT build_result EQUAL 0)
  message(FATAL_ERROR "consumer build failed: ${build_result}")
endif()
execute_process(COMMAND ${BINARY_DIR}/consumer RESULT_VARIABLE run_result OUTPUT_VARIABLE run_output)
message(STATUS "consumer printed: ${run_output}")
if(NOT run_result EQUAL 0)
  message(FATAL_ERROR "consumer run failed: ${run_result}")
endif()
if(NOT run_output MATCHES "consumer ok")
  message(FATAL_ERROR "consumer did not report success")
endif()
