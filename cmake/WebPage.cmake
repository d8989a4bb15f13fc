# The page: the desktop program's sources (BNLAB_GUI_SOURCES) compiled for the browser into
# build-web/site/: index.html (assets/web/shell.html with Emscripten's loader), index.js,
# index.wasm and index.data, which holds what the program reads from files on the desktop: the
# fonts and the bundled scenes, at the same paths; and fashion-mnist/, Debian's Fashion-MNIST,
# which the page fetches when a scene first needs it (browser.h: ArrivedFiles), so that a 2-D
# scene starts without waiting for its 30 MB.
# Included by the top-level CMakeLists.txt in the browser build (cmake/Web.cmake).

set(BNLAB_SITE ${CMAKE_BINARY_DIR}/site)
add_executable(bnlab_page ${BNLAB_GUI_SOURCES} src/app/shell/browser.cpp)
target_link_libraries(bnlab_page PRIVATE ${BNLAB_GUI_LIBRARIES})
set_target_properties(bnlab_page PROPERTIES OUTPUT_NAME index SUFFIX .html RUNTIME_OUTPUT_DIRECTORY ${BNLAB_SITE})
set(BNLAB_PAGE_SHELL ${CMAKE_SOURCE_DIR}/assets/web/shell.html)
set(BNLAB_FONT_DIR /usr/share/fonts/truetype/dejavu)
set(BNLAB_FASHION_DIR /usr/share/datasets/fashion-mnist)
foreach(needed IN ITEMS ${BNLAB_FONT_DIR}/DejaVuSans.ttf ${BNLAB_FASHION_DIR}/train-images-idx3-ubyte.gz)
  if(NOT EXISTS ${needed})
    message(FATAL_ERROR "${needed} not found: scripts/deps installs it (the page ships it)")
  endif()
endforeach()
target_link_options(bnlab_page PRIVATE
    --shell-file ${BNLAB_PAGE_SHELL} -sMINIFY_HTML=0
    # The files, each at its desktop path (SHELL: keeps CMake from merging the repeated option).
    "SHELL:--preload-file ${BNLAB_FONT_DIR}/DejaVuSans.ttf@${BNLAB_FONT_DIR}/DejaVuSans.ttf"
    "SHELL:--preload-file ${BNLAB_FONT_DIR}/DejaVuSans-Bold.ttf@${BNLAB_FONT_DIR}/DejaVuSans-Bold.ttf"
    "SHELL:--preload-file ${CMAKE_SOURCE_DIR}/assets/scenes@${BNLAB_INSTALLED_SCENES_DIR}")
# EM_ASM's JavaScript: $0 is its first argument.
set_source_files_properties(src/app/shell/browser.cpp PROPERTIES COMPILE_OPTIONS
                            "-Wno-dollar-in-identifier-extension;-Wno-gnu-zero-variadic-macro-arguments")
set_property(TARGET bnlab_page APPEND PROPERTY LINK_DEPENDS ${BNLAB_PAGE_SHELL})
# The page's icon: the desktop entry's.
add_custom_command(TARGET bnlab_page POST_BUILD
                   COMMAND ${CMAKE_COMMAND} -E copy_if_different ${CMAKE_SOURCE_DIR}/data/org.bnlab.Bnlab.svg
                           ${BNLAB_SITE}/icon.svg)
# Fashion-MNIST beside the page, as the files are (already gzip: a server sends them as they are).
file(GLOB BNLAB_FASHION_FILES ${BNLAB_FASHION_DIR}/*-ubyte.gz)
add_custom_command(TARGET bnlab_page POST_BUILD
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${BNLAB_SITE}/fashion-mnist
                   COMMAND ${CMAKE_COMMAND} -E copy_if_different ${BNLAB_FASHION_FILES} ${BNLAB_SITE}/fashion-mnist/)
