# The engine's and the settings' suites compiled to WebAssembly and run under Node (the browser
# build: cmake/Web.cmake). One ctest test per suite: starting Node and compiling a suite's
# .wasm costs about a second, too much to pay once per test case.
add_executable(engine_tests ${BNLAB_ENGINE_TESTS})
target_link_libraries(engine_tests PRIVATE bnlab_engine bnlab::zlib GTest::gtest_main)
bnlab_node_program(engine_tests)
# Linked at -O1: Binaryen's -O3 took 21 s to optimize this suite's 2 MB of WebAssembly (-O1:
# 1 s), and the code it runs is compiled at -O3 all the same.
target_link_options(engine_tests PRIVATE -O1)
# Left out, and why:
# - the history test that reads copies on a second thread starts a std::thread itself (the
#   browser build is single-threaded; the engine never starts one there: engine/platform.h);
# - the resident-memory test: the figure is Node's (/proc/self/status), and WebAssembly's memory
#   never shrinks, so a block allocated after earlier tests freed theirs adds nothing to it.
set(BNLAB_WEB_ENGINE_EXCLUDED
    History.CopiesReadOnAnotherThreadWhileTheOriginalAdds
    MemoryEstimate.ThisProcessHasResidentMemory)
list(JOIN BNLAB_WEB_ENGINE_EXCLUDED ":" BNLAB_WEB_ENGINE_FILTER)
# The Fashion-MNIST learning run (5 000 steps of the paper's net, ~28 s here) is a test of its
# own, so that ctest -j2 runs it beside the rest (~30 s together).
add_test(NAME web_engine_learning_fashion COMMAND engine_tests --gtest_filter=LearningFashion.*)
add_test(NAME web_engine_tests COMMAND engine_tests --gtest_filter=-LearningFashion.*:${BNLAB_WEB_ENGINE_FILTER})

add_executable(settings_tests ${BNLAB_SETTINGS_TESTS} web/no_mounts.cpp)
target_link_libraries(settings_tests PRIVATE bnlab_settings GTest::gtest_main)
bnlab_node_program(settings_tests)
target_link_options(settings_tests PRIVATE -O1)
# (tests/common/subprocess.h names the program it would run; no test here runs one.)
target_compile_definitions(settings_tests PRIVATE BNLAB_EXE="$<TARGET_FILE:bnlab>")
# Left out, and why:
# - the round trip of every setting at an extreme writes eps = 5e-324 (the smallest double, a
#   subnormal), and toml++ cannot read that back here: it reads floats through an
#   istringstream (with GCC and clang), and libc++'s fails on a subnormal where libstdc++'s does
#   not. A scene with so small an eps does not load in the browser build;
# - the failed save: it confines a forked child to a full disk or a read-only folder, and
#   there is no fork here.
set(BNLAB_WEB_SETTINGS_EXCLUDED
    SceneWriter.EverySettingChangedRoundTrips
    SceneWriter.AFailedSaveLeavesTheOldScene)
list(JOIN BNLAB_WEB_SETTINGS_EXCLUDED ":" BNLAB_WEB_SETTINGS_FILTER)
add_test(NAME web_settings_tests COMMAND settings_tests --gtest_filter=-${BNLAB_WEB_SETTINGS_FILTER})

# Accuracy parity (issue 24, test 2): `bnlab train` here and in the desktop build, seeds 1-3:
# each net's test accuracy within 1 point (accuracy_parity.py). On Fashion-MNIST (the paper's
# 3x100 sigmoid net, batch 60, 2 000 steps) for every seed: the accuracies came out equal to
# the last digit. On the spiral scene (500 steps) for the mean over the seeds: there BN's final
# accuracy moves by more than a point with float rounding alone (two desktop builds, SSE2 and
# -march=native, gave 95.4% and 96.6% on seed 3, 84.6% and 87.4% on seed 6; WebAssembly 96.7%
# and 93.6%), as its reductions add in another order. They need the desktop build's bnlab:
# scripts/test passes it to scripts/web through BNLAB_NATIVE_BNLAB.
set(BNLAB_NATIVE_BNLAB "" CACHE FILEPATH "The desktop build's bnlab, for the accuracy parity tests")
if(BNLAB_NATIVE_BNLAB)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  set(parity ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/accuracy_parity.py ${BNLAB_NODE} $<TARGET_FILE:bnlab>
             ${BNLAB_NATIVE_BNLAB})
  add_test(NAME web_parity_spiral COMMAND ${parity} 1,2,3 mean --scene spiral --steps 500)
  foreach(seed 1 2 3)  # one test per seed (20-35 s each here): side by side under ctest -j
    add_test(NAME web_parity_fashion_seed${seed}
             COMMAND ${parity} ${seed} each --dataset fashion --layers 100,100,100 --activation sigmoid --batch 60
                     --steps 2000)
  endforeach()
