// What the views keep from one frame to the next, gathered in one object the App owns: figures
// derived from a snapshot (rebuilt when it changes, not every frame), scratch buffers reused so a
// frame allocates nothing, and the decision boundary's GL objects. Each part is its view's own
// struct, declared beside the view's code; the App hands each view its part.
#pragma once

#include "app/views/batch_sweep/batch_sweep_panel.h"
#include "app/views/boundary/boundary_panel.h"
#include "app/views/inside_bn/inside_bn_panel.h"
#include "app/views/loss/loss_smoothing.h"
#include "app/views/noise/noise_panel.h"
#include "app/views/panels.h"
#include "app/views/train_eval/train_eval_panel.h"

namespace bnlab {

// Holds GL objects (boundary): destroy it while the GL context is current. The App owns it;
// RunSession (frame_loop.cpp) destroys the App before the window and its context are closed.
struct ViewResources {
  LossViewCache loss;                 // Loss & accuracy, and the dashboard's copy of its plots
  GradientBarsScratch gradient_bars;  // Gradients, and the dashboard's bars
  NoiseViewCache noise;               // Batch-size noise
  BatchSweepCache batch_sweep;        // Batch size
  TrainEvalCache train_eval;          // Train vs eval
  InsideBnCache inside_bn;            // Inside BN
  BoundaryViewState boundary;         // Decision boundary
};

}  // namespace bnlab
