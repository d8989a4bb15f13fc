# The browser build (issue 24), configured by scripts/web with Debian's Emscripten:
#
#   emcmake cmake -S . -B build-web -DBNLAB_DEBIAN_SOURCES=build-web/debian-src
#
# Included by the top-level CMakeLists.txt when the compiler is Emscripten. What it builds
# is the engine, the settings and the headless `bnlab`, the engine's and the settings' test
# suites, and bench/pair_rate, as programs for Node; and the page, the GUI as a web page
# (bnlab_page: site/index.html with its .js, .wasm and data).

if(NOT BNLAB_DEBIAN_SOURCES OR NOT IS_DIRECTORY "${BNLAB_DEBIAN_SOURCES}")
  message(FATAL_ERROR "The browser build compiles zlib from Debian's source package: run scripts/web, "
                      "which fetches it and passes -DBNLAB_DEBIAN_SOURCES=<dir>")
endif()


# Exceptions on everywhere: the settings and the datasets report bad input by throwing, and
# toml++ and CLI11 need them. Emscripten's are off by default; -fexceptions at the link too.
add_compile_options(-fexceptions)
add_link_options(-fexceptions)

# Eigen 3.4 has no WebAssembly SIMD kernels; with -msimd128 the compiler vectorizes its scalar
# loops and our own (README, "In the browser": what it gives).
option(BNLAB_WEB_SIMD "Let the compiler use WebAssembly SIMD (-msimd128)" ON)
if(BNLAB_WEB_SIMD)
  add_compile_options(-msimd128)
endif()

# The memory grows as needed (Fashion-MNIST alone is ~55 MB, the start is 16 MB); the stack keeps
# Emscripten 3.1.6's 5 MB (set here so a newer Emscripten's 64 KB default cannot break it):
# Eigen's products put blocking buffers of up to EIGEN_STACK_ALLOCATION_LIMIT (1 MiB) on it.
add_link_options(-sALLOW_MEMORY_GROWTH=1 -sTOTAL_STACK=5MB)

# Emscripten's linker runs Node programs that need Debian's Node modules (acorn); a Node that
# is not Debian's (NodeSource's, say) does not look in /usr/share/nodejs by itself. Set for the
# link itself, so `cmake --build build-web` works from any shell.
set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)

# A program run under Node (the test suites, the headless command): it sees the machine's
# files as they are (NODERAWFS: Fashion-MNIST in /usr/share/datasets, temporary files in /tmp),
# and it compiles its .wasm synchronously, so no Node option is needed (Node 18 and later would
# otherwise try to fetch() the .wasm file and fail).
function(bnlab_node_program target)
  target_link_options(${target} PRIVATE -sNODERAWFS=1 -sEXIT_RUNTIME=1 -sWASM_ASYNC_COMPILATION=0)
  set_target_properties(${target} PROPERTIES CROSSCOMPILING_EMULATOR "${BNLAB_NODE}")
endfunction()
find_program(BNLAB_NODE NAMES node nodejs REQUIRED)
