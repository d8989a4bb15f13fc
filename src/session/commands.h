// What the UI asks of the session: one small struct per request, each carrying only what it
// needs, sent as a Command (a variant of them) and applied by the session thread between two
// steps (Session::Apply, session_commands.cpp).
#pragma once

#include "settings/settings.h"

#include <variant>

namespace bnlab {

// The measurements beside training that only an open view needs; the App says which views are
// shown (SetLabs) and the session runs exactly those.
struct Labs {
  bool noise = false;      // the batch-size noise sweep (Batch-size noise view)
  bool inside_bn = false;  // one BN unit recorded every step (Inside BN)
  bool test_time = false;  // population statistics and test-time accuracies (Train vs eval)
  bool landscape = false;  // the loss landscape along the gradient (Loss landscape)

  bool operator==(const Labs& other) const {
    return noise == other.noise && inside_bn == other.inside_bn && test_time == other.test_time &&
           landscape == other.landscape;
  }
  bool operator!=(const Labs& other) const { return !(*this == other); }
};

namespace cmd {

struct Pause {};
struct Resume {};
struct TogglePause {};
struct SingleStep {};  // one mini-batch for both nets, then paused
struct Reset {};       // new networks from the same settings
struct SetSpeed {
  double steps_per_second = 0.0;  // 0: as fast as possible
};
struct SetLearningRate {
  double learning_rate = 0.0;
};
struct SetBatchSize {
  int batch_size = 1;
};
struct SetProbeUnit {
  int unit = 0;  // the unit each layer's traces follow (Distribution, Inside BN)
};
struct SelectBnLayer {
  int layer = 0;  // the hidden layer (0-based) the Inside BN and Train vs eval views show
};
// Live where every change can be (settings::Applies::kLive), otherwise new networks.
struct ApplyConfig {
  TrainConfig config;
};
// New networks on the scene's settings, with its speed and pause points.
struct LoadScene {
  Scene scene;
};
struct SetLabs {
  Labs labs;
};
struct MeasureNoiseNow {};  // a fresh noise sweep now, whatever the cadence
struct RunExperiment {};    // the ghost-BN regularization experiment, in the background
struct CancelExperiment {};
struct RunBatchSweep {};  // the batch-size sweep (engine/batch_sweep.h), in the background
struct CancelBatchSweep {};

}  // namespace cmd

using Command = std::variant<cmd::Pause, cmd::Resume, cmd::TogglePause, cmd::SingleStep, cmd::Reset, cmd::SetSpeed,
                             cmd::SetLearningRate, cmd::SetBatchSize, cmd::SetProbeUnit, cmd::SelectBnLayer,
                             cmd::ApplyConfig, cmd::LoadScene, cmd::SetLabs, cmd::MeasureNoiseNow, cmd::RunExperiment,
                             cmd::CancelExperiment, cmd::RunBatchSweep, cmd::CancelBatchSweep>;

}  // namespace bnlab
