// A small, fast training setting for the session's tests, and the way they wait for it.
#pragma once

#include "session/session.h"

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace bnlab::testing_session {

// The spiral set, small nets: thousands of steps a second, so the tests take milliseconds.
inline TrainConfig SpiralConfig() {
  TrainConfig config;
  config.data.name = "spiral";
  config.data.synthetic_train = 600;
  config.data.synthetic_test = 300;
  config.net.hidden = {16, 16};
  config.net.init_scale = 0.5;
  config.optimizer.learning_rate = 0.5;
  config.batch_size = 20;
  return config;
}

// A scene with nothing but `config`: no title, no lesson (training as fast as it goes).
inline Scene SceneOf(const TrainConfig& config) {
  Scene scene;
  scene.config = config;
  return scene;
}

// The command that runs `lab` alone, as the App sends it while that lab's view is shown.
inline cmd::SetLabs OnlyLab(bool Labs::*lab) {
  cmd::SetLabs command;
  command.labs.*lab = true;
  return command;
}

// Polls the newest snapshot until `done` holds, for at most `timeout`.
inline std::shared_ptr<const Snapshot> WaitFor(const Session& session, const std::function<bool(const Snapshot&)>& done,
                                               std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::shared_ptr<const Snapshot> snapshot = session.Latest();
  while (!done(*snapshot) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    snapshot = session.Latest();
  }
  return snapshot;
}

}  // namespace bnlab::testing_session
