# Warning flags shared by every target of the project.
function(smarter_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    # No -Wno-missing-field-initializers: every field of an options or params struct has a default
    # member initializer, so designated initializers that leave fields out are warning-free here
    # exactly as in a user's code.
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
    if(SMARTER_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
