# GUI smoke tests under Xvfb: every view renders with training running, and the PNG is
# not blank (many distinct colours, the Plain and the BN colour both present).
add_executable(png_check gui/png_check.cpp)
target_link_libraries(png_check PRIVATE bnlab::stb)
# --record's clips, decoded with giflib.
add_executable(gif_check gui/gif_check.cpp)
target_link_libraries(gif_check PRIVATE bnlab::gif)

find_program(XVFB Xvfb)
if(NOT XVFB)
  message(WARNING "Xvfb not found (package xvfb): the GUI smoke tests are not registered")
  return()
endif()

set(BNLAB_SMOKE_VIEWS dashboard loss activations distribution gradients)
foreach(view IN LISTS BNLAB_SMOKE_VIEWS)
  add_test(NAME gui_smoke_${view}
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                   ${view} ${CMAKE_CURRENT_BINARY_DIR}/smoke_${view}.png)
endforeach()
# The decision boundary needs a 2-D set.
add_test(NAME gui_smoke_boundary
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                 boundary ${CMAKE_CURRENT_BINARY_DIR}/smoke_boundary.png --scene spiral)
# The test points at full strength (the map's regions are dimmed): the spiral's three class
# colours (boundary_renderer.cpp), drawn into the map's image by the GPU.
set_tests_properties(gui_smoke_boundary PROPERTIES ENVIRONMENT "SMOKE_NEED_RGB=232,76,160 64,196,110 240,210,60")
# The batch-size noise view: its Plain and BN curves come with the first sweep, which the
# session measures in the background at its own pace, so the colours are not required here.
add_test(NAME gui_smoke_noise
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                 noise ${CMAKE_CURRENT_BINARY_DIR}/smoke_noise.png)
set_tests_properties(gui_smoke_noise PROPERTIES ENVIRONMENT "SMOKE_NEED_COLORS=0")
# Train vs eval and Inside BN show the BN net only (no Plain colour); Inside BN at m = 8 labels
# every value.
add_test(NAME gui_smoke_train_eval
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                 train-eval ${CMAKE_CURRENT_BINARY_DIR}/smoke_train_eval.png --scene test-time)
add_test(NAME gui_smoke_inside_bn
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                 inside-bn ${CMAKE_CURRENT_BINARY_DIR}/smoke_inside_bn.png --scene inside-bn)
set_tests_properties(gui_smoke_train_eval gui_smoke_inside_bn PROPERTIES ENVIRONMENT "SMOKE_NEED_COLORS=0")
# The loss landscape: its first figures come from the session a moment after the view opens.
add_test(NAME gui_smoke_landscape
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                 landscape ${CMAKE_CURRENT_BINARY_DIR}/smoke_landscape.png)
# Two variants other than Plain and BN: every view names and colours them.
add_test(NAME gui_smoke_variants
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                 dashboard ${CMAKE_CURRENT_BINARY_DIR}/smoke_variants.png --left layernorm --right renorm --batch 8)
set_tests_properties(gui_smoke_landscape gui_smoke_variants PROPERTIES ENVIRONMENT "SMOKE_NEED_COLORS=0")
# --record: 2 s of the Dashboard at 1280x720, decoded and checked (tests/gui/record.sh).
add_test(NAME gui_record
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/record.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:gif_check>
                 ${CMAKE_CURRENT_BINARY_DIR}/record.gif)
