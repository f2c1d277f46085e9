# Runs PROGRAM and fails unless it exits 0 and its standard output equals the file EXPECTED.
# Usage: cmake -DPROGRAM=<exe> -DEXPECTED=<file> -P RunAndCompare.cmake
execute_process(COMMAND ${PROGRAM} OUTPUT_VARIABLE actual RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}\n${actual}")
endif()
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "${PROGRAM} printed:\n${actual}\nexpected (${EXPECTED}):\n${expected}")
endif()
