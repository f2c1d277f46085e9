# Configures and builds tests/packaging/consumer against an installed smarter with one compiler,
# then runs each of its programs; each must exit 0 and print "<program> ok".
# Inputs: PREFIX, SOURCE_DIR, BINARY_DIR, GENERATOR, CXX_COMPILER; optional CONFIGURE_ARGS, more
# arguments for the consumer's configure (a list).
# The consumer sets -Wall -Wextra -Wpedantic -Werror itself, so a warning in the SDK's public
# headers (or in README-style code using them) fails the build, and with it this test.
if(NOT CXX_COMPILER)
  message(FATAL_ERROR "no C++ compiler given (is it installed? scripts/install-deps installs g++ and clang++)")
endif()
file(REMOVE_RECURSE ${BINARY_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
          -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Debug
          ${CONFIGURE_ARGS}
  RESULT_VARIABLE configure_result)
if(NOT configure_result EQUAL 0)
  message(FATAL_ERROR "consumer configure failed: ${configure_result}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} RESULT_VARIABLE build_result)
if(NOT build_result EQUAL 0)
  message(FATAL_ERROR "consumer build with ${CXX_COMPILER} failed: ${build_result}")
endif()
foreach(program consumer readme_cpp20 readme_cpp17)
  execute_process(COMMAND ${BINARY_DIR}/${program} RESULT_VARIABLE run_result OUTPUT_VARIABLE run_output
                  ERROR_VARIABLE run_error)
  message(STATUS "${program} printed: ${run_output}${run_error}")
  if(NOT run_result EQUAL 0)
    message(FATAL_ERROR "${program} failed: ${run_result}")
  endif()
  if(NOT run_output MATCHES "${program} ok")
    message(FATAL_ERROR "${program} did not report success")
  endif()
endforeach()
