// The marks of live changes on the plots over steps (and in the CSV export), "lr 0.1 → 0.5" at
// the step it happened. A slider drag sends a value every frame: changes of the same settings
// in quick succession are one mark, from the first value to the last, where the drag began.
#pragma once

#include "session/snapshot.h"
#include "settings/setting_table.h"

#include <chrono>
#include <vector>

namespace bnlab {

class ChangeMarkers {
 public:
  // New networks: the next change starts a mark of its own.
  void Restart() {
    last_.clear();
    last_live_ = false;
  }
  // Marks `changes` (settings::LiveChanges) in state.changes at state.step, or merges them into
  // the newest mark; the run is then no longer the scene's (state.scene_pristine).
  void Add(std::vector<settings::LiveChange> changes, Snapshot& state);

 private:
  std::vector<settings::LiveChange> last_;  // the newest mark's changes, to merge a slider drag into it
  std::chrono::steady_clock::time_point last_time_{};
  long last_step_ = 0;
  bool last_live_ = false;  // state.changes.back() is last_'s mark
};

}  // namespace bnlab
