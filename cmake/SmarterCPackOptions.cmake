# Read by cpack itself (CPACK_PROJECT_CONFIG_FILE), once per generator. Each Debian package's
# Description starts with its own synopsis, the first line of CPACK_DEBIAN_<COMPONENT>_DESCRIPTION;
# CPackDeb would put the project-wide summary above it, giving three packages one synopsis.
if(CPACK_GENERATOR STREQUAL "DEB")
  unset(CPACK_PACKAGE_DESCRIPTION_SUMMARY)
endif()
