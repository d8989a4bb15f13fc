// Settings given as flags: every name reaches its TrainConfig field, ranges and malformed
// values are rejected with a message naming the flag, and nothing is silently replaced.
#include "settings/settings.h"

#include "engine/trainer.h"
#include "settings/setting_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace bnlab {
namespace {

// The message of the SettingsError that `action` throws ("" if none).
std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const SettingsError& error) {
    return error.what();
  }
  return "";
}

std::string FlagError(const std::string& name, const std::string& text) {
  TrainConfig config;
  return ErrorOf([&] { ApplyFlag(name, text, &config); });
}

struct FlagCase {
  const char* name;
  const char* text;
  std::function<bool(const TrainConfig&)> applied;
};

// One non-default value per setting and how to see it in the config.
const std::vector<FlagCase>& FlagCases() {
  static const std::vector<FlagCase> cases = {
      {"dataset", "moons", [](const TrainConfig& c) { return c.data.name == "moons"; }},
      {"data-dir", "/tmp/fm", [](const TrainConfig& c) { return c.data.dir == "/tmp/fm"; }},
      {"standardize", "true", [](const TrainConfig& c) { return c.data.standardize; }},
      {"steps", "1234", [](const TrainConfig& c) { return c.steps == 1234; }},
      {"batch", "17", [](const TrainConfig& c) { return c.batch_size == 17; }},
      {"lr", "0.025", [](const TrainConfig& c) { return c.optimizer.learning_rate == 0.025; }},
      {"layers", "64, 32,16",
       [](const TrainConfig& c) {
         return c.net.hidden == std::vector<int>{64, 32, 16};
       }},
      {"activation", "tanh", [](const TrainConfig& c) { return c.net.activation == ActivationKind::kTanh; }},
      {"init", "xavier", [](const TrainConfig& c) { return c.net.init == InitKind::kXavier; }},
      {"init-scale", "2.5", [](const TrainConfig& c) { return c.net.init_scale == 2.5; }},
      {"left", "ghost-bn", [](const TrainConfig& c) { return c.left == VariantNamed("ghost-bn"); }},
      {"right", "layernorm", [](const TrainConfig& c) { return c.right == VariantNamed("layernorm"); }},
      {"bn-placement", "after", [](const TrainConfig& c) { return c.net.placement == Placement::kAfter; }},
      {"bias-before-bn", "yes", [](const TrainConfig& c) { return c.net.bias_before_bn; }},
      {"ghost-group", "8", [](const TrainConfig& c) { return c.ghost_group == 8; }},
      {"renorm-rmax", "1.5", [](const TrainConfig& c) { return c.net.renorm_r_max == 1.5; }},
      {"renorm-dmax", "0", [](const TrainConfig& c) { return c.net.renorm_d_max == 0.0; }},
      {"momentum", "0.3", [](const TrainConfig& c) { return c.net.bn_momentum == 0.3; }},
      {"eps", "1e-3", [](const TrainConfig& c) { return c.net.bn_eps == 1e-3; }},
      {"sgd-momentum", "0.9", [](const TrainConfig& c) { return c.optimizer.momentum == 0.9; }},
      {"weight-decay", "0.0005", [](const TrainConfig& c) { return c.optimizer.weight_decay == 0.0005; }},
      {"seed", "9223372036854775807", [](const TrainConfig& c) { return c.seed == 9223372036854775807ull; }},
      {"eval-every", "250", [](const TrainConfig& c) { return c.eval_every == 250; }},
      {"probe-every", "7", [](const TrainConfig& c) { return c.probe_every == 7; }},
      {"probe-unit", "5", [](const TrainConfig& c) { return c.probe_unit == 5; }},
      {"eval-stats", "population", [](const TrainConfig& c) { return c.eval_stats == EvalStats::kPopulation; }},
      {"synthetic-size", "500", [](const TrainConfig& c) { return c.data.synthetic_train == 500; }},
      {"synthetic-noise", "0.25", [](const TrainConfig& c) { return c.data.synthetic_noise == 0.25; }},
      {"synthetic-classes", "5", [](const TrainConfig& c) { return c.data.synthetic_classes == 5; }},
  };
  return cases;
}

