// What the Decision boundary view (boundary_panel.cpp) keeps between frames.
#pragma once

#include "app/views/boundary/boundary_renderer.h"

#include <imgui.h>

#include <array>
#include <vector>

namespace bnlab {

// The renderers hold GL objects and free them when destroyed: destroy this while the GL context
// is current (it is part of the App's ViewResources). Everything else is scratch reused every
// frame, so drawing the view allocates nothing once the buffers have grown.
struct BoundaryViewState {
  std::array<BoundaryRenderer, 2> renderers;        // by NetId
  std::array<float, 2> area_aspect = {1.0f, 1.0f};  // width / height of each plot area, last frame
  std::vector<float> point_x, point_y;
  std::vector<ImU32> point_colors, outline_colors;
  std::vector<float> cpu_values;  // the CPU map: one value per cell
  // Whether a renderer's failure was said on stderr: said once, though both renderers fail.
  bool failure_reported = false;
};

}  // namespace bnlab
