# The same targets as packages.cmake, for the browser build (cmake/Web.cmake): Emscripten
# compiles everything it links, so nothing comes from /usr/lib. Still no copied code:
# - zlib from Debian's source package of the version the desktop build links, which
#   scripts/web fetches into BNLAB_DEBIAN_SOURCES (Emscripten's own zlib port downloads at
#   build time, and the build must work offline);
# - GoogleTest from Debian's libgtest-dev, which ships its sources in /usr/src/googletest;
# - the header-only libraries from their Debian packages, through a folder of links: putting
#   /usr/include itself on emcc's include path would pull in glibc's headers over
#   Emscripten's own.

# Single-threaded: no -pthread, so the page works from any static host (threads would need
# cross-origin isolation). Constructing a std::thread throws here; the engine never does
# (engine/platform.h).
add_library(Threads::Threads INTERFACE IMPORTED)

set(BNLAB_WEB_INCLUDE ${CMAKE_BINARY_DIR}/web-include)
file(MAKE_DIRECTORY ${BNLAB_WEB_INCLUDE})
foreach(header_dir IN ITEMS eigen3/Eigen CLI toml++ nlohmann)
  if(NOT IS_DIRECTORY /usr/include/${header_dir})
    message(FATAL_ERROR "/usr/include/${header_dir} not found: scripts/deps installs it")
  endif()
  get_filename_component(name ${header_dir} NAME)
  file(CREATE_LINK /usr/include/${header_dir} ${BNLAB_WEB_INCLUDE}/${name} SYMBOLIC)
endforeach()

add_library(bnlab_web_headers INTERFACE)
target_include_directories(bnlab_web_headers SYSTEM INTERFACE ${BNLAB_WEB_INCLUDE})
add_library(bnlab::eigen ALIAS bnlab_web_headers)
add_library(bnlab::cli11 ALIAS bnlab_web_headers)
add_library(bnlab::tomlplusplus ALIAS bnlab_web_headers)
add_library(bnlab::json ALIAS bnlab_web_headers)

# zlib 1.2.13's own CMake build wants a Windows resource file that Debian's tarball lacks, and
# only these files make the library.
set(BNLAB_ZLIB_SOURCE ${BNLAB_DEBIAN_SOURCES}/zlib)
add_library(bnlab_web_zlib STATIC)
foreach(file IN ITEMS adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate
                      inftrees trees uncompr zutil)
  target_sources(bnlab_web_zlib PRIVATE ${BNLAB_ZLIB_SOURCE}/${file}.c)
endforeach()
target_include_directories(bnlab_web_zlib SYSTEM PUBLIC ${BNLAB_ZLIB_SOURCE})
# What zlib's ./configure writes into the zconf.h Debian installs: without HAVE_UNISTD_H the gz*
# functions call lseek, read and close undeclared (an error in Emscripten's C) and z_off_t is
# not off_t. Public, so whoever includes zlib.h sees the same z_off_t.
target_compile_definitions(bnlab_web_zlib PUBLIC HAVE_UNISTD_H HAVE_STDARG_H)
target_compile_options(bnlab_web_zlib PRIVATE -Wno-conversion)  # (its code, not ours to change)
add_library(bnlab::zlib ALIAS bnlab_web_zlib)

if(BNLAB_BUILD_TESTS)
  set(BNLAB_GTEST_SOURCE /usr/src/googletest/googletest)
  if(NOT EXISTS ${BNLAB_GTEST_SOURCE}/src/gtest-all.cc)
    message(FATAL_ERROR "${BNLAB_GTEST_SOURCE} not found: scripts/deps installs libgtest-dev")
  endif()
  add_library(bnlab_web_gtest STATIC ${BNLAB_GTEST_SOURCE}/src/gtest-all.cc ${BNLAB_GTEST_SOURCE}/src/gtest_main.cc)
  target_include_directories(bnlab_web_gtest SYSTEM PUBLIC ${BNLAB_GTEST_SOURCE}/include)
  target_include_directories(bnlab_web_gtest PRIVATE ${BNLAB_GTEST_SOURCE})
  target_compile_options(bnlab_web_gtest PRIVATE -w)
  add_library(GTest::gtest_main ALIAS bnlab_web_gtest)
