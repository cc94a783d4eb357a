# Warning flags for knead's own targets; KNEAD_WERROR turns them into errors.
function(knead_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
      -Wcast-align -Wunused -Wformat=2 -Wimplicit-fallthrough)
    if(KNEAD_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${KNEAD_WERROR}>:/WX>)
  endif()
endfunction()
