#include "session/change_markers.h"

#include <algorithm>
#include <utility>

namespace bnlab {
namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

constexpr double kCoalesceSeconds = 1.5;  // live changes of one setting closer than this are one mark

}  // namespace

void ChangeMarkers::Add(std::vector<settings::LiveChange> changes, Snapshot& state) {
  state.scene_pristine = false;  // the run is no longer the scene's: its pause notes stop
  const auto now = Clock::now();
  const bool same_settings =
      last_.size() == changes.size() &&
      std::equal(changes.begin(), changes.end(), last_.begin(),
                 [](const settings::LiveChange& a, const settings::LiveChange& b) { return a.name == b.name; });
  const bool coalesce = same_settings && Seconds(now - last_time_).count() < kCoalesceSeconds;
  if (coalesce) {
    for (std::size_t i = 0; i < changes.size(); ++i) changes[i].from = last_[i].from;
    if (last_live_) state.changes.pop_back();
  }
  last_ = changes;
  last_time_ = now;
  std::string label;
  for (const settings::LiveChange& change : changes) {
    if (change.from == change.to) continue;  // dragged back to where it started
    label += (label.empty() ? "" : ", ") + change.name + " " + change.from + " → " + change.to;
  }
  const long step = coalesce ? last_step_ : state.step;
  last_step_ = step;
  last_live_ = !label.empty();
  if (label.empty()) return;
  state.changes.push_back(
      ChangeMarker{step, std::move(label), state.config.optimizer.learning_rate, state.config.batch_size});
}

}  // namespace bnlab