TEST(Settings, EverySettingHasACase) {
  std::set<std::string> covered;
  for (const FlagCase& c : FlagCases()) covered.insert(c.name);
  for (const SettingInfo& info : AllSettings()) EXPECT_EQ(covered.count(info.name), 1u) << info.name;
  EXPECT_EQ(covered.size(), AllSettings().size());
}

TEST(Settings, EveryFlagSetsItsField) {
  for (const FlagCase& c : FlagCases()) {
    TrainConfig config;
    EXPECT_FALSE(c.applied(config)) << c.name << ": the case must differ from the default";
    ApplyFlag(c.name, c.text, &config);
    EXPECT_TRUE(c.applied(config)) << c.name;
  }
}

// The table's live / new-networks column: what shapes the networks or their data (and so their
// first step) needs new ones; the rest applies between two steps. NewNetworksReason names
// exactly the settings of the first kind that changed.
TEST(Settings, NewNetworksColumn) {
  const std::set<std::string> new_networks = {
      "dataset",     "data-dir",    "standardize", "layers",         "activation",      "init",
      "init-scale",  "left",        "right",       "bn-placement",   "bias-before-bn",  "ghost-group",
      "renorm-rmax", "renorm-dmax", "seed",        "synthetic-size", "synthetic-noise", "synthetic-classes"};
  for (const FlagCase& c : FlagCases()) {
    const settings::SettingSpec* spec = settings::Find(c.name);
    ASSERT_NE(spec, nullptr) << c.name;
    const bool expected = new_networks.count(c.name) > 0;
    EXPECT_EQ(spec->applies == settings::Applies::kNewNetworks, expected) << c.name;
    TrainConfig now, next;
    ApplyFlag(c.name, c.text, &next);
    EXPECT_EQ(settings::NewNetworksReason(now, next), expected ? c.name : "") << c.name;
    EXPECT_EQ(settings::NewNetworksReason(next, next), "") << c.name;
  }
  TrainConfig now, next;
  ApplyFlag("seed", "7", &next);
  ApplyFlag("layers", "8,8", &next);
  ApplyFlag("lr", "0.5", &next);
  EXPECT_EQ(settings::NewNetworksReason(now, next), "layers, seed");  // table order, the live lr left out
}

// The change markers: a live setting that changes how the nets train is marked by its marker
// name, with its values to three digits; one that needs new networks, or only changes what is
// measured, is not.
TEST(Settings, LiveChangesAreTheMarkedSettings) {
  const std::set<std::string> marked = {"batch", "lr", "momentum", "eps", "sgd-momentum", "weight-decay", "eval-stats"};
  for (const FlagCase& c : FlagCases()) {
    const settings::SettingSpec* spec = settings::Find(c.name);
    ASSERT_NE(spec, nullptr) << c.name;
    EXPECT_EQ(spec->marker != nullptr, marked.count(c.name) > 0) << c.name;
    if (spec->marker != nullptr) {
      EXPECT_EQ(spec->applies, settings::Applies::kLive) << c.name;
    }
    TrainConfig now, next;
    ApplyFlag(c.name, c.text, &next);
    const std::vector<settings::LiveChange> changes = settings::LiveChanges(now, next);
    ASSERT_EQ(changes.size(), spec->marker != nullptr ? 1u : 0u) << c.name;
    if (!changes.empty()) {
      EXPECT_EQ(changes[0].name, spec->marker);
      EXPECT_NE(changes[0].from, changes[0].to) << c.name;
    }
    EXPECT_TRUE(settings::LiveChanges(next, next).empty()) << c.name;
  }
  TrainConfig now, next;
  ApplyFlag("lr", "0.0123456", &next);
  ApplyFlag("batch", "48", &next);
  ApplyFlag("eval-stats", "population", &next);
  ApplyFlag("probe-unit", "3", &next);  // what is measured: no marker
  ApplyFlag("seed", "9", &next);        // new networks: no marker
  const std::vector<settings::LiveChange> changes = settings::LiveChanges(now, next);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].name + " " + changes[0].from + " " + changes[0].to,
            "batch " + std::to_string(now.batch_size) + " 48");
  EXPECT_EQ(changes[1].name + " " + changes[1].to, "lr 0.0123");
  EXPECT_EQ(changes[2].name + " " + changes[2].from + " " + changes[2].to, "test statistics running population");
}

