# SMARTER_WITH_YAML is explicit and reported (configure only, library only):
#   OFF                     configures, says so, SMARTER_HAS_YAML is 0 and neither the CMake
#                           package nor smarter.pc asks for yaml-cpp
#   ON without yaml-cpp     fails the configure, naming the package to install
#   a value not AUTO/ON/OFF fails the configure
#   AUTO                    reports which it chose
# yaml-cpp is hidden with CMAKE_DISABLE_FIND_PACKAGE_yaml-cpp, as if it were not installed.
# Inputs: SMARTER_SOURCE_DIR, BINARY_DIR, GENERATOR.
cmake_minimum_required(VERSION 3.25)

function(configure expect_success name)
  set(dir ${BINARY_DIR}/${name})
  file(REMOVE_RECURSE ${dir})
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SMARTER_SOURCE_DIR} -B ${dir} -G ${GENERATOR}
            -DSMARTER_BUILD_TESTS=OFF -DSMARTER_BUILD_EXAMPLES=OFF -DSMARTER_BUILD_TESTKIT=OFF ${ARGN}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(expect_success AND NOT result EQUAL 0)
    message(FATAL_ERROR "${name}: configure failed:\n${output}")
  elseif(NOT expect_success AND result EQUAL 0)
    message(FATAL_ERROR "${name}: configure succeeded, expected a failure:\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
  set(dir ${dir} PARENT_SCOPE)
endfunction()

function(expect_match text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: no match for '${regex}' in:\n${text}")
  endif()
endfunction()

configure(TRUE off -DSMARTER_WITH_YAML=OFF)
expect_match("${output}" "smarter: YAML manifests disabled \\(SMARTER_WITH_YAML=OFF\\)" "OFF is reported")
file(READ ${dir}/generated/include/smarter/version.hpp version_hpp)
expect_match("${version_hpp}" "#define SMARTER_HAS_YAML 0" "OFF: version.hpp")
file(READ ${dir}/smarterConfig.cmake config)
expect_match("${config}" "if\\(0\\)\n *find_dependency\\(yaml-cpp\\)" "OFF: smarterConfig.cmake skips yaml-cpp")
file(READ ${dir}/smarter.pc pc)
if(pc MATCHES "yaml")
  message(FATAL_ERROR "OFF: smarter.pc still requires yaml-cpp:\n${pc}")
endif()

configure(FALSE on-missing -DSMARTER_WITH_YAML=ON -DCMAKE_DISABLE_FIND_PACKAGE_yaml-cpp=ON)
expect_match("${output}" "SMARTER_WITH_YAML=ON, but yaml-cpp was not found: install libyaml-cpp-dev"
             "ON without yaml-cpp")

configure(FALSE bad-value -DSMARTER_WITH_YAML=maybe)
expect_match("${output}" "SMARTER_WITH_YAML must be AUTO, ON or OFF \\(got 'maybe'\\)" "a bad value")

configure(TRUE auto-missing -DCMAKE_DISABLE_FIND_PACKAGE_yaml-cpp=ON)
expect_match("${output}" "smarter: YAML manifests disabled \\(yaml-cpp not found; SMARTER_WITH_YAML=AUTO"
             "AUTO without yaml-cpp is reported")
file(REMOVE_RECURSE ${BINARY_DIR})
message(STATUS "SMARTER_WITH_YAML: OFF, ON without yaml-cpp, a bad value and AUTO behave as documented")
