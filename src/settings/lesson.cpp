#include "settings/lesson.h"

namespace bnlab {
namespace {

constexpr const char* kVerdictNames[] = {"",          "accuracy",  "saturation", "gradients",       "noise",
                                         "test-time", "inside-bn", "bias",       "loss-difference", "batch-sweep"};
static_assert(sizeof(kVerdictNames) / sizeof(kVerdictNames[0]) == static_cast<std::size_t>(Verdict::kCount),
              "one name per Verdict");

}  // namespace

const char* VerdictName(Verdict verdict) { return kVerdictNames[static_cast<int>(verdict)]; }

bool ParseVerdict(const std::string& name, Verdict* verdict) {
  for (int i = 1; i < static_cast<int>(Verdict::kCount); ++i) {
    if (name == kVerdictNames[i]) {
      *verdict = static_cast<Verdict>(i);
      return true;
    }
  }
  return false;
}

std::string VerdictNameList() {
  std::string list;
  for (int i = 1; i < static_cast<int>(Verdict::kCount); ++i)
    list += (i > 1 ? ", " : "") + std::string(kVerdictNames[i]);
  return list;
}

}  // namespace bnlab
