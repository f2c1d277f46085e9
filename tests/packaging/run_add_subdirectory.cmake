# Builds tests/packaging/parent, a C++20 project at -O3 with -Wall -Wextra -Werror that
# add_subdirectory()s the SDK, runs its program, and checks what `cmake --install` of the parent
# ships: nothing of the SDK by default (SMARTER_INSTALL is off below a parent), the SDK's
# headers, library and packages with -DSMARTER_INSTALL=ON.
# Inputs: SMARTER_SOURCE_DIR, SOURCE_DIR, BINARY_DIR, GENERATOR, CXX_COMPILER.
# The build directory is kept between runs (incremental): a source that warns cannot have built.
cmake_minimum_required(VERSION 3.25)  # script mode: today's policies (IN_LIST)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

# Lists the files under `dir`, relative to it, sorted.
function(installed_files dir out)
  file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE ${dir} ${dir}/*)
  list(SORT files)
  set(${out} "${files}" PARENT_SCOPE)
endfunction()

# -U SMARTER_INSTALL: a previous run left it ON; its default below a parent is what is tested.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR} -U SMARTER_INSTALL
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O3 -DNDEBUG"
    -DSMARTER_SOURCE_DIR=${SMARTER_SOURCE_DIR})
run(${CMAKE_COMMAND} --build ${BINARY_DIR})
# -Werror turns compiler warnings into failures above; a diagnostic that still got through (a
# linker warning, a `#warning` under -Wno-error=cpp) is caught here. ninja's own notes are not.
if(output MATCHES "(:[0-9]+(:[0-9]+)?: warning:|ld: warning:)")
  message(FATAL_ERROR "the add_subdirectory build printed a warning:\n${output}")
endif()
run(${BINARY_DIR}/parent_app)
if(NOT output MATCHES "parent_app ok")
  message(FATAL_ERROR "parent_app did not report success: ${output}")
endif()

# Only the parent's own program is installed.
set(prefix ${BINARY_DIR}/install-default)
file(REMOVE_RECURSE ${prefix})
run(${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${prefix})
installed_files(${prefix} files)
if(NOT files STREQUAL "bin/parent_app")
  message(FATAL_ERROR "with SMARTER_INSTALL at its default the parent installed: ${files}")
endif()

# Opting in installs the SDK as a top-level install would (static here: no shared library).
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -DSMARTER_INSTALL=ON)
set(prefix ${BINARY_DIR}/install-opt-in)
file(REMOVE_RECURSE ${prefix})
run(${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${prefix})
installed_files(${prefix} files)
foreach(expected bin/parent_app include/smarter/client.hpp include/smarter/version.hpp
                 lib/libsmarter.a lib/cmake/smarter/smarterConfig.cmake lib/pkgconfig/smarter.pc)
  if(NOT expected IN_LIST files)
    message(FATAL_ERROR "with SMARTER_INSTALL=ON ${expected} was not installed; got: ${files}")
  endif()
endforeach()
message(STATUS "add_subdirectory build: no warnings; install default: bin/parent_app only; SMARTER_INSTALL=ON: the SDK too")
