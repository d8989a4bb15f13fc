#include "settings/settings.h"

#include "settings/setting_table.h"
#include "engine/float_text.h"
#include "engine/trainer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

namespace bnlab {
namespace settings {
namespace {

using Type = SettingType;

SettingSpec Base(const char* name, Type type, const char* help) {
  SettingSpec spec;
  spec.name = name;
  spec.type = type;
  spec.help = help;
  return spec;
}

// A setting that shapes the networks or their data: a change makes new networks.
SettingSpec NewNetworks(SettingSpec spec) {
  spec.applies = Applies::kNewNetworks;
  return spec;
}

// A live setting that changes how the nets train: a change is marked on the plots as `marker`.
SettingSpec Marked(SettingSpec spec, const char* marker) {
  spec.marker = marker;
  return spec;
}

SettingSpec Integer(const char* name, const char* help, IntRange range, void (*set)(TrainConfig*, const SettingValue&),
                    SettingValue (*get)(const TrainConfig&)) {
  SettingSpec spec = Base(name, Type::kInteger, help);
  spec.integers = range;
  spec.set = set;
  spec.get = get;
  return spec;
}

SettingSpec Real(const char* name, const char* help, RealRange range, void (*set)(TrainConfig*, const SettingValue&),
                 SettingValue (*get)(const TrainConfig&)) {
  SettingSpec spec = Base(name, Type::kReal, help);
  spec.reals = range;
  spec.set = set;
  spec.get = get;
  return spec;
}

SettingSpec Other(const char* name, Type type, const char* help, std::vector<std::string> choices,
                  void (*set)(TrainConfig*, const SettingValue&), SettingValue (*get)(const TrainConfig&)) {
  SettingSpec spec = Base(name, type, help);
  spec.choices = std::move(choices);
  spec.set = set;
  spec.get = get;
  return spec;
}

SettingValue OfInteger(long long v) {
  SettingValue value;
  value.integer = v;
  return value;
}
SettingValue OfReal(double v) {
  SettingValue value;
  value.real = v;
  return value;
}
SettingValue OfBool(bool v) {
  SettingValue value;
  value.boolean = v;
  return value;
}
SettingValue OfText(std::string v) {
  SettingValue value;
  value.text = std::move(v);
  return value;
}

std::vector<std::string> VariantKeys() {
  std::vector<std::string> keys;
  for (const VariantInfo& info : Variants()) keys.emplace_back(info.key);
  return keys;
}

// "normalization of the left column (none, bn, ..., renorm); ...".
std::string ColumnHelp(const char* side) {
  return std::string("normalization of the ") + side + " column (" + VariantKeyList() +
         "); bn-after and bn-bias override bn-placement and bias-before-bn for that column";
}

// The setters may cast and look up without checks: CheckValue ran before them. The ranges of
// the variants' settings are the engine's (config.h); ValidateConfig checks what depends on
// other settings (left != right, ghost-group ≤ batch for a ghost-bn column).
std::vector<SettingSpec> MakeTable() {
  // Help texts are const char*: these outlive the table.
  static const std::string left_help = ColumnHelp("left");
  static const std::string right_help = ColumnHelp("right");
  return {
      NewNetworks(Other(
          "dataset", Type::kChoice, "training data: Fashion-MNIST or a synthetic 2-D set", DatasetNames(),
          [](TrainConfig* c, const SettingValue& v) { c->data.name = v.text; },
          [](const TrainConfig& c) { return OfText(c.data.name); })),
      NewNetworks(Other(
          "data-dir", Type::kText, "directory with the Fashion-MNIST IDX .gz files", {},
          [](TrainConfig* c, const SettingValue& v) { c->data.dir = v.text; },
          [](const TrainConfig& c) { return OfText(c.data.dir); })),
      NewNetworks(Other(
          "standardize", Type::kBool, "Fashion-MNIST: standardize pixels instead of scaling to [0,1]", {},
          [](TrainConfig* c, const SettingValue& v) { c->data.standardize = v.boolean; },
          [](const TrainConfig& c) { return OfBool(c.data.standardize); })),
      Integer(
          "steps", "SGD steps (mini-batches) to train", limits::kSteps,
          [](TrainConfig* c, const SettingValue& v) { c->steps = static_cast<long>(v.integer); },
          [](const TrainConfig& c) { return OfInteger(c.steps); }),
      Marked(Integer(
                 "batch", "mini-batch size m", limits::kBatch,
                 [](TrainConfig* c, const SettingValue& v) { c->batch_size = static_cast<int>(v.integer); },
                 [](const TrainConfig& c) { return OfInteger(c.batch_size); }),
             "batch"),
      Marked(Real(
                 "lr", "SGD learning rate (both nets)", limits::kLearningRate,
                 [](TrainConfig* c, const SettingValue& v) { c->optimizer.learning_rate = v.real; },
                 [](const TrainConfig& c) { return OfReal(c.optimizer.learning_rate); }),
             "lr"),
      NewNetworks(Other(
          "layers", Type::kLayers, "hidden layer widths, e.g. 100,100,100", {},
          [](TrainConfig* c, const SettingValue& v) { c->net.hidden = v.layers; },
          [](const TrainConfig& c) {
            SettingValue v;
            v.layers = c.net.hidden;
            return v;
          })),
      NewNetworks(Other(
          "activation", Type::kChoice, "hidden activation", ActivationNames(),
          [](TrainConfig* c, const SettingValue& v) { ParseActivation(v.text, &c->net.activation); },
          [](const TrainConfig& c) { return OfText(ActivationName(c.net.activation)); })),
      NewNetworks(Other(
          "init", Type::kChoice, "weight initialization", InitNames(),
          [](TrainConfig* c, const SettingValue& v) { ParseInit(v.text, &c->net.init); },
          [](const TrainConfig& c) { return OfText(InitName(c.net.init)); })),
      NewNetworks(Real(
          "init-scale", "Gaussian: sigma of the initial weights; Xavier: a gain", limits::kInitScale,
          [](TrainConfig* c, const SettingValue& v) { c->net.init_scale = v.real; },
          [](const TrainConfig& c) { return OfReal(c.net.init_scale); })),
      NewNetworks(Other(
          "left", Type::kChoice, left_help.c_str(), VariantKeys(),
          [](TrainConfig* c, const SettingValue& v) { ParseVariant(v.text, &c->left); },
          [](const TrainConfig& c) { return OfText(VariantKey(c.left)); })),
      NewNetworks(Other(
          "right", Type::kChoice, right_help.c_str(), VariantKeys(),
          [](TrainConfig* c, const SettingValue& v) { ParseVariant(v.text, &c->right); },
          [](const TrainConfig& c) { return OfText(VariantKey(c.right)); })),
      NewNetworks(Other(
          "bn-placement", Type::kChoice, "BN before the activation (paper) or after it", PlacementNames(),
          [](TrainConfig* c, const SettingValue& v) { ParsePlacement(v.text, &c->net.placement); },
          [](const TrainConfig& c) { return OfText(PlacementName(c.net.placement)); })),
      NewNetworks(Other(
          "bias-before-bn", Type::kBool, "keep the Linear bias in front of BN (its gradient is 0)", {},
          [](TrainConfig* c, const SettingValue& v) { c->net.bias_before_bn = v.boolean; },
          [](const TrainConfig& c) { return OfBool(c.net.bias_before_bn); })),
      NewNetworks(Integer(
          "ghost-group", "ghost-bn: samples per group of BN statistics (at most the batch)", limits::kGhostGroup,
          [](TrainConfig* c, const SettingValue& v) { c->ghost_group = static_cast<int>(v.integer); },
          [](const TrainConfig& c) { return OfInteger(c.ghost_group); })),
      NewNetworks(Real(
          "renorm-rmax", "renorm: r_max, the clip of r = sigma_B/sigma (1: no scale correction)", limits::kRenormRMax,
          [](TrainConfig* c, const SettingValue& v) { c->net.renorm_r_max = v.real; },
          [](const TrainConfig& c) { return OfReal(c.net.renorm_r_max); })),
      NewNetworks(Real(
          "renorm-dmax", "renorm: d_max, the clip of d = (mu_B - mu)/sigma (0: no shift correction)",
          limits::kRenormDMax, [](TrainConfig* c, const SettingValue& v) { c->net.renorm_d_max = v.real; },
          [](const TrainConfig& c) { return OfReal(c.net.renorm_d_max); })),
      Marked(Real(
                 "momentum", "BN running-statistics momentum (weight of the newest batch)", limits::kBnMomentum,
                 [](TrainConfig* c, const SettingValue& v) { c->net.bn_momentum = v.real; },
                 [](const TrainConfig& c) { return OfReal(c.net.bn_momentum); }),
             "BN momentum"),
      Marked(Real(
                 "eps", "BN epsilon added to the batch variance", limits::kBnEps,
                 [](TrainConfig* c, const SettingValue& v) { c->net.bn_eps = v.real; },
                 [](const TrainConfig& c) { return OfReal(c.net.bn_eps); }),
             "BN ε"),
      Marked(Real(
                 "sgd-momentum", "SGD momentum (0 = plain SGD)", limits::kSgdMomentum,
                 [](TrainConfig* c, const SettingValue& v) { c->optimizer.momentum = v.real; },
                 [](const TrainConfig& c) { return OfReal(c.optimizer.momentum); }),
             "SGD momentum"),
      Marked(Real(
                 "weight-decay", "L2 weight decay on W", limits::kWeightDecay,
                 [](TrainConfig* c, const SettingValue& v) { c->optimizer.weight_decay = v.real; },
                 [](const TrainConfig& c) { return OfReal(c.optimizer.weight_decay); }),
             "weight decay"),
      NewNetworks(Integer(
          "seed", "random seed: weights, batch order, synthetic data", limits::kSeed,
          [](TrainConfig* c, const SettingValue& v) { c->seed = static_cast<std::uint64_t>(v.integer); },
          [](const TrainConfig& c) { return OfInteger(static_cast<long long>(c.seed)); })),
      Integer(
          "eval-every", "steps between test-set evaluations", limits::kEvery,
          [](TrainConfig* c, const SettingValue& v) { c->eval_every = static_cast<int>(v.integer); },
          [](const TrainConfig& c) { return OfInteger(c.eval_every); }),
      Integer(
          "probe-every", "steps between probes (saturation, gradient norms)", limits::kEvery,
          [](TrainConfig* c, const SettingValue& v) { c->probe_every = static_cast<int>(v.integer); },
          [](const TrainConfig& c) { return OfInteger(c.probe_every); }),
      Integer(
          "probe-unit", "unit whose input percentiles are tracked (paper Fig. 1)", limits::kProbeUnit,
          [](TrainConfig* c, const SettingValue& v) { c->probe_unit = static_cast<int>(v.integer); },
          [](const TrainConfig& c) { return OfInteger(c.probe_unit); }),
      Marked(Other(
                 "eval-stats", Type::kChoice, "BN statistics at test time", EvalStatsNames(),
                 [](TrainConfig* c, const SettingValue& v) { ParseEvalStats(v.text, &c->eval_stats); },
                 [](const TrainConfig& c) { return OfText(EvalStatsName(c.eval_stats)); }),
             "test statistics"),
      NewNetworks(Integer(
          "synthetic-size", "synthetic sets: training samples", limits::kSyntheticSize,
          [](TrainConfig* c, const SettingValue& v) { c->data.synthetic_train = static_cast<int>(v.integer); },
          [](const TrainConfig& c) { return OfInteger(c.data.synthetic_train); })),
      NewNetworks(Real(
          "synthetic-noise", "synthetic sets: Gaussian jitter", limits::kSyntheticNoise,
          [](TrainConfig* c, const SettingValue& v) { c->data.synthetic_noise = v.real; },
          [](const TrainConfig& c) { return OfReal(c.data.synthetic_noise); })),
      NewNetworks(Integer(
          "synthetic-classes", "spiral and blobs: number of classes", limits::kSyntheticClasses,
          [](TrainConfig* c, const SettingValue& v) { c->data.synthetic_classes = static_cast<int>(v.integer); },
          [](const TrainConfig& c) { return OfInteger(c.data.synthetic_classes); })),
  };
}

std::string Trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const std::size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string Quote(const std::string& text) { return "'" + text + "'"; }

// Whole-string integer: std::errc() when it is one, result_out_of_range when it is one but
// too large for a long long, invalid_argument otherwise.
std::errc ParseWholeInteger(const std::string& text, long long* out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  if (ec == std::errc::result_out_of_range && ptr == end) return ec;
  if (text.empty() || ec != std::errc() || ptr != end) return std::errc::invalid_argument;
  return std::errc();
}

// Whole-string integer; "" or the problem.
std::string ParseInteger(const SettingSpec& spec, const std::string& text, long long* out) {
  const std::errc ec = ParseWholeInteger(text, out);
  if (ec == std::errc::result_out_of_range) {
    return Quote(text) + " is out of range (expected " + Expected(spec) + ")";
  }
  if (ec != std::errc()) return Quote(text) + " is not an integer (expected " + Expected(spec) + ")";
  return "";
}

}  // namespace

const std::vector<SettingSpec>& Table() {
  static const std::vector<SettingSpec> table = MakeTable();
  return table;
}

const SettingSpec* Find(const std::string& name) {
  for (const SettingSpec& spec : Table()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

std::string Expected(const SettingSpec& spec) {
  switch (spec.type) {
    case Type::kInteger: return "an integer in " + RangeText(spec.integers);
    case Type::kReal: return "a number in " + RangeText(spec.reals);
    case Type::kBool: return "true or false";
    case Type::kText: return "a non-empty path";
    case Type::kChoice: {
      std::string list;
      for (std::size_t i = 0; i < spec.choices.size(); ++i) {
        list += (i == 0 ? "" : i + 1 == spec.choices.size() ? " or " : ", ") + spec.choices[i];
      }
      return "one of " + list;
    }
    case Type::kLayers:
      return "comma-separated widths like 100,100,100: " + std::to_string(limits::kLayers.lo) + " to " +
             std::to_string(limits::kLayers.hi) + " layers, each an integer in " + RangeText(limits::kWidth);
  }
  return "?";
}

std::string CheckValue(const SettingSpec& spec, const SettingValue& value) {
  const std::string expected = " (expected " + Expected(spec) + ")";
  switch (spec.type) {
    case Type::kInteger:
      if (!spec.integers.Contains(value.integer)) {
        return std::to_string(value.integer) + " is out of range" + expected;
      }
      return "";
    case Type::kReal: {
      const double v = value.real;
      if (!std::isfinite(v)) return ShortestText(v) + " is not a finite number" + expected;
      if (!spec.reals.Contains(v)) return ShortestText(v) + " is out of range" + expected;
      return "";
    }
    case Type::kBool: return "";
    case Type::kText: return value.text.empty() ? "the value is empty" + expected : "";
    case Type::kChoice:
      for (const std::string& choice : spec.choices) {
        if (value.text == choice) return "";
      }
      return Quote(value.text) + " is not valid" + expected;
    case Type::kLayers: {
      const int count = static_cast<int>(value.layers.size());
      if (!limits::kLayers.Contains(count)) {
        return std::to_string(count) + " layers is out of range" + expected;
      }
      for (int width : value.layers) {
        if (!limits::kWidth.Contains(width)) return "width " + std::to_string(width) + " is out of range" + expected;
      }
      return "";
    }
  }
  return "";
}

bool ParseBoolean(const std::string& text, bool* value) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") *value = true;
  else if (text == "false" || text == "0" || text == "no" || text == "off") *value = false;
  else return false;
  return true;
}

std::string ParseText(const SettingSpec& spec, const std::string& raw, SettingValue* value) {
  const std::string text = Trim(raw);
  const std::string expected = " (expected " + Expected(spec) + ")";
  switch (spec.type) {
    case Type::kInteger: return ParseInteger(spec, text, &value->integer);
    case Type::kReal: {
      const char* end = text.data() + text.size();
      const auto [ptr, ec] = DoubleFromChars(text.data(), end, value->real);
      if (text.empty() || ec != std::errc() || ptr != end) return Quote(text) + " is not a number" + expected;
      return "";
    }
    case Type::kBool:
      if (!ParseBoolean(text, &value->boolean)) return Quote(text) + " is not a boolean" + expected;
      return "";
    case Type::kChoice:
    case Type::kText: value->text = text; return "";
    case Type::kLayers: {
      value->layers.clear();
      std::size_t start = 0;
      while (true) {
        const std::size_t comma = text.find(',', start);
        const std::size_t length = comma == std::string::npos ? std::string::npos : comma - start;
        const std::string item = Trim(text.substr(start, length));
        if (item.empty()) return Quote(text) + " has an empty width" + expected;
        long long width = 0;
        const std::errc ec = ParseWholeInteger(item, &width);
        if (ec == std::errc::invalid_argument) {
          return Quote(text) + ": " + Quote(item) + " is not an integer" + expected;
        }
        // Reported here as typed: an int could not hold 2147483648 to let CheckValue say so.
        if (ec == std::errc::result_out_of_range || !limits::kWidth.Contains(width)) {
          return "width " + item + " is out of range" + expected;
        }
        value->layers.push_back(static_cast<int>(width));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return "";
    }
  }
  return "";
}

std::string FormatValue(const SettingSpec& spec, const SettingValue& value) {
  switch (spec.type) {
    case Type::kInteger: return std::to_string(value.integer);
    case Type::kReal: return ShortestText(value.real);
    case Type::kBool: return value.boolean ? "true" : "false";
    case Type::kChoice:
    case Type::kText: return value.text;
    case Type::kLayers: {
      std::string list;
      for (std::size_t i = 0; i < value.layers.size(); ++i) list += (i ? "," : "") + std::to_string(value.layers[i]);
      return list;
    }
  }
  return "";
}

std::string NewNetworksReason(const TrainConfig& now, const TrainConfig& next) {
  std::string reason;
  for (const SettingSpec& spec : Table()) {
    if (spec.applies != Applies::kNewNetworks) continue;
    if (FormatValue(spec, spec.get(now)) == FormatValue(spec, spec.get(next))) continue;
    reason += reason.empty() ? spec.name : std::string(", ") + spec.name;
  }
  return reason;
}

std::vector<LiveChange> LiveChanges(const TrainConfig& now, const TrainConfig& next) {
  std::vector<LiveChange> changes;
  for (const SettingSpec& spec : Table()) {
    if (spec.marker == nullptr) continue;
    const SettingValue from = spec.get(now), to = spec.get(next);
    if (FormatValue(spec, from) == FormatValue(spec, to)) continue;
    const auto shown = [&spec](const SettingValue& value) {
      if (spec.type != Type::kReal) return FormatValue(spec, value);
      char text[32];
      std::snprintf(text, sizeof text, "%.3g", value.real);
      return std::string(text);
    };
    changes.push_back(LiveChange{spec.marker, shown(from), shown(to)});
  }
  return changes;
}

nlohmann::ordered_json ToJson(const TrainConfig& config) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const SettingSpec& spec : Table()) {
    const SettingValue value = spec.get(config);
    nlohmann::ordered_json& entry = json[spec.name];
    switch (spec.type) {
      case Type::kInteger: entry = value.integer; break;
      case Type::kReal: entry = value.real; break;
      case Type::kBool: entry = value.boolean; break;
      case Type::kChoice:
      case Type::kText: entry = value.text; break;
      case Type::kLayers: entry = value.layers; break;
    }
  }
  return json;
}

}  // namespace settings

const std::vector<SettingInfo>& AllSettings() {
  static const std::vector<SettingInfo> infos = [] {
    std::vector<SettingInfo> list;
    for (const settings::SettingSpec& spec : settings::Table()) list.push_back({spec.name, spec.help});
    return list;
  }();
  return infos;
}

bool IsSetting(const std::string& name) { return settings::Find(name) != nullptr; }

void ApplyFlag(const std::string& name, const std::string& text, TrainConfig* config) {
  const settings::SettingSpec* spec = settings::Find(name);
  if (spec == nullptr) throw SettingsError("--" + name + ": no such setting");
  settings::SettingValue value;
  std::string problem = settings::ParseText(*spec, text, &value);
  if (problem.empty()) problem = settings::CheckValue(*spec, value);
  if (!problem.empty()) throw SettingsError("--" + name + ": " + problem);
  spec->set(config, value);
}

std::string FormatSetting(const TrainConfig& config, const std::string& name) {
  const settings::SettingSpec* spec = settings::Find(name);
  if (spec == nullptr) throw SettingsError("no such setting '" + name + "'");
  return settings::FormatValue(*spec, spec->get(config));
}

void CheckConfig(const TrainConfig& config, const std::string& context) {
  try {
    ValidateConfig(config);
  } catch (const std::invalid_argument& error) {
    throw SettingsError(context + ": " + error.what());
  }
  CheckMemory(config, ExpectedDataShape(config), MemoryBudgetBytes(), context);
}

void CheckMemory(const TrainConfig& config, const DataShape& data, std::uint64_t budget, const std::string& context) {
  const MemoryEstimate need = EstimateMemory(config, data);
  if (need.Total() <= budget) return;
  throw SettingsError(context + ": the two networks would need about " + FormatBytes(need.Total()) +
                      " of memory (weights and momentum " + FormatBytes(need.parameters + need.optimizer) +
                      ", training at batch " + std::to_string(config.batch_size) + " " + FormatBytes(need.training) +
                      ", evaluation " + FormatBytes(need.evaluation) + ", data " + FormatBytes(need.data) +
                      "), more than the " + FormatBytes(budget) +
                      " one run may use on this machine; use fewer or narrower layers or a smaller batch");
}

}  // namespace bnlab
