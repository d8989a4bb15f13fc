#include "settings/lesson.h"

namespace bnlab {
namespace {

constexpr const char* kVerdictNames[] = {"",          "accuracy",  "saturation", "gradients",       "noise",
                                         "test-time", "inside-bn", "bias",       "loss-difference", "batch-sweep"};
static_assert(sizeof(kVerdictNames) / sizeof(kVerdictNames[0]) == static_cast<std::size_t>(Verdict::kCount),
              "one name per Verdict");

constexpr const char* kColumns[] = {"left", "right", "both"};
constexpr const char* kFigures[] = {
    "", "-batch", "-running", "-population", "-saturated-l1", "-saturated-l2", "-saturated-l3"};

std::vector<std::string> CaptionFigures() {
  std::vector<std::string> names;
  for (const char* column : kColumns) {
    for (const char* figure : kFigures) names.push_back(std::string(column) + figure);
  }
  names.emplace_back("lead");
  return names;
}

}  // namespace

bool IsCaptionFigure(const std::string& name) {
  for (const std::string& known : CaptionFigures()) {
    if (name == known) return true;
  }
  return false;
}

std::string CaptionFigureList() {
  std::string list;
  for (const std::string& name : CaptionFigures()) list += (list.empty() ? "" : ", ") + name;
  return list;
}

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
