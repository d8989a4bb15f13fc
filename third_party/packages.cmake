# CMake glue that turns Debian (bookworm) packages into targets (included by the top-level
# CMakeLists.txt, so the imported targets are visible everywhere). No copied code lives here.
# Every package below is installed by scripts/deps. The browser build has its own (web.cmake).

if(EMSCRIPTEN)
  include(${CMAKE_CURRENT_LIST_DIR}/web.cmake)
  return()
endif()

find_package(Threads REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(ZLIB REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)

add_library(bnlab::eigen ALIAS Eigen3::Eigen)
add_library(bnlab::zlib ALIAS ZLIB::ZLIB)
add_library(bnlab::cli11 ALIAS CLI11::CLI11)
add_library(bnlab::tomlplusplus ALIAS tomlplusplus::tomlplusplus)
add_library(bnlab::json ALIAS nlohmann_json::nlohmann_json)

if(BNLAB_BUILD_GUI)
  find_package(PkgConfig REQUIRED)
  find_package(OpenGL REQUIRED)
  find_package(glfw3 3.3 REQUIRED)
  pkg_check_modules(EPOXY REQUIRED IMPORTED_TARGET epoxy)

  # libimgui-dev ships one static library (core + backends) and libstb-dev the stb
  # implementations, each with a pkg-config file. Their headers are included as system headers
  # (our warning flags are not theirs to meet).
  pkg_check_modules(IMGUI REQUIRED imgui)
  pkg_check_modules(STB REQUIRED stb)
  add_library(bnlab_stb_lib INTERFACE)
  target_include_directories(bnlab_stb_lib SYSTEM INTERFACE ${STB_INCLUDE_DIRS})
  target_link_libraries(bnlab_stb_lib INTERFACE ${STB_LINK_LIBRARIES})
  add_library(bnlab::stb ALIAS bnlab_stb_lib)
  add_library(bnlab_imgui INTERFACE)
  target_include_directories(bnlab_imgui SYSTEM INTERFACE ${IMGUI_INCLUDE_DIRS})
  target_link_libraries(bnlab_imgui INTERFACE ${IMGUI_LINK_LIBRARIES} bnlab_stb_lib)
  add_library(bnlab::imgui ALIAS bnlab_imgui)

  # The GLFW and OpenGL3 backends are compiled into libimgui.a; their headers live in backends/.
  pkg_get_variable(IMGUI_INCLUDE_DIR imgui includedir)
  add_library(bnlab_imgui_glfw_gl3 INTERFACE)
  target_include_directories(bnlab_imgui_glfw_gl3 SYSTEM INTERFACE ${IMGUI_INCLUDE_DIR}/backends)
  target_link_libraries(bnlab_imgui_glfw_gl3 INTERFACE bnlab_imgui glfw OpenGL::GL ${CMAKE_DL_LIBS})
  add_library(bnlab::imgui_glfw_gl3 ALIAS bnlab_imgui_glfw_gl3)

  add_library(bnlab::epoxy ALIAS PkgConfig::EPOXY)

  # giflib (libgif-dev) writes the window's clips; Debian ships no pkg-config file for it, so
  # CMake's FindGIF module finds its header and library.
  find_package(GIF 5 REQUIRED)
  add_library(bnlab::gif ALIAS GIF::GIF)
endif()

if(BNLAB_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(BNLAB_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
