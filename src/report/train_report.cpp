#include "report/train_report.h"

#include "engine/cpu_level.h"
#include "settings/setting_table.h"
#include "settings/settings.h"
#include "report/json.h"
#include "report/text_format.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <optional>

namespace bnlab {
namespace {

Json NetJson(const NetOutcome& net, const char* column, Variant variant) {
  Json json;
  json["test_acc"] = JsonNumber(net.test.accuracy);
  json["test_loss"] = JsonNumber(net.test.loss);
  json["train_loss"] = JsonNumber(net.train_loss);
  json["diverged"] = net.diverged;
  json["diverged_at_step"] = net.diverged ? Json(net.diverged_at_step) : Json(nullptr);
  json["test_loss_finite"] = std::isfinite(net.test.loss);
  json["test_acc_batch"] = JsonNumber(net.modes.batch.accuracy);
  json["test_acc_running"] = JsonNumber(net.modes.running.accuracy);
  json["test_acc_population"] = JsonNumber(net.modes.population.accuracy);
  Json& saturated = json["saturated"] = Json::array();
  for (double share : net.saturated) saturated.push_back(JsonNumber(share));
  json["column"] = column;
  json["variant"] = VariantKey(variant);
  json["title"] = VariantTitle(variant);
  return json;
}

// Bytes, or null when the figure is unknown (no /proc).
Json MemoryJson(std::uint64_t bytes) { return bytes > 0 ? Json(bytes) : Json(nullptr); }

double StepsPerSecond(const TrainOutcome& outcome) {
  return outcome.seconds > 0.0 ? static_cast<double>(outcome.steps) / outcome.seconds : 0.0;
}

}  // namespace

std::string NumberText(double value) { return std::isfinite(value) ? Format("%.4g", value) : NonFiniteText(value); }

std::string TrainProgressLine(const TrainConfig& config, long step, long steps, const std::array<double, 2>& mean_loss,
                              const std::array<double, 2>& mean_accuracy, const std::array<bool, 2>& diverged,
                              double steps_per_second) {
  std::string line = Format("step %ld/%ld ", step, steps);
  for (NetId id : kNets) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (diverged[i]) line += Format(" %s: diverged ", ColumnLabel(config, id));
    else line += Format(" %s: loss %.3f acc %.1f%% ", ColumnLabel(config, id), mean_loss[i], 100.0 * mean_accuracy[i]);
  }
  return line + Format(" (%.0f steps/s)", steps_per_second);
}

