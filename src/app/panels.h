// One function per view; each draws into the current ImGui window region it is given.
#pragma once

#include "app/session.h"
#include "app/snapshot.h"
#include "app/ui_state.h"

#include <imgui.h>

namespace bnlab {

// Left-hand controls: play/pause/step/reset/speed, batch size, learning rate, and the
// settings that need new networks. Sends commands; never waits for training.
void DrawControlsPanel(const Snapshot& snapshot, UiState& ui, Session& session);

// Train and test loss (log option) and test accuracy of both nets on shared axes.
void DrawLossPanel(const Snapshot& snapshot, UiState& ui, const ImVec2& size);
// Per hidden layer, one column per net: histogram of the activation's input z over the
// activation curve with the saturated regions shaded and the saturated share; outputs beside.
void DrawActivationsPanel(const Snapshot& snapshot, UiState& ui, const ImVec2& size);
// 15/50/85th percentiles of one unit's activation input vs step, per layer, per net
// (the BN paper's Figure 1 b,c); the unit is selectable.
void DrawDistributionPanel(const Snapshot& snapshot, UiState& ui, Session& session, const ImVec2& size);
// Per-layer gradient norm and update/weight ratio vs step (log), with current values as bars.
void DrawGradientsPanel(const Snapshot& snapshot, UiState& ui, const ImVec2& size);
// 2-D sets: each net's class-probability map (GLSL shader) with the test points on top.
void DrawBoundaryPanel(const Snapshot& snapshot, UiState& ui, const ImVec2& size);
// Frees the boundary view's GL objects; call while the GL context is current.
void ShutdownBoundaryPanel();

// The default view: loss & accuracy on top, activations and gradients of both nets below.
void DrawDashboard(const Snapshot& snapshot, UiState& ui, const ImVec2& size);

}  // namespace bnlab
