// The control panel's training settings, in two sections by what a change does: "Live", the
// settings that apply between two steps, and "Network", those that need new networks. Which
// section a control is in is the settings table's Applies (settings/setting_table.h), the same
// fact the session reads to decide between a live change and new networks.
#pragma once

#include "app/shell/ui_state.h"
#include "session/session.h"
#include "session/snapshot.h"

namespace bnlab {

void DrawSettingSections(const Snapshot& snapshot, UiState& ui, Session& session);

}  // namespace bnlab
