// The valid range of every numeric setting, written once. ValidateConfig (trainer.h) enforces
// them; the settings table (settings/settings.cpp) checks flags and scene keys against them
// and names them in help texts and error messages. A GUI slider may offer a narrower span
// (the part worth showing in a lecture), never a wider one.
#pragma once

#include <climits>
#include <string>

namespace bnlab {

struct IntRange {
  long long lo, hi;
  constexpr bool Contains(long long value) const { return value >= lo && value <= hi; }
};

// Each end closed ("[0, 1]") or open ("(0, 1]"). NaN is in no range.
struct RealRange {
  double lo, hi;
  bool lo_open, hi_open;
  constexpr bool Contains(double value) const {
    return (lo_open ? value > lo : value >= lo) && (hi_open ? value < hi : value <= hi);
  }
};

// "[1, 65536]", "(0, 1000]", "[0, 1)": the range as a message names it.
std::string RangeText(IntRange range);
std::string RangeText(RealRange range);
// The shortest text that reads back as `value`: "0.1", "1e-05", "1000".
std::string ShortestText(double value);

namespace limits {

inline constexpr IntRange kSteps{0, 1000000000};
inline constexpr IntRange kBatch{1, 65536};
inline constexpr IntRange kEvery{1, 1000000000};         // eval-every, probe-every
inline constexpr IntRange kLayers{1, 16};                // hidden layers of a net
inline constexpr IntRange kWidth{1, 4096};               // units of a hidden layer
inline constexpr IntRange kProbeUnit{0, kWidth.hi - 1};  // also below the narrowest layer
inline constexpr IntRange kGhostGroup{1, 65536};         // also ≤ batch when a column is ghost-bn
// TOML integers are signed 64-bit, so a seed written in a scene stops there; so do flags.
inline constexpr IntRange kSeed{0, LLONG_MAX};
inline constexpr IntRange kSyntheticSize{1, 1000000};
inline constexpr IntRange kSyntheticClasses{2, 16};

inline constexpr RealRange kLearningRate{0.0, 1000.0, true, false};
inline constexpr RealRange kInitScale{0.0, 100.0, true, false};
inline constexpr RealRange kBnMomentum{0.0, 1.0, true, false};
inline constexpr RealRange kBnEps{0.0, 1.0, true, false};
inline constexpr RealRange kSgdMomentum{0.0, 1.0, false, true};
inline constexpr RealRange kWeightDecay{0.0, 1.0, false, true};
inline constexpr RealRange kRenormRMax{1.0, 100.0, false, false};  // r_max = 1: no scale correction
inline constexpr RealRange kRenormDMax{0.0, 100.0, false, false};  // d_max = 0: no shift correction
inline constexpr RealRange kSyntheticNoise{0.0, 10.0, false, false};

}  // namespace limits
}  // namespace bnlab
