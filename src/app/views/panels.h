// One function per view; each draws into the current ImGui window region it is given.
#pragma once

#include "session/session.h"
#include "session/snapshot.h"
#include "app/shell/ui_state.h"

#include <imgui.h>

#include <vector>

namespace bnlab {

// What a view keeps between frames is its own struct, declared beside the view and owned by the
// App (ViewResources, view_resources.h), which hands each view its part.
struct LossViewCache;      // loss_smoothing.h
struct NoiseViewCache;     // noise_panel.h
struct TrainEvalCache;     // train_eval_panel.h
struct InsideBnCache;      // inside_bn_panel.h
struct BoundaryViewState;  // boundary_panel.h

// The gradient bars' positions and heights (the Gradients view and the dashboard draw bars),
// reused every frame so that drawing them allocates nothing once they have grown.
struct GradientBarsScratch {
  std::vector<double> bar_x;
  std::vector<float> bar_height;
};

// Left-hand controls: play/pause/step/reset/speed, batch size, learning rate, and the
// settings that need new networks. Sends commands; never waits for training.
void DrawControlsPanel(const Snapshot& snapshot, UiState& ui, Session& session);
// Reads the bundled scenes (in lecture order) into ui.scenes the first time it is called.
void ListScenesOnce(UiState& ui);

// Train and test loss (log option) and test accuracy of both nets on shared axes. `cache` holds
// the smoothed per-batch series.
void DrawLossPanel(const Snapshot& snapshot, UiState& ui, LossViewCache& cache, const ImVec2& size);
// Per hidden layer, one column per net: histogram of the activation's input z over the
// activation curve with the saturated regions shaded and the saturated share; outputs beside.
void DrawActivationsPanel(const Snapshot& snapshot, UiState& ui, const ImVec2& size);
// 15/50/85th percentiles of one unit's activation input vs step, per layer, per net
// (the BN paper's Figure 1 b,c); the unit is selectable.
void DrawDistributionPanel(const Snapshot& snapshot, UiState& ui, Session& session, const ImVec2& size);
// Per-layer gradient norm and update/weight ratio vs step (log), with current values as bars.
void DrawGradientsPanel(const Snapshot& snapshot, UiState& ui, GradientBarsScratch& scratch, const ImVec2& size);
// Batch-size noise: the spread of μ_B and σ²_B, one sample's x̂ noise and the gradient noise vs
// batch size (measured by the session while this view is open), a live μ_B trace of one unit,
// and the ghost-BN regularization experiment. `cache` holds what is derived from the snapshot.
void DrawNoisePanel(const Snapshot& snapshot, UiState& ui, Session& session, NoiseViewCache& cache, const ImVec2& size);
// Train vs eval: one BN unit's μ_B and σ²_B per step against its running and population
// statistics, the BN net's test accuracy with batch / running / population statistics, and BN
// at test time as the line y = a·x + c. The session fills the figures while this view is open.
void DrawTrainEvalPanel(const Snapshot& snapshot, UiState& ui, Session& session, TrainEvalCache& cache,
                        const ImVec2& size);
// Inside BN: one BN unit on the last training batch, forward and backward, as strip plots of
// the actual numbers, with claim 1's check and claim 2's what-if. Recorded while it is open.
void DrawInsideBnPanel(const Snapshot& snapshot, UiState& ui, Session& session, InsideBnCache& cache,
                       const ImVec2& size);
// The loss landscape along each net's gradient (Santurkar et al. 2018, Figure 4): the range of
// the loss and of the gradient's change over steps of 0.25…4 × lr, and the effective smoothness,
// over training steps. Measured by the session while this view is open.
void DrawLandscapePanel(const Snapshot& snapshot, UiState& ui, const ImVec2& size);
// 2-D sets: each net's class-probability map (GLSL shader) with the test points on top. `state`
// holds the map's GL objects; call with the GL context current.
void DrawBoundaryPanel(const Snapshot& snapshot, UiState& ui, BoundaryViewState& state, const ImVec2& size);

// The default view: loss & accuracy on top, activations and gradients of both nets below. It
// draws the Loss & accuracy view's plots and the Gradients view's bars with their state.
void DrawDashboard(const Snapshot& snapshot, UiState& ui, LossViewCache& loss_cache, GradientBarsScratch& bars,
                   const ImVec2& size);

}  // namespace bnlab