TEST(Settings, FormatSettingRoundTrips) {
  for (const FlagCase& c : FlagCases()) {
    TrainConfig config;
    ApplyFlag(c.name, c.text, &config);
    TrainConfig again;
    ApplyFlag(c.name, FormatSetting(config, c.name), &again);
    EXPECT_TRUE(c.applied(again)) << c.name << " formatted as " << FormatSetting(config, c.name);
  }
  EXPECT_EQ(FormatSetting(TrainConfig{}, "layers"), "100,100,100");
  EXPECT_EQ(FormatSetting(TrainConfig{}, "eps"), "1e-05");
}

TEST(Settings, OutOfRangeNamesFlagValueAndRange) {
  EXPECT_EQ(FlagError("batch", "-5"), "--batch: -5 is out of range (expected an integer in [1, 65536])");
  EXPECT_NE(FlagError("batch", "0"), "");
  EXPECT_NE(FlagError("batch", "65537"), "");
  EXPECT_EQ(FlagError("batch", "65536"), "");
  EXPECT_EQ(FlagError("lr", "0"), "--lr: 0 is out of range (expected a number in (0, 1000])");
  EXPECT_EQ(FlagError("lr", "1000"), "");
  EXPECT_NE(FlagError("lr", "1000.5"), "");
  EXPECT_NE(FlagError("lr", "inf"), "");
  EXPECT_NE(FlagError("lr", "nan"), "");
  EXPECT_EQ(FlagError("sgd-momentum", "0"), "");
  EXPECT_NE(FlagError("sgd-momentum", "1"), "");
  EXPECT_NE(FlagError("momentum", "0"), "");
  EXPECT_EQ(FlagError("momentum", "1"), "");
  EXPECT_NE(FlagError("eps", "0"), "");
  EXPECT_NE(FlagError("init-scale", "-1"), "");
  EXPECT_NE(FlagError("weight-decay", "-0.1"), "");
  EXPECT_EQ(FlagError("steps", "0"), "");
  EXPECT_NE(FlagError("steps", "-1"), "");
  EXPECT_NE(FlagError("eval-every", "0"), "");
  EXPECT_NE(FlagError("probe-every", "0"), "");
  EXPECT_NE(FlagError("probe-unit", "-1"), "");
  EXPECT_NE(FlagError("probe-unit", "4096"), "");
  EXPECT_NE(FlagError("seed", "-1"), "");
  EXPECT_NE(FlagError("seed", "99999999999999999999"), "");
  EXPECT_NE(FlagError("synthetic-size", "0"), "");
  EXPECT_NE(FlagError("synthetic-noise", "-0.1"), "");
  EXPECT_NE(FlagError("synthetic-classes", "1"), "");
}

