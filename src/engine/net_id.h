// The two columns of every view and every output, as a small header of its own: the GUI's
// theme and the CSV writer need the names without the trainer (and all of Eigen).
#pragma once

#include <array>

namespace bnlab {

// The left column (TrainConfig::left, Plain by default) and the right one (TrainConfig::right,
// BN by default), whatever their variants.
enum class NetId { kLeft = 0, kRight = 1 };
inline constexpr std::array<NetId, 2> kNets = {NetId::kLeft, NetId::kRight};
// The default pair's labels, "plain" and "bn"; ColumnLabel (trainer.h) names a column of a
// given config, the GUI's NetTitle its title on screen.
inline const char* NetName(NetId id) { return id == NetId::kLeft ? "plain" : "bn"; }

}  // namespace bnlab
