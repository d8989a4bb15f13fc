# GUI smoke tests under Xvfb: every view renders with training running, and the PNG is
# not blank (many distinct colours, the Plain and the BN colour both present).
add_executable(png_check gui/png_check.cpp)
target_link_libraries(png_check PRIVATE bnlab::stb)

find_program(XVFB_RUN xvfb-run)
if(NOT XVFB_RUN)
  message(WARNING "xvfb-run not found (package xvfb): the GUI smoke tests are not registered")
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
add_test(NAME gui_bad_arguments COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/gui/bad_screenshot.sh $<TARGET_FILE:bnlab>)
set_tests_properties(gui_smoke_dashboard gui_smoke_loss gui_smoke_activations gui_smoke_distribution
                     gui_smoke_gradients gui_smoke_boundary PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