TEST(Settings, VariantFlags) {
  for (const VariantInfo& info : Variants()) {
    EXPECT_EQ(FlagError("left", info.key), "") << info.key;
    EXPECT_EQ(FlagError("right", info.key), "") << info.key;
  }
  const std::string unknown = FlagError("right", "groupnorm");
  EXPECT_EQ(unknown.rfind("--right: 'groupnorm' is not valid (expected one of none, bn, bn-after", 0), 0u) << unknown;
  EXPECT_NE(unknown.find("layernorm or renorm)"), std::string::npos) << unknown;
  EXPECT_NE(FlagError("left", "BN"), "");
  EXPECT_EQ(FlagError("ghost-group", "1"), "");
  EXPECT_EQ(FlagError("ghost-group", "0"), "--ghost-group: 0 is out of range (expected an integer in [1, 65536])");
  EXPECT_EQ(FlagError("renorm-rmax", "1"), "");
  EXPECT_EQ(FlagError("renorm-rmax", "0.99"), "--renorm-rmax: 0.99 is out of range (expected a number in [1, 100])");
  EXPECT_EQ(FlagError("renorm-dmax", "0"), "");
  EXPECT_EQ(FlagError("renorm-dmax", "-0.5"), "--renorm-dmax: -0.5 is out of range (expected a number in [0, 100])");
  // The help text of --left and --right lists the variants.
  for (const SettingInfo& info : AllSettings()) {
    if (std::string(info.name) == "left" || std::string(info.name) == "right") {
      EXPECT_NE(std::string(info.help).find("none, bn, bn-after, bn-bias, ghost-bn, layernorm, renorm"),
                std::string::npos);
    }
  }
}

TEST(Settings, CheckConfigRejectsTheSameVariantTwiceAndAGhostGroupAboveTheBatch) {
  TrainConfig config;
  ApplyFlag("left", "renorm", &config);
  ApplyFlag("right", "renorm", &config);
  const std::string same = ErrorOf([&] { CheckConfig(config, "settings"); });
  EXPECT_EQ(same,
            "settings: --left and --right are both 'renorm': choose two different variants (none, bn, "
            "bn-after, bn-bias, ghost-bn, layernorm, renorm)");
  ApplyFlag("left", "bn", &config);
  EXPECT_EQ(ErrorOf([&] { CheckConfig(config, "settings"); }), "");
  ApplyFlag("right", "ghost-bn", &config);
  ApplyFlag("batch", "8", &config);
  ApplyFlag("ghost-group", "9", &config);
  EXPECT_NE(ErrorOf([&] { CheckConfig(config, "settings"); }).find("ghost-group 9 is larger than the batch 8"),
            std::string::npos);
  ApplyFlag("ghost-group", "8", &config);
  EXPECT_EQ(ErrorOf([&] { CheckConfig(config, "settings"); }), "");
}

