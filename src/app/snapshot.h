// What the UI draws: an immutable picture of the training session, published by the
// session thread and read by the UI once per frame.
#pragma once

#include "engine/config.h"
#include "engine/ghost_experiment.h"
#include "engine/history.h"
#include "engine/noise.h"
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

// The last steps of one BN unit (the probe unit) of one layer of the BN net, step by step:
// what each training step normalized with, and the running averages after it. Oldest first;
// at most kUnitTraceLength points.
struct UnitTrace {
  std::vector<double> step;
  std::vector<float> batch_mean;    // μ_B of the step's batch
  std::vector<float> batch_var;     // σ²_B (biased)
  std::vector<float> running_mean;  // after the step's update
  std::vector<float> running_var;   // unbiased running estimate
  std::vector<int> batch_size;      // m of the step

  std::size_t size() const { return step.size(); }
};
inline constexpr std::size_t kUnitTraceLength = 600;

// The batch-size noise lab (engine/noise.h), measured by the session at a calm cadence while
// the Batch-size noise view is open, and the ghost-BN experiment it runs on request.
struct NoiseView {
  std::vector<NoisePoint> points;      // ascending batch size; each from the sweep at measured_step
  long measured_step = -1;             // training step of the nets the points were measured on
  int train_size = 0;                  // N, for the theory lines
  int draws = 0;                       // K
  bool measuring = false;              // a sweep is under way (points may mix two sweeps)
  // Population mean and σ of the probe unit, per layer (from the last sweep).
  std::vector<double> population_mean, population_std;
  std::vector<UnitTrace> traces;       // per hidden layer

  // The regularization experiment.
  bool experiment_running = false;
  int experiment_done = 0;             // runs finished
  int experiment_total = 0;
  bool has_experiment = false;
  GhostExperimentOptions experiment_options;
  GhostExperimentResult experiment;
  std::string experiment_error;
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
  NoiseView noise;
  // Decision-boundary grid (2-D sets): grid × grid cells over [lo, hi]².
  int boundary_grid = 0;
  float boundary_lo = 0.0f;
  float boundary_hi = 0.0f;

  const NetView& net(NetId id) const { return nets[static_cast<std::size_t>(id)]; }
  bool is_2d() const { return dataset && dataset->features() == 2; }
};

}  // namespace bnlab
