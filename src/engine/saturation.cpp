#include "engine/saturation.h"

#include <cmath>

namespace bnlab {

const ActivationInfo& InfoOf(ActivationKind kind) {
  for (const ActivationInfo& info : kActivationInfo) {
    if (info.kind == kind) return info;
  }
  return kActivationInfo[0];
}

bool IsSaturated(ActivationKind kind, double z) {
  const ActivationInfo& info = InfoOf(kind);
  return info.two_sided ? std::abs(z) > info.threshold : z <= info.threshold;
}

}  // namespace bnlab
