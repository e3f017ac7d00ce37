# jc_host_tool(<name> SOURCES <file>... [DEPENDS <file>...] [INCLUDES <dir>...])
#
# A C program that runs at build time (the stencil extractor, numfmt_gen)
# is a host program. Built natively it is an ordinary executable target;
# when cross-compiling the project's compiler makes target code, so the
# host's C compiler builds it instead, and it never goes through the
# emulator. Sources are relative to the calling folder.
#
# Sets in the caller's scope:
#   <name>_COMMAND  what a custom command runs (and depends on)
#   <name>_PATH     the program's path ($<TARGET_FILE:...> natively)
#   <name>_TARGET   the target that builds it
function(jc_host_tool name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPENDS;INCLUDES" ${ARGN})
  if(NOT CMAKE_CROSSCOMPILING)
    add_executable(${name} ${T_SOURCES})
    target_include_directories(${name} PRIVATE ${T_INCLUDES})
    set(${name}_COMMAND ${name} PARENT_SCOPE)
    set(${name}_PATH $<TARGET_FILE:${name}> PARENT_SCOPE)
    set(${name}_TARGET ${name} PARENT_SCOPE)
    return()
  endif()
  find_program(JC_HOST_CC NAMES cc gcc NO_CMAKE_FIND_ROOT_PATH)
  if(NOT JC_HOST_CC)
    message(FATAL_ERROR "no host C compiler (cc) to build ${name}")
  endif()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name})
  list(TRANSFORM T_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  list(TRANSFORM T_INCLUDES PREPEND -I)
  set(werror "")
  if(JITCALC_WERROR)
    set(werror -Werror)
  endif()
  add_custom_command(OUTPUT ${out}
    COMMAND ${JC_HOST_CC} -std=gnu11 -O2 -Wall -Wextra ${werror} ${T_INCLUDES}
            ${T_SOURCES} -o ${out}
    DEPENDS ${T_SOURCES} ${T_DEPENDS}
    COMMENT "Building ${name} for the host (${JC_HOST_CC})"
    VERBATIM)
  add_custom_target(${name}_host DEPENDS ${out})
  set(${name}_COMMAND ${out} PARENT_SCOPE)
  set(${name}_PATH ${out} PARENT_SCOPE)
  set(${name}_TARGET ${name}_host PARENT_SCOPE)
endfunction()
