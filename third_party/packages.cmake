# CMake glue that turns Debian (bookworm) packages into targets (included by the top-level
# CMakeLists.txt, so the imported targets are visible everywhere). No copied code lives here.
# Every package below is installed by scripts/deps.

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

  # libimgui-dev ships one static library (core + backends) and headers under include/imgui.
  find_path(IMGUI_INCLUDE_DIR imgui.h PATH_SUFFIXES imgui REQUIRED)
  find_library(IMGUI_LIBRARY NAMES libimgui.a imgui REQUIRED)
  add_library(bnlab_imgui INTERFACE)
  target_include_directories(bnlab_imgui SYSTEM INTERFACE ${IMGUI_INCLUDE_DIR})
  target_link_libraries(bnlab_imgui INTERFACE ${IMGUI_LIBRARY} bnlab_stb_lib)
  add_library(bnlab::imgui ALIAS bnlab_imgui)

  # The GLFW and OpenGL3 backends are compiled into libimgui.a; their headers live in imgui/backends.
  add_library(bnlab_imgui_glfw_gl3 INTERFACE)
  target_include_directories(bnlab_imgui_glfw_gl3 SYSTEM INTERFACE ${IMGUI_INCLUDE_DIR}/backends)
  target_link_libraries(bnlab_imgui_glfw_gl3 INTERFACE bnlab_imgui glfw OpenGL::GL ${CMAKE_DL_LIBS})
  add_library(bnlab::imgui_glfw_gl3 ALIAS bnlab_imgui_glfw_gl3)

  add_library(bnlab::epoxy ALIAS PkgConfig::EPOXY)

  # libstb-dev: headers in include/stb, implementations in libstb.
  find_path(STB_INCLUDE_DIR stb_image_write.h PATH_SUFFIXES stb REQUIRED)
  find_library(STB_LIBRARY NAMES stb REQUIRED)
  add_library(bnlab_stb_lib INTERFACE)
  target_include_directories(bnlab_stb_lib SYSTEM INTERFACE ${STB_INCLUDE_DIR})
  target_link_libraries(bnlab_stb_lib INTERFACE ${STB_LIBRARY})
  add_library(bnlab::stb ALIAS bnlab_stb_lib)
endif()

if(BNLAB_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(BNLAB_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
