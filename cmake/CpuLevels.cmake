# One engine per x86-64 level (engine/cpu_level.h): the engine's sources compiled as three
# shared libraries, for the baseline (SSE2), x86-64-v3 (AVX2, FMA) and x86-64-v4 (AVX-512),
# laid out as glibc's dynamic loader expects (lib/bnlab/, lib/bnlab/glibc-hwcaps/x86-64-v3/,
# .../x86-64-v4/): the loader loads the best one the CPU supports. Only the engine is compiled
# three times; the rest of the program is compiled once, for the baseline.
#
# BNLAB_CPU_DISPATCH: AUTO (the default) dispatches wherever it can and is useful: an x86-64
# Linux build with glibc >= 2.33 whose compiler knows the levels, not -march=native (one level,
# the machine's) and not the sanitizer or fuzzing builds (they test the same sources once).
# Elsewhere (aarch64: NEON is the baseline already; other systems) the engine is one static
# library, as before. ON insists (an error says why not); OFF never dispatches.
include(CheckCXXCompilerFlag)
include(CheckCXXSourceCompiles)

set(BNLAB_CPU_DISPATCH AUTO CACHE STRING "One engine per x86-64 level, chosen at start-up (AUTO, ON, OFF)")
set_property(CACHE BNLAB_CPU_DISPATCH PROPERTY STRINGS AUTO ON OFF)

set(_bnlab_cpu_why_not "")
if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$" OR NOT CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(_bnlab_cpu_why_not "the target is ${CMAKE_SYSTEM_PROCESSOR}, not x86-64: its baseline is its vector code")
elseif(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(_bnlab_cpu_why_not "glibc-hwcaps is a Linux (glibc) loader's feature; the system is ${CMAKE_SYSTEM_NAME}")
elseif(BNLAB_NATIVE)
  set(_bnlab_cpu_why_not "BNLAB_NATIVE builds for this machine's level only")
elseif(BNLAB_SANITIZE OR BNLAB_TSAN OR BNLAB_FUZZ)
  set(_bnlab_cpu_why_not "the sanitizer and fuzzing builds test the engine's sources once")
else()
  check_cxx_compiler_flag(-march=x86-64-v4 BNLAB_HAS_MARCH_X86_64_V4)
  check_cxx_source_compiles("
    #include <features.h>
    #if !defined(__GLIBC__) || !__GLIBC_PREREQ(2, 33)
    #error glibc-hwcaps needs glibc 2.33
    #endif
    int main() { return 0; }" BNLAB_HAS_GLIBC_HWCAPS)
  if(NOT BNLAB_HAS_MARCH_X86_64_V4)
    set(_bnlab_cpu_why_not "the compiler does not accept -march=x86-64-v4 (GCC >= 11 or clang >= 12 does)")
  elseif(NOT BNLAB_HAS_GLIBC_HWCAPS)
    set(_bnlab_cpu_why_not "the C library is not glibc >= 2.33, whose loader reads glibc-hwcaps folders")
  endif()
endif()

if(BNLAB_CPU_DISPATCH STREQUAL "AUTO")
  if(_bnlab_cpu_why_not STREQUAL "")
    set(BNLAB_CPU_DISPATCH ON)
  else()
    set(BNLAB_CPU_DISPATCH OFF)
  endif()
elseif(BNLAB_CPU_DISPATCH AND NOT _bnlab_cpu_why_not STREQUAL "")
  message(FATAL_ERROR "BNLAB_CPU_DISPATCH=ON, but ${_bnlab_cpu_why_not}")
endif()
if(BNLAB_CPU_DISPATCH)
  message(STATUS "bnlab: one engine per x86-64 level (baseline, v3, v4), chosen by the loader at start-up")
else()
  message(STATUS "bnlab: one engine, no run-time choice of level (${_bnlab_cpu_why_not})")
endif()

# The levels, their compiler flags and their folders under lib/bnlab (glibc's names).
set(BNLAB_CPU_LEVELS baseline v3 v4)
set(BNLAB_CPU_FLAGS_baseline "")
set(BNLAB_CPU_FLAGS_v3 -march=x86-64-v3)
set(BNLAB_CPU_FLAGS_v4 -march=x86-64-v4)
set(BNLAB_CPU_FOLDER_baseline "")
set(BNLAB_CPU_FOLDER_v3 /glibc-hwcaps/x86-64-v3)
set(BNLAB_CPU_FOLDER_v4 /glibc-hwcaps/x86-64-v4)

# bnlab_engine (the baseline, which everything links) and bnlab_engine_v3, bnlab_engine_v4,
# built whenever it is. Each library binds its own calls to its own functions
# (-Bsymbolic-functions) and hides its inline ones: Eigen's and the standard library's inline
# templates are compiled into each library for its level, and no call may go to another
# level's copy (one definition rule: without this the loader binds all of them to one copy).
# The engine library's target for `level`: bnlab_engine for the baseline (what everything
# links), bnlab_engine_LEVEL for the others.
function(bnlab_engine_target level out)
  if(level STREQUAL "baseline")
    set(${out} bnlab_engine PARENT_SCOPE)
  else()
    set(${out} bnlab_engine_${level} PARENT_SCOPE)
  endif()
endfunction()

function(bnlab_add_engine_levels)
  foreach(level IN LISTS BNLAB_CPU_LEVELS)
    bnlab_engine_target(${level} target)
    add_library(${target} SHARED ${BNLAB_ENGINE_SOURCES})
    bnlab_engine_setup(${target})
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME bnlab_engine
        LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib/bnlab${BNLAB_CPU_FOLDER_${level}}
        VISIBILITY_INLINES_HIDDEN ON)
    target_compile_definitions(${target} PRIVATE BNLAB_CPU_LEVEL="${level}" BNLAB_CPU_DISPATCH=1)
    target_compile_options(${target} PRIVATE ${BNLAB_CPU_FLAGS_${level}})
    target_link_options(${target} PRIVATE -Wl,-Bsymbolic-functions -Wl,--no-undefined)
    # GCC 12's own AVX-512 intrinsic headers trip its (maybe-)uninitialized analysis when Eigen
    # inlines them (GCC bug 105593), as in the -march=native build.
    if(level STREQUAL "v4" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized -Wno-uninitialized)
    endif()
    if(NOT level STREQUAL "baseline")
      add_dependencies(bnlab_engine ${target})
    endif()
  endforeach()
endfunction()

# Installs the three libraries beside each other under lib/bnlab, and points `program` there.
function(bnlab_install_engine_levels program)
  set_target_properties(${program} PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}/bnlab")
  foreach(level IN LISTS BNLAB_CPU_LEVELS)
    bnlab_engine_target(${level} target)
    install(TARGETS ${target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/bnlab${BNLAB_CPU_FOLDER_${level}})
  endforeach()
endfunction()
