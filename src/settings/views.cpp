#include "settings/views.h"

namespace bnlab {
namespace {

struct ViewInfo {
  const char* name;
  const char* title;
  const char* short_title;
};
constexpr ViewInfo kViews[] = {
    {"dashboard", "Dashboard", "Dashboard"},       {"loss", "Loss & accuracy", "Loss"},
    {"activations", "Activations", "Activations"}, {"distribution", "Distribution over time", "Distribution"},
    {"gradients", "Gradients", "Gradients"},       {"noise", "Batch-size noise", "Noise"},
    {"batch-sweep", "Batch size", "Batch size"},   {"train-eval", "Train vs eval", "Train vs eval"},
    {"inside-bn", "Inside BN", "Inside BN"},       {"landscape", "Loss landscape", "Landscape"},
    {"boundary", "Decision boundary", "Boundary"},
};
static_assert(sizeof(kViews) / sizeof(kViews[0]) == static_cast<std::size_t>(View::kCount), "one row per View");

}  // namespace

const char* ViewName(View view) { return kViews[static_cast<int>(view)].name; }
const char* ViewTitle(View view) { return kViews[static_cast<int>(view)].title; }
const char* ViewShortTitle(View view) { return kViews[static_cast<int>(view)].short_title; }

bool ParseView(const std::string& name, View* view) {
  for (int i = 0; i < static_cast<int>(View::kCount); ++i) {
    if (name == kViews[i].name) {
      *view = static_cast<View>(i);
      return true;
    }
  }
  return false;
}

std::string ViewNameList() {
  std::string list;
  for (const ViewInfo& info : kViews) {
    if (!list.empty()) list += ", ";
    list += info.name;
  }
  return list;
}

}  // namespace bnlab
