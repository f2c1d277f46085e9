// Builds and runs the README's GoogleTest example (examples/gtest/testkit_gtest.cpp) as part of
// the integration tests, so the test kit's documented use is checked like any other test. The
// examples folder builds one standalone program per file, which a GoogleTest file is not.
#include "../../examples/gtest/testkit_gtest.cpp"
