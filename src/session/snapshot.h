// What the UI draws: an immutable picture of the training session, published by the
// session thread and read by the UI once per frame.
#pragma once

#include "settings/lesson.h"
#include "engine/config.h"
#include "engine/ghost_experiment.h"
#include "engine/history.h"
#include "engine/inside_bn.h"
#include "engine/landscape.h"
#include "engine/noise.h"
#include "engine/probes.h"
#include "engine/trainer.h"
#include "session/batch_sweep_run.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bnlab {

struct LayerHistory {
  History p15, p50, p85;  // percentiles of the probe unit's activation input
  History saturated;      // saturated share of the layer's activation inputs
  History grad_norm;      // ‖dW‖_F
  History update_ratio;   // ‖ΔW‖_F / ‖W‖_F
};

// The loss landscape where the net stands (engine/landscape.h), over steps, measured while the
// Loss landscape view is open.
struct LandscapeHistory {
  History loss_lo, loss_hi;                // range of L(θ − ηg) over η = 0.25…4 × lr
  History grad_change_lo, grad_change_hi;  // range of ‖∇L(θ − ηg) − ∇L(θ)‖
  History smoothness;                      // max ‖Δ∇L‖ / ‖Δθ‖
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
  TestResult test;  // the latest evaluation
  std::vector<LayerHistory> layers;
  bool has_probe = false;
  NetProbe probe;  // the latest probe
  // Class probabilities over a grid of the input plane (2-D sets only), row-major from
  // the bottom-left corner, `classes` floats per cell.
  std::vector<float> boundary;
  LandscapeHistory landscape;
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
  std::vector<NoisePoint> points;  // ascending batch size; each from the sweep at measured_step
  long measured_step = -1;         // training step of the nets the points were measured on
  int train_size = 0;              // N, for the theory lines
  int draws = 0;                   // K
  bool measuring = false;          // a sweep is under way (points may mix two sweeps)
  // Population mean and σ of the probe unit, per layer (from the last sweep).
  std::vector<double> population_mean, population_std;
  std::vector<UnitTrace> traces;  // per hidden layer

  // The regularization experiment.
  bool experiment_running = false;
  int experiment_done = 0;  // runs finished
  int experiment_total = 0;
  bool has_experiment = false;
  GhostExperimentOptions experiment_options;
  GhostExperimentResult experiment;
  std::string experiment_error;
};

// The Inside BN view: one unit of the BN net on the last training batch, recorded while the
// view is open.
struct InsideBnView {
  bool has_record = false;
  long step = 0;  // the step whose batch it is
  BnUnitRecord record;
  std::vector<int> samples;  // training-set indices of the batch, in batch order
  std::vector<int> labels;   // their classes
};

// The Train vs eval view: what BN normalizes with at test time, filled while the view is open.
struct TestTimeView {
  // Per hidden layer, the probe unit's exact population mean and variance (unbiased) over the
  // training set, recomputed at a calm cadence.
  std::vector<History> population_mean, population_var;
  // The BN net's test accuracy by how BN normalizes: batch statistics of test batches of the
  // current size, running statistics, population statistics.
  History test_acc_batch, test_acc_running, test_acc_population;
  // The three measured together, at one step (the population pass is the slow one, so it sets
  // the cadence): what the view's big numbers and the verdict compare. −1 before the first.
  long modes_step = -1;
  double acc_batch = 0.0, acc_running = 0.0, acc_population = 0.0;
  // The chosen layer's probe unit on the probe samples: BN's input and output in training mode
  // (groups of m: a cloud) and in eval mode with the running statistics (the line y = a·x + c).
  int layer = 0;
  std::vector<float> train_x, train_y, eval_x, eval_y;
  double scale = 0.0;  // a = γ/√(running σ² + ε)
  double shift = 0.0;  // c = β − a·running μ
};

// The scene being shown: what the GUI puts above the views.
struct SceneInfo {
  std::string name;  // file stem, e.g. "small-batch"; "" when none
  std::string title;
  std::string description;
  Lesson lesson;
};

// A live change the plots over steps mark with a vertical line ("batch 60 → 4"), made after
// `step` steps, with the learning rate and batch size of the steps after it (step + 1 on: the
// CSV export's lr and batch columns). The first entry, at step 0, has no label unless the nets
// were rebuilt: the settings the nets started with.
struct ChangeMarker {
  long step = 0;
  std::string label;
  double learning_rate = 0.0;
  int batch_size = 0;
};

struct Snapshot {
  std::uint64_t generation = 0;  // increases on every reset (new networks)
  long step = 0;
  long epoch = 0;
  bool paused = false;
  double steps_per_second = 0.0;  // measured
  double speed = 0.0;             // the speed asked for: steps per second, 0 = as fast as possible
  TrainConfig config;             // the settings in force
  SceneInfo scene;
  int pause_index = -1;               // the last of scene.lesson.pauses reached, −1 before the first
  bool scene_pristine = true;         // the run is the scene's own: its settings, no live change since
  std::vector<ChangeMarker> changes;  // since the networks were built, oldest first
  // The largest |left − right| of the two nets' training losses over every step since the
  // networks were built (the histories merge points, so their plotted gaps are averages), and
  // the step where it was; while neither net has diverged.
  double largest_loss_gap = 0.0;
  long largest_loss_gap_step = 0;
  // Non-empty while new networks are being built (a very large pair takes seconds; the first
  // build loads the data too): what is being done. The nets shown are the old ones, paused.
  std::string building;
  TrainConfig building_config;  // while building: the settings of the networks under way
  std::string message;          // the latest notice, e.g. why training was reset
  std::string error;            // a problem the user must see (dataset failed to load)
  bool error_is_data = false;   // the error is a data file's (missing, corrupt), not a setting's
  std::shared_ptr<const Dataset> dataset;
  std::array<NetView, 2> nets;
  NoiseView noise;
  BatchSweepView batch_sweep;  // the batch-size sweep, run on request
  InsideBnView inside;
  TestTimeView test_time;
  int bn_layer = 0;  // the hidden layer the Inside BN and Train vs eval views show
  // Decision-boundary grid (2-D sets): grid × grid cells over [lo, hi]².
  int boundary_grid = 0;
  float boundary_lo = 0.0f;
  float boundary_hi = 0.0f;

  const NetView& net(NetId id) const { return nets[static_cast<std::size_t>(id)]; }
  // The settings a control starts from when it asks for a change: those of the networks under
  // way while a build is, so that a change made meanwhile keeps what was asked for before.
  const TrainConfig& requested_config() const { return building.empty() ? config : building_config; }
  bool is_2d() const { return dataset && dataset->features() == 2; }
};

}  // namespace bnlab
