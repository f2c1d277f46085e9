# Debian packages through CPack (`cpack -G DEB`, or the `deb` workflow preset): one package per
# install component of cmake/SmarterInstall.cmake.
#
#   libsmarter<major>.<minor>  runtime: libsmarter.so.<major>.<minor>; Depends from dpkg-shlibdeps
#                              (libcurl4, libfmt9, libyaml-cpp0.7, libstdc++6, libc6, ...)
#   libsmarter-dev             headers, CMake package, smarter.pc, the libsmarter.so link (or the
#                              static libsmarter.a); Depends on the runtime at this exact version and
#                              on the -dev packages its smarterConfig.cmake and smarter.pc ask for
#   smarter-testkit            smarter::testkit and smarter-mock (a test tool, kept out of -dev so
#                              users of the SDK do not pull in cpp-httplib); Depends on libsmarter-dev
#
# The runtime package's name carries the SONAME version, as Debian policy asks for libraries.
# Only a top-level build packages: under add_subdirectory() packaging belongs to the parent.
if(NOT PROJECT_IS_TOP_LEVEL)
  return()
endif()

set(CPACK_PACKAGE_NAME smarter)
set(CPACK_PACKAGE_VENDOR "Smarter")
set(CPACK_PACKAGE_CONTACT "smarter-cpp maintainers <maintainers@smarter.sh>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL "https://smarter.sh")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_GENERATOR DEB)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/SmarterCPackOptions.cmake)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
# A shlibs file (so packages built against ours get a dependency from dpkg-shlibdeps) and the
# ldconfig trigger for the shared libraries.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(_smarter_runtime_package libsmarter${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
set(_smarter_exact "(= ${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE})")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${_smarter_runtime_package})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "C++ SDK for the Smarter platform: shared library\n The libcurl-based client of the Smarter platform and its OpenAI-shaped model APIs.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libsmarter-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "C++ SDK for the Smarter platform: development files\n Headers, the CMake package (find_package(smarter)) and smarter.pc.")

set(CPACK_DEBIAN_TESTKIT_PACKAGE_NAME smarter-testkit)
set(CPACK_DEBIAN_TESTKIT_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_TESTKIT_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_TESTKIT_DESCRIPTION
    "Fake Smarter server for tests: smarter::testkit and smarter-mock\n An in-process and standalone fake of the Smarter platform and OpenAI-shaped APIs.")

# The -dev package needs what smarterConfig.cmake and smarter.pc ask for (cmake/SmarterInstall.cmake):
# nlohmann-json always, and for a static library the -dev packages of its private dependencies.
set(_smarter_dev_depends "nlohmann-json3-dev (>= 3.11)")
if(BUILD_SHARED_LIBS)
  set(CPACK_COMPONENTS_ALL runtime dev)
  string(PREPEND _smarter_dev_depends "${_smarter_runtime_package} ${_smarter_exact}, ")
else()
  set(CPACK_COMPONENTS_ALL dev)
  string(APPEND _smarter_dev_depends ", libcurl4-openssl-dev | libcurl-dev, libfmt-dev")
  if(SMARTER_HAS_YAML)
    string(APPEND _smarter_dev_depends ", libyaml-cpp-dev")
  endif()
endif()
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${_smarter_dev_depends}")

if(TARGET smarter_testkit)
  list(APPEND CPACK_COMPONENTS_ALL testkit)
  set(CPACK_DEBIAN_TESTKIT_PACKAGE_DEPENDS "libsmarter-dev ${_smarter_exact}")
  if(NOT BUILD_SHARED_LIBS)
    string(APPEND CPACK_DEBIAN_TESTKIT_PACKAGE_DEPENDS ", libcpp-httplib-dev")
  endif()
endif()

# The command-line tool, as its own package (it needs the runtime library only).
if(TARGET smarter-cli)
  list(APPEND CPACK_COMPONENTS_ALL cli)
  set(CPACK_DEBIAN_CLI_PACKAGE_NAME smarter-cli)
  set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
  set(CPACK_DEBIAN_CLI_DESCRIPTION "Command-line tool for the Smarter platform\n The platform CLI's commands on the C++ SDK.")
  # Listed by hand: dpkg-shlibdeps cannot resolve libsmarter from the build tree for it.
  set(CPACK_DEBIAN_CLI_PACKAGE_SHLIBDEPS OFF)
  set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS
      "${_smarter_runtime_package} ${_smarter_exact}, libyaml-cpp0.7, libstdc++6, libgcc-s1, libc6")
endif()

include(CPack)