std::string TestProgressLine(const TrainConfig& config, long step, long steps, const std::array<TestResult, 2>& test,
                             const std::array<bool, 2>& diverged) {
  std::string line = Format("step %ld/%ld  test ", step, steps);
  for (NetId id : kNets) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (diverged[i]) line += Format(" %s: diverged ", ColumnLabel(config, id));
    else
      line += Format(" %s: loss ", ColumnLabel(config, id)) + Fixed(test[i].loss, 0, 3) +
              Format(" acc %.1f%% ", 100.0 * test[i].accuracy);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

std::string SummaryText(const TrainConfig& config, const Dataset& dataset, const TrainOutcome& outcome) {
  std::string text =
      Format("%ld steps in %.2f s (%.0f steps/s): %s (%d train, %d test), layers %s %s, batch %d, lr %s\n",
             outcome.steps, outcome.seconds, StepsPerSecond(outcome), dataset.name.c_str(), dataset.train_size(),
             dataset.test_size(), FormatSetting(config, "layers").c_str(), ActivationName(config.net.activation),
             config.batch_size, FormatSetting(config, "lr").c_str());
  // The label column is as wide as the longest label (the default table is unchanged).
  const int width =
      static_cast<int>(std::max<std::size_t>({std::strlen("net"), std::strlen(ColumnLabel(config, NetId::kLeft)),
                                              std::strlen(ColumnLabel(config, NetId::kRight))}));
  text += Format("%-*s  test acc  test loss  train loss  saturated share per layer\n", std::max(width, 6), "net");
  for (NetId id : kNets) {
    const NetOutcome& net = outcome.nets[static_cast<std::size_t>(id)];
    text += Format("%-*s  %7.2f%%  ", std::max(width, 6), ColumnLabel(config, id), 100.0 * net.test.accuracy) +
            Fixed(net.test.loss, 9, 4) + "  " + Fixed(net.train_loss, 10, 4) + " ";
    for (double share : net.saturated) text += Format(" %3.0f%%", 100.0 * share);
    text += '\n';
  }
  if (ColumnVariant(config, NetId::kLeft) != VariantNamed("none") ||
      ColumnVariant(config, NetId::kRight) != VariantNamed("bn")) {
    for (NetId id : kNets) {
      text += Format("%s = %s (%s column): %s\n", ColumnLabel(config, id), VariantTitle(ColumnVariant(config, id)),
                     id == NetId::kLeft ? "left" : "right", InfoOf(ColumnVariant(config, id)).description);
    }
  }
  if (const std::optional<NetId> statistics = BatchStatisticsColumn(config)) {
    const TestModes& modes = outcome.nets[static_cast<std::size_t>(*statistics)].modes;
    text += Format("%s test acc with batch statistics (test batches of %d) %.2f%%, running %.2f%%, population %.2f%%\n",
                   ColumnLabel(config, *statistics), config.batch_size, 100.0 * modes.batch.accuracy,
                   100.0 * modes.running.accuracy, 100.0 * modes.population.accuracy);
  } else {
    text += "neither column normalizes with batch statistics: its test accuracy does not depend on them\n";
  }
  for (NetId id : kNets) {
    const NetOutcome& net = outcome.nets[static_cast<std::size_t>(id)];
    if (net.diverged) {
      text += Format("%s diverged at step %ld (its loss was not finite) and stopped; its figures are from then\n",
                     ColumnLabel(config, id), net.diverged_at_step);
    } else if (!std::isfinite(net.test.loss)) {
      text += Format("%s did not diverge in training, but its test loss (eval mode) is %s", ColumnLabel(config, id),
                     NonFiniteText(net.test.loss));
      if (net.test_loss_not_finite_at_step > 0) {
        text += Format(" (not finite since step %ld)", net.test_loss_not_finite_at_step);
      }
      text += ": its eval-mode outputs overflow\n";
    }
  }
  const std::string memory = ResidentMemoryText(outcome.memory);
  if (!memory.empty()) text += memory + "\n";
  return text;
}

std::string SummaryJson(const TrainConfig& config, const Dataset& dataset, const TrainOutcome& outcome,
                        const std::string& scene_path) {
  Json json;
  json["steps"] = outcome.steps;
  json["seconds"] = JsonNumber(outcome.seconds);
  json["steps_per_second"] = JsonNumber(StepsPerSecond(outcome));
  json["cpu_level"] = CpuLevel();  // the engine level that ran (engine/cpu_level.h)
  json["resident_bytes"] = MemoryJson(outcome.memory.current);
  json["peak_resident_bytes"] = MemoryJson(outcome.memory.peak);
  json["scene"] = scene_path.empty() ? Json(nullptr) : Json(scene_path);
  json["config"] = settings::ToJson(config);
  json["dataset"] = {{"name", dataset.name},
                     {"features", dataset.features()},
                     {"classes", dataset.num_classes},
                     {"train_size", dataset.train_size()},
                     {"test_size", dataset.test_size()}};
  for (NetId id : kNets) {
    json[ColumnLabel(config, id)] = NetJson(outcome.nets[static_cast<std::size_t>(id)],
                                            id == NetId::kLeft ? "left" : "right", ColumnVariant(config, id));
  }
  return JsonText(json);  // one line
}

}  // namespace bnlab
