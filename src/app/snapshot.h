// What the UI draws: an immutable picture of the training session, published by the
// session thread and read by the UI once per frame.
#pragma once

#include "engine/config.h"
#include "engine/history.h"
#include "engine/probes.h"
#include "engine/trainer.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bnlab {

struct LayerHistory {
  History p15, p50, p85;   // percentiles of the probe unit's activation input
  History saturated;       // saturated share of the layer's activation inputs
  History grad_norm;       // ‖dW‖_F
  History update_ratio;    // ‖ΔW‖_F / ‖W‖_F
};

struct NetView {
  bool diverged = false;
  long diverged_at = 0;
  StepStats last;
  History train_loss;
  History batch_accuracy;
  History test_loss;
  History test_accuracy;
  bool has_test = false;
  TestResult test;           // the latest evaluation
  std::vector<LayerHistory> layers;
  bool has_probe = false;
  NetProbe probe;            // the latest probe
  // Class probabilities over a grid of the input plane (2-D sets only), row-major from
  // the bottom-left corner, `classes` floats per cell.
  std::vector<float> boundary;
};

struct Snapshot {
  std::uint64_t generation = 0;  // increases on every reset (new networks)
  long step = 0;
  long epoch = 0;
  bool paused = false;
  double steps_per_second = 0.0;  // measured
  double speed = 0.0;             // the speed asked for: steps per second, 0 = as fast as possible
  TrainConfig config;             // the settings in force
  std::string scene_title;
  std::string scene_description;
  std::string message;            // the latest notice, e.g. why training was reset
  std::string error;              // a problem the user must see (dataset failed to load)
  std::shared_ptr<const Dataset> dataset;
  std::array<NetView, 2> nets;
  // Decision-boundary grid (2-D sets): grid × grid cells over [lo, hi]².
  int boundary_grid = 0;
  float boundary_lo = 0.0f;
  float boundary_hi = 0.0f;

  const NetView& net(NetId id) const { return nets[static_cast<std::size_t>(id)]; }
  bool is_2d() const { return dataset && dataset->features() == 2; }
};

}  // namespace bnlab