set_tests_properties(gui_record PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
add_test(NAME gui_bad_arguments COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/bad_screenshot.sh $<TARGET_FILE:bnlab>)
# SIGINT, SIGTERM and SIGHUP close the window as Ctrl+Q does (ui.toml saved, exit 0); a second
# SIGINT ends it at once.
add_test(NAME gui_signals COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/signals.sh $<TARGET_FILE:bnlab>)
set_tests_properties(gui_signals PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
# A --screenshot or --record file on a full disk or in a read-only folder, and --frame-stats or
# --layout-report sent to /dev/full: one line naming the output, exit 2, the old file intact.
add_test(NAME gui_outputs COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/outputs.sh $<TARGET_FILE:bnlab>)
set_tests_properties(gui_outputs PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
set_tests_properties(gui_smoke_dashboard gui_smoke_loss gui_smoke_activations gui_smoke_distribution
                     gui_smoke_gradients gui_smoke_noise gui_smoke_boundary gui_smoke_train_eval gui_smoke_inside_bn
                     gui_smoke_landscape gui_smoke_variants
                     PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
# Lecture layouts: the dashboard at UI scales 1, 1.5 and 2 in windows of 1280, 1600 and 1920
# pixels (16:9), and the light theme. The PNGs are kept in the build directory to look at.
foreach(width 1280 1600 1920)
  foreach(scale 1 1.5 2)
    add_test(NAME gui_layout_${width}_${scale}
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                     dashboard ${CMAKE_CURRENT_BINARY_DIR}/layout_${width}_${scale}.png --size ${width} --ui-scale ${scale})
    set_tests_properties(gui_layout_${width}_${scale} PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
  endforeach()
endforeach()
# Views that fit whole, nothing scrolling, no legend over its plot's text or newest data, no text
# smaller than the body font (tests/gui/fit.sh reads --layout-report): every view in
# the normal layout at 1600x900, UI scale 1, and in the presentation layout (--present) at
# 1280x720, UI scale 1.5, and 1920x1080, UI scale 2; each on the default scene and on the scene
# that opens it. Batch-size noise runs until its first sweep has curves (+spread, within 900
# frames, else the test fails) and is checked then, not in the "measuring" layout before.
set(BNLAB_FIT_ALL "dashboard loss activations distribution gradients noise@900+spread batch-sweep train-eval inside-bn landscape boundary:--scene:spiral")
# On its scene Train vs eval runs 300 frames (10 s), so that its plots hold a few hundred steps
# (and their legends have data to keep off).
set(BNLAB_FIT_PRESENT "${BNLAB_FIT_ALL} loss:--scene:bias-before-bn activations:--scene:saturation noise@900+spread:--scene:batch-noise train-eval@300:--scene:test-time inside-bn:--scene:inside-bn batch-sweep:--scene:batch-size")
add_test(NAME gui_fit_1600_1 COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/fit.sh $<TARGET_FILE:bnlab> "${BNLAB_FIT_ALL}"
                                     --size 1600 --ui-scale 1)
add_test(NAME gui_fit_present_1280_1.5
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/fit.sh $<TARGET_FILE:bnlab> "${BNLAB_FIT_PRESENT}"
                 --present --size 1280 --ui-scale 1.5)
add_test(NAME gui_fit_present_1920_2
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/fit.sh $<TARGET_FILE:bnlab> "${BNLAB_FIT_PRESENT}"
                 --present --size 1920 --ui-scale 2)
# Views beside a caption bar, which takes the foot of the view in the presentation layout: the
# scenes with pause captions, paused at their first pause point (fit.sh's pause= entries); and
# every view under the tallest bar a scene shows, the description on C (--caption) of a scene
# whose description takes more than one page of the bar at both sizes (the bar is then as tall
# as the view's least height lets it be: app_views.cpp). Batch-size noise and Inside BN need BN
# in the right column: on the test-time scene, whose description takes two pages too. Boundary
# needs a 2-D set: on spiral, whose description is shorter (one page, about five lines at 1920).
# Not yet Train vs eval: under that bar its plots are too short for their legends.
set(BNLAB_FIT_CAPTION dashboard loss activations distribution gradients batch-sweep landscape)
list(TRANSFORM BNLAB_FIT_CAPTION APPEND ":--scene:small-batch-renorm:--caption")
string(REPLACE ";" " " BNLAB_FIT_CAPTION "${BNLAB_FIT_CAPTION}")
set(BNLAB_FIT_PAUSED "pause=default pause=inside-bn pause=saturation pause=high-lr pause=spiral pause=test-time pause=bias-before-bn pause=bn-after pause=small-batch-renorm ${BNLAB_FIT_CAPTION} noise@900+spread:--scene:test-time:--caption inside-bn:--scene:test-time:--caption boundary:--scene:spiral:--caption")
add_test(NAME gui_fit_paused_1280_1.5
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/fit.sh $<TARGET_FILE:bnlab> "${BNLAB_FIT_PAUSED}"
                 --present --size 1280 --ui-scale 1.5)
add_test(NAME gui_fit_paused_1920_2
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/fit.sh $<TARGET_FILE:bnlab> "${BNLAB_FIT_PAUSED}"
                 --present --size 1920 --ui-scale 2)
set_tests_properties(gui_fit_1600_1 gui_fit_present_1280_1.5 gui_fit_present_1920_2 gui_fit_paused_1280_1.5
                     gui_fit_paused_1920_2 PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE)
add_test(NAME gui_light_theme
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/smoke.sh $<TARGET_FILE:bnlab> $<TARGET_FILE:png_check>
                 loss ${CMAKE_CURRENT_BINARY_DIR}/light_theme.png --light)
set_tests_properties(gui_light_theme PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)

# Driven by xdotool: key taps of 12 ms (shorter than a frame) each take effect; and robustness:
# random clicks, keys, absurd text and tiny window sizes for about a minute (seeded; the seed is
# printed, CHAOS_SEED replays it).
find_program(XDOTOOL xdotool)
if(NOT XDOTOOL)
  message(WARNING "xdotool not found (package xdotool): the GUI input tests gui_key_taps and gui_chaos are not registered")
  return()
endif()
add_test(NAME gui_key_taps COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/taps.sh $<TARGET_FILE:bnlab>)
set_tests_properties(gui_key_taps PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE)
add_test(NAME gui_chaos COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/chaos.sh $<TARGET_FILE:bnlab>)
set_tests_properties(gui_chaos PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE)
