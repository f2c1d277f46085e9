# Install rules: headers, libraries, the CMake package (smarterConfig.cmake + version) and smarter.pc.
set(SMARTER_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/smarter)

install(DIRECTORY include/smarter DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        PATTERN "testkit" EXCLUDE)
install(FILES ${SMARTER_GENERATED_INCLUDE}/smarter/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/smarter)
install(TARGETS smarter EXPORT smarterTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT smarterTargets NAMESPACE smarter:: DESTINATION ${SMARTER_CMAKE_DIR})

# The fake server is an optional component: find_package(smarter CONFIG COMPONENTS testkit).
if(TARGET smarter_testkit)
  install(DIRECTORY include/smarter/testkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/smarter)
  install(TARGETS smarter_testkit EXPORT smarterTestkitTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT smarterTestkitTargets NAMESPACE smarter:: DESTINATION ${SMARTER_CMAKE_DIR})
  if(TARGET smarter-mock)
    install(TARGETS smarter-mock RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endif()

configure_package_config_file(cmake/smarterConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/smarterConfig.cmake
  INSTALL_DESTINATION ${SMARTER_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/smarterConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/smarterConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/smarterConfigVersion.cmake
        DESTINATION ${SMARTER_CMAKE_DIR})

# A static libsmarter needs its private dependencies at link time, so they become public
# requirements there; the shared library keeps them private.
set(SMARTER_PC_DEPS "libcurl fmt")
if(yaml-cpp_FOUND)
  string(APPEND SMARTER_PC_DEPS " yaml-cpp")
endif()
if(BUILD_SHARED_LIBS)
  set(SMARTER_PC_CFLAGS "")
  set(SMARTER_PC_REQUIRES "nlohmann_json")
  set(SMARTER_PC_REQUIRES_PRIVATE "${SMARTER_PC_DEPS}")
  set(SMARTER_PC_LIBS "-lsmarter")
else()
  set(SMARTER_PC_CFLAGS "-DSMARTER_STATIC")
  set(SMARTER_PC_REQUIRES "nlohmann_json ${SMARTER_PC_DEPS}")
  set(SMARTER_PC_REQUIRES_PRIVATE "")
  set(SMARTER_PC_LIBS "-lsmarter -lpthread")
endif()
# Relocatable: the prefix is found from where smarter.pc lies, so `cmake --install --prefix X` works.
file(RELATIVE_PATH SMARTER_PC_TO_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
configure_file(cmake/smarter.pc.in ${CMAKE_CURRENT_BINARY_DIR}/smarter.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/smarter.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