TEST(Settings, VariantSceneKeys) {
  const Scene scene = ParseScene(
      "left = \"layernorm\"\nright = \"renorm\"\nrenorm-rmax = 2\nrenorm-dmax = 0.5\n"
      "ghost-group = 4\n",
      "variants.toml");
  EXPECT_EQ(scene.config.left, VariantNamed("layernorm"));
  EXPECT_EQ(scene.config.right, VariantNamed("renorm"));
  EXPECT_EQ(scene.config.net.renorm_r_max, 2.0);
  EXPECT_EQ(scene.config.net.renorm_d_max, 0.5);
  EXPECT_EQ(scene.config.ghost_group, 4);
  const std::string same = ErrorOf([] { ParseScene("left = \"bn\"\n", "same.toml"); });
  EXPECT_NE(same.find("same.toml"), std::string::npos) << same;
  EXPECT_NE(same.find("--left and --right are both 'bn'"), std::string::npos) << same;
  const std::string unknown = ErrorOf([] { ParseScene("right = \"batchnorm\"\n", "bad.toml"); });
  EXPECT_NE(unknown.find("bad.toml"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("'batchnorm' is not valid"), std::string::npos) << unknown;
  const std::string rmax = ErrorOf([] { ParseScene("renorm-rmax = 0.5\n", "rmax.toml"); });
  EXPECT_NE(rmax.find("renorm-rmax"), std::string::npos) << rmax;
}

TEST(Settings, MalformedValuesNameFlagAndValue) {
  EXPECT_EQ(FlagError("batch", "abc"), "--batch: 'abc' is not an integer (expected an integer in [1, 65536])");
  EXPECT_NE(FlagError("batch", "1.5").find("not an integer"), std::string::npos);
  EXPECT_NE(FlagError("batch", "").find("--batch"), std::string::npos);
  EXPECT_NE(FlagError("lr", "fast").find("'fast' is not a number"), std::string::npos);
  EXPECT_NE(FlagError("lr", "0.1x").find("--lr"), std::string::npos);
  EXPECT_NE(FlagError("standardize", "maybe").find("true or false"), std::string::npos);
  EXPECT_EQ(FlagError("activation", "softplus"),
            "--activation: 'softplus' is not valid (expected one of sigmoid, tanh or relu)");
  EXPECT_NE(FlagError("dataset", "mnist").find("fashion"), std::string::npos);
  EXPECT_NE(FlagError("init", "he").find("--init"), std::string::npos);
  EXPECT_NE(FlagError("bn-placement", "middle").find("before"), std::string::npos);
  EXPECT_NE(FlagError("eval-stats", "batch").find("population"), std::string::npos);
  EXPECT_NE(FlagError("data-dir", "").find("--data-dir"), std::string::npos);
  EXPECT_EQ(FlagError("no-such-setting", "1"), "--no-such-setting: no such setting");
}

TEST(Settings, BooleansAcceptCommonSpellings) {
  for (const char* yes : {"true", "1", "yes", "on"}) {
    TrainConfig config;
    ApplyFlag("standardize", yes, &config);
    EXPECT_TRUE(config.data.standardize) << yes;
  }
  for (const char* no : {"false", "0", "no", "off"}) {
    TrainConfig config;
    config.data.standardize = true;
    ApplyFlag("standardize", no, &config);
    EXPECT_FALSE(config.data.standardize) << no;
  }
}

TEST(Settings, LayersParsing) {
  TrainConfig config;
  ApplyFlag("layers", "8", &config);
  EXPECT_EQ(config.net.hidden, std::vector<int>{8});
  EXPECT_NE(FlagError("layers", "100,,5").find("'100,,5' has an empty width"), std::string::npos);
  EXPECT_NE(FlagError("layers", "").find("empty width"), std::string::npos);
  EXPECT_NE(FlagError("layers", ",100").find("empty width"), std::string::npos);
  EXPECT_NE(FlagError("layers", "100,").find("empty width"), std::string::npos);
  EXPECT_NE(FlagError("layers", "100,x").find("'x' is not an integer"), std::string::npos);
  EXPECT_NE(FlagError("layers", "100,0").find("width 0 is out of range"), std::string::npos);
  EXPECT_NE(FlagError("layers", "-3").find("width -3 is out of range"), std::string::npos);
  EXPECT_NE(FlagError("layers", "4097").find("width 4097"), std::string::npos);
  EXPECT_EQ(FlagError("layers", "4096"), "");
  EXPECT_EQ(FlagError("layers", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"), "");
  EXPECT_NE(FlagError("layers", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1").find("17 layers"), std::string::npos);
}

TEST(Settings, RejectedValueLeavesConfigUnchanged) {
  TrainConfig config;
  config.batch_size = 33;
  config.net.hidden = {7, 7};
  EXPECT_THROW(ApplyFlag("batch", "-5", &config), SettingsError);
  EXPECT_THROW(ApplyFlag("layers", "5,,5", &config), SettingsError);
  EXPECT_EQ(config.batch_size, 33);
  EXPECT_EQ(config.net.hidden, (std::vector<int>{7, 7}));
}

// The flag table and the engine's ValidateConfig read one set of ranges (engine/limits.h):
// at each end of every numeric setting's range, both accept the value inside and both refuse
// the one just outside. (The seed is the exception: the engine takes any 64-bit seed, the
// range only says what TOML can write.)
TEST(Settings, TheTableAndTheEngineAgreeAtEveryEndOfEveryRange) {
  int ends = 0;
  for (const settings::SettingSpec& spec : settings::Table()) {
    if (spec.type != settings::SettingType::kInteger && spec.type != settings::SettingType::kReal) continue;
    if (std::string(spec.name) == "seed") continue;
    std::vector<std::pair<double, bool>> values;  // (value, inside the range)
    if (spec.type == settings::SettingType::kInteger) {
      const double lo = static_cast<double>(spec.integers.lo), hi = static_cast<double>(spec.integers.hi);
      values = {{lo, true}, {lo - 1, false}, {hi, true}, {hi + 1, false}};
    } else {
      const RealRange r = spec.reals;
      const double below = std::nextafter(r.lo, -HUGE_VAL), above = std::nextafter(r.hi, HUGE_VAL);
      values = {{r.lo_open ? std::nextafter(r.lo, HUGE_VAL) : r.lo, true},
                {r.lo_open ? r.lo : below, false},
                {r.hi_open ? std::nextafter(r.hi, -HUGE_VAL) : r.hi, true},
                {r.hi_open ? r.hi : above, false}};
    }
    for (const auto& [number, inside] : values) {
      TrainConfig config;
      config.data.name = "spiral";  // the synthetic settings count only for a synthetic set
      config.net.hidden = {4096};   // any probe unit fits
      settings::SettingValue value;
      value.integer = static_cast<long long>(number);
      value.real = number;
      EXPECT_EQ(settings::CheckValue(spec, value).empty(), inside) << spec.name << " = " << number;
      spec.set(&config, value);
      bool engine_accepts = true;
      try {
        ValidateConfig(config);
      } catch (const std::invalid_argument& error) {
        engine_accepts = false;
        EXPECT_NE(std::string(error.what()).find(spec.name), std::string::npos) << error.what();
      }
      EXPECT_EQ(engine_accepts, inside) << spec.name << " = " << number;
      ++ends;
    }
  }
  EXPECT_EQ(ends, 4 * 17);  // every numeric setting but the seed
}

TEST(Settings, CheckConfigConvertsValidateConfig) {
  TrainConfig config;
  EXPECT_NO_THROW(CheckConfig(config, "ctx"));
  ApplyFlag("layers", "10,20", &config);
  ApplyFlag("probe-unit", "10", &config);
  const std::string message = ErrorOf([&] { CheckConfig(config, "ctx"); });
  EXPECT_EQ(message.rfind("ctx: ", 0), 0u) << message;
  EXPECT_NE(message.find("probe-unit"), std::string::npos) << message;
}

TEST(Settings, CheckMemoryRefusesWhatTheBudgetCannotHoldAndSaysHowMuch) {
  TrainConfig config;
  ApplyFlag("layers", "4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096", &config);
  const std::uint64_t gb = 1000ull * 1000 * 1000;
  const std::string message = ErrorOf([&] { CheckMemory(config, ExpectedDataShape(config), 4 * gb, "--layers"); });
  EXPECT_EQ(message.rfind("--layers: the two networks would need about 7.1 GB", 0), 0u) << message;
  EXPECT_NE(message.find("GB of memory (weights and momentum 6.1 GB, training at batch 60 "), std::string::npos)
      << message;
  EXPECT_NE(message.find("more than the 4.0 GB one run may use on this machine"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_NO_THROW(CheckMemory(config, ExpectedDataShape(config), 16 * gb, "--layers"));
  EXPECT_NO_THROW(CheckMemory(TrainConfig{}, ExpectedDataShape(TrainConfig{}), gb, "defaults"));
}

TEST(Settings, CheckConfigRefusesARunNoMachineHereCanHold) {
  // 16 layers of 4096 at batch 65536: ~290 GB of training workspaces. Above the budget of
  // any machine with less than ~580 GB of memory.
  TrainConfig config;
  ApplyFlag("layers", "4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096", &config);
  ApplyFlag("batch", "65536", &config);
  const std::string message = ErrorOf([&] { CheckConfig(config, "settings"); });
  EXPECT_EQ(message.rfind("settings: the two networks would need about ", 0), 0u) << message;
}

}  // namespace
}  // namespace bnlab