else()
  message(STATUS "BNLAB_NATIVE_BNLAB is not set: no accuracy parity tests")
endif()

# The page in a browser (issue 24, test 3; page_test.py): Debian's Chromium, headless, with
# WebGL 2 through SwiftShader, loads build-web/site/ from a server on 127.0.0.1 and trains in
# real time to step 100; its screenshot must show both nets' colours, and the page and its
# console no error. The default scene (Fashion-MNIST, fetched at 8 MB/s as over a slow network:
# the loading screen moves and the page keeps drawing), the spiral's decision boundary (the
# shaders as GLSL ES; no Fashion-MNIST fetched; a HiDPI screen; F11), the batch-size noise view
# (Copy link's address on the clipboard, Save as scene's file, the view settings kept across a
# reload), and a URL with a bad value (the message shows, the
# page trains the URL's scene with its own settings; a scene file dropped, then one picked, opens).
# Each test takes the two cores (SwiftShader draws on the CPU, and the page trains in real
# time): one at a time.
if(BNLAB_BUILD_GUI)
  find_program(BNLAB_CHROMIUM NAMES chromium)
  # Debian's Python: python3-websocket is installed for it (scripts/deps --web).
  find_program(BNLAB_DEBIAN_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(BNLAB_CHROMIUM AND BNLAB_DEBIAN_PYTHON)
    set(page_test ${BNLAB_DEBIAN_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/page_test.py ${BNLAB_CHROMIUM} ${BNLAB_SITE})
    # E and S there download the CSV and the screenshot (browser.h's OfferDownload).
    add_test(NAME web_page_default COMMAND ${page_test} "" --download E "bnlab-history-step*.csv" --data-rate 8000000
                                           --loading-moves)
    add_test(NAME web_page_spiral_boundary COMMAND ${page_test} "?scene=spiral&view=boundary" --download S
                                                   "bnlab-step*.png" --no-data-fetched --pixel-ratio 2 --fullscreen)
    # (Its figures are BN's: no net colour need show, as in the desktop's gui_smoke_noise.)
    # In a window tall enough for the whole control panel: Copy link and Save as scene, clicked.
    add_test(NAME web_page_noise COMMAND ${page_test} "?view=noise&batch=30&speed=30" --no-net-colours
                                         --viewport 1280 1600 --copy-link "?scene=default&batch=30&view=noise&speed=30"
                                         --save-scene "batch = 30" "view = \"noise\"" "speed = 30"
                                         --light-after-reload)
    # Then a scene file dropped on the page opens, and one picked in the file picker.
    add_test(NAME web_page_bad_value COMMAND ${page_test} "?scene=spiral&lr=abc"
                                             --message "bnlab: --lr: 'abc' is not a number" --scene-title "Three spirals"
                                             --drop ${CMAKE_CURRENT_LIST_DIR}/dropped_scene.toml "Dropped on the page"
                                             --pick ${CMAKE_CURRENT_LIST_DIR}/picked_scene.toml "Picked in the page")
    set_tests_properties(web_page_default web_page_spiral_boundary web_page_noise web_page_bad_value
                         PROPERTIES PROCESSORS 2 TIMEOUT 240)
  else()
    message(STATUS "chromium or /usr/bin/python3 not found (scripts/deps --web installs them): no browser tests")
  endif()
endif()
