# Warning flags shared by every target of the project.
function(smarter_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
      # Options and params are meant to be written with designated initializers that leave
      # fields out; GCC's -Wextra would flag every such call site.
      -Wno-missing-field-initializers)
    if(SMARTER_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
