# Install rules (only with SMARTER_INSTALL): headers, libraries, the CMake package
# (smarterConfig.cmake + version) and smarter.pc, split into three components that CPack turns
# into Debian packages (cmake/SmarterPackage.cmake):
#   runtime  the shared libsmarter.so.<major>.<minor> (nothing for a static build)
#   dev      headers, the static library or the libsmarter.so link, CMake package, smarter.pc
#   testkit  smarter::testkit (library, headers, CMake targets) and bin/smarter-mock
set(SMARTER_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/smarter)

install(DIRECTORY include/smarter DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        PATTERN "testkit" EXCLUDE)
install(FILES ${SMARTER_GENERATED_INCLUDE}/smarter/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/smarter COMPONENT dev)
install(TARGETS smarter EXPORT smarterTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(EXPORT smarterTargets NAMESPACE smarter:: DESTINATION ${SMARTER_CMAKE_DIR} COMPONENT dev)

# The fake server is an optional component: find_package(smarter CONFIG COMPONENTS testkit).
if(TARGET smarter_testkit)
  install(DIRECTORY include/smarter/testkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/smarter
          COMPONENT testkit)
  install(TARGETS smarter_testkit EXPORT smarterTestkitTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT testkit
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT testkit)
  install(EXPORT smarterTestkitTargets NAMESPACE smarter:: DESTINATION ${SMARTER_CMAKE_DIR}
          COMPONENT testkit)
  if(TARGET smarter-mock)
    install(TARGETS smarter-mock RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT testkit)
  endif()
endif()

# The private dependencies (libcurl, fmt, yaml-cpp, threads; cpp-httplib for the testkit) are
# needed only to link a static library. smarterConfig.cmake and smarter.pc ask for them only
# then, so a shared install needs nothing beyond nlohmann_json (the public headers use it).
if(BUILD_SHARED_LIBS)
  set(SMARTER_CONFIG_STATIC FALSE)
else()
  set(SMARTER_CONFIG_STATIC TRUE)
endif()
configure_package_config_file(cmake/smarterConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/smarterConfig.cmake
  INSTALL_DESTINATION ${SMARTER_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/smarterConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/smarterConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/smarterConfigVersion.cmake
        DESTINATION ${SMARTER_CMAKE_DIR} COMPONENT dev)

# smarter.pc: for a static library the private dependencies become public requirements, so a
# plain `pkg-config --libs smarter` links. A shared library lists none of them, not even in
# Requires.private (pkg-config reads that for --cflags too, which would make their .pc files
# mandatory for shared consumers).
if(BUILD_SHARED_LIBS)
  set(SMARTER_PC_CFLAGS "")
  set(SMARTER_PC_REQUIRES "nlohmann_json")
  set(SMARTER_PC_LIBS "-lsmarter")
else()
  set(SMARTER_PC_CFLAGS "-DSMARTER_STATIC")
  set(SMARTER_PC_REQUIRES "nlohmann_json libcurl fmt")
  if(SMARTER_HAS_YAML)
    string(APPEND SMARTER_PC_REQUIRES " yaml-cpp")
  endif()
  set(SMARTER_PC_LIBS "-lsmarter -lpthread")
endif()
# Relocatable: the prefix is found from where smarter.pc lies, so `cmake --install --prefix X` works.
file(RELATIVE_PATH SMARTER_PC_TO_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
configure_file(cmake/smarter.pc.in ${CMAKE_CURRENT_BINARY_DIR}/smarter.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/smarter.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT dev)
