// The two columns of every view and every output, as a small header of its own: the GUI's
// theme and the CSV writer need the names without the trainer (and all of Eigen).
#pragma once

#include <array>

namespace bnlab {

// kPlain is the left column (TrainConfig::left), kBn the right one (TrainConfig::right),
// whatever their variants; the names are those of the default pair.
enum class NetId { kPlain = 0, kBn = 1 };
inline constexpr std::array<NetId, 2> kNets = {NetId::kPlain, NetId::kBn};
// The default pair's labels, "plain" and "bn"; ColumnLabel (trainer.h) names a column of a
// given config, the GUI's NetTitle its title on screen.
inline const char* NetName(NetId id) { return id == NetId::kPlain ? "plain" : "bn"; }

}  // namespace bnlab