endif()

# The page (BNLAB_BUILD_GUI): Dear ImGui with its GLFW and OpenGL 3 backends, from Debian's
# source package of the version the desktop build links, for OpenGL ES 3 (WebGL 2); GLFW and GL
# themselves are Emscripten's (-sUSE_GLFW=3, part of Emscripten: nothing is downloaded).
if(BNLAB_BUILD_GUI)
  set(BNLAB_IMGUI_SOURCE ${BNLAB_DEBIAN_SOURCES}/imgui)
  add_library(bnlab_web_imgui STATIC
      ${BNLAB_IMGUI_SOURCE}/imgui.cpp
      ${BNLAB_IMGUI_SOURCE}/imgui_draw.cpp
      ${BNLAB_IMGUI_SOURCE}/imgui_tables.cpp
      ${BNLAB_IMGUI_SOURCE}/imgui_widgets.cpp
      ${BNLAB_IMGUI_SOURCE}/backends/imgui_impl_glfw.cpp
      ${BNLAB_IMGUI_SOURCE}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(bnlab_web_imgui SYSTEM PUBLIC ${BNLAB_IMGUI_SOURCE} ${BNLAB_IMGUI_SOURCE}/backends)
  target_compile_definitions(bnlab_web_imgui PUBLIC IMGUI_IMPL_OPENGL_ES3)
  target_compile_options(bnlab_web_imgui PRIVATE -w)  # (its code, not ours to change)
  target_link_options(bnlab_web_imgui INTERFACE -sUSE_GLFW=3 -sMAX_WEBGL_VERSION=2 -sMIN_WEBGL_VERSION=2)
  add_library(bnlab::imgui ALIAS bnlab_web_imgui)
  add_library(bnlab::imgui_glfw_gl3 ALIAS bnlab_web_imgui)
  add_library(bnlab_web_nothing INTERFACE)  # the GL loader: Emscripten's headers need none
  add_library(bnlab::epoxy ALIAS bnlab_web_nothing)

  # stb_image_write (the S key's PNG): the header from Debian's libstb-dev, its implementation
  # compiled here from that header, as libstb.so holds it on the desktop.
  if(NOT EXISTS /usr/include/stb/stb_image_write.h)
    message(FATAL_ERROR "/usr/include/stb/stb_image_write.h not found: scripts/deps installs libstb-dev")
  endif()
  file(MAKE_DIRECTORY ${BNLAB_WEB_INCLUDE}/stb)
  file(CREATE_LINK /usr/include/stb/stb_image_write.h ${BNLAB_WEB_INCLUDE}/stb/stb_image_write.h SYMBOLIC)
  file(WRITE ${CMAKE_BINARY_DIR}/generated/stb_image_write.c
       "#define STB_IMAGE_WRITE_IMPLEMENTATION\n#include <stb_image_write.h>\n")
  add_library(bnlab_web_stb STATIC ${CMAKE_BINARY_DIR}/generated/stb_image_write.c)
  target_include_directories(bnlab_web_stb SYSTEM PUBLIC ${BNLAB_WEB_INCLUDE}/stb)
  target_compile_options(bnlab_web_stb PRIVATE -w)
  add_library(bnlab::stb ALIAS bnlab_web_stb)

  # giflib (the G key's clips) from Debian's source package, as zlib.
  set(BNLAB_GIF_SOURCE ${BNLAB_DEBIAN_SOURCES}/giflib)
  add_library(bnlab_web_gif STATIC)
  foreach(file IN ITEMS dgif_lib egif_lib gifalloc gif_err gif_font gif_hash openbsd-reallocarray quantize)
    target_sources(bnlab_web_gif PRIVATE ${BNLAB_GIF_SOURCE}/${file}.c)
  endforeach()
  target_include_directories(bnlab_web_gif SYSTEM PUBLIC ${BNLAB_GIF_SOURCE})
  target_compile_options(bnlab_web_gif PRIVATE -w)
  add_library(bnlab::gif ALIAS bnlab_web_gif)
endif()
