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
# - the history test over random adds: at capacities 4 and 6 its non-finite values, each a
#   point of its own, make room by merging so often that the stride doubles 44 and 35 times
#   (2^44 samples a point, after 20 000 samples), past size_t's 32 bits in wasm32;
# - the resident-memory test: the figure is Node's (/proc/self/status), and WebAssembly's memory
#   never shrinks, so a block allocated after earlier tests freed theirs adds nothing to it.
set(BNLAB_WEB_ENGINE_EXCLUDED
    History.CopiesReadOnAnotherThreadWhileTheOriginalAdds
    History.EqualsTheReferenceOverRandomAddsAndMerges
    MemoryEstimate.ThisProcessHasResidentMemory)
list(JOIN BNLAB_WEB_ENGINE_EXCLUDED ":" BNLAB_WEB_ENGINE_FILTER)
# The Fashion-MNIST learning run (5 000 steps of the paper's net, ~28 s here) is a test of its
# own, so that ctest -j2 runs it beside the rest (~30 s together).
add_test(NAME web_engine_learning_fashion COMMAND engine_tests --gtest_filter=LearningFashion.*)
add_test(NAME web_engine_tests COMMAND engine_tests --gtest_filter=-LearningFashion.*:${BNLAB_WEB_ENGINE_FILTER})

add_executable(settings_tests ${BNLAB_SETTINGS_TESTS})
target_link_libraries(settings_tests PRIVATE bnlab_settings GTest::gtest_main)
bnlab_node_program(settings_tests)
target_link_options(settings_tests PRIVATE -O1)
# Left out, and why: the round trip of every setting at an extreme writes eps = 5e-324 (the
# smallest double, a subnormal), and toml++ cannot read that back here: it reads floats through
# an istringstream (with GCC and clang), and libc++'s fails on a subnormal where libstdc++'s
# does not.
# A scene with so small an eps does not load in the browser build; the rest of the test passes.
add_test(NAME web_settings_tests COMMAND settings_tests --gtest_filter=-SceneWriter.EverySettingChangedRoundTrips)
