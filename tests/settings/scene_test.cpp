// Scene files: every key, types, unknown keys, syntax errors with their line, the bundled
// scenes, and flags overriding a scene whatever their order.
#include "settings/setting_flags.h"
#include "settings/settings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace bnlab {
namespace {

std::string SceneError(const std::string& text) {
  try {
    ParseScene(text, "test.toml");
  } catch (const SettingsError& error) {
    return error.what();
  }
  return "";
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(Scene, EveryKeyAndTheTexts) {
  const Scene scene = ParseScene(R"(
title = "A title"
description = "Two sentences. Read aloud."
dataset = "circles"
data-dir = "/data/fm"
standardize = true
steps = 321
batch = 16
lr = 0.75
layers = [20, 10]
activation = "relu"
init = "xavier"
init-scale = 0.5
bn-placement = "after"
bias-before-bn = true
momentum = 0.2
eps = 1e-3
sgd-momentum = 0.9
weight-decay = 1e-4
seed = 42
eval-every = 100
probe-every = 10
probe-unit = 3
eval-stats = "population"
synthetic-size = 300
synthetic-noise = 0.05
synthetic-classes = 4
)",
                                 "dir/my-scene.toml");
  EXPECT_EQ(scene.title, "A title");
  EXPECT_EQ(scene.description, "Two sentences. Read aloud.");
  EXPECT_EQ(scene.name, "my-scene");
  EXPECT_EQ(scene.path, "dir/my-scene.toml");
  const TrainConfig& c = scene.config;
  EXPECT_EQ(c.data.name, "circles");
  EXPECT_EQ(c.data.dir, "/data/fm");
  EXPECT_TRUE(c.data.standardize);
  EXPECT_EQ(c.steps, 321);
  EXPECT_EQ(c.batch_size, 16);
  EXPECT_EQ(c.optimizer.learning_rate, 0.75);
  EXPECT_EQ(c.net.hidden, (std::vector<int>{20, 10}));
  EXPECT_EQ(c.net.activation, ActivationKind::kRelu);
  EXPECT_EQ(c.net.init, InitKind::kXavier);
  EXPECT_EQ(c.net.init_scale, 0.5);
  EXPECT_EQ(c.net.placement, Placement::kAfter);
  EXPECT_TRUE(c.net.bias_before_bn);
  EXPECT_EQ(c.net.bn_momentum, 0.2);
  EXPECT_EQ(c.net.bn_eps, 1e-3);
  EXPECT_EQ(c.optimizer.momentum, 0.9);
  EXPECT_EQ(c.optimizer.weight_decay, 1e-4);
  EXPECT_EQ(c.seed, 42u);
  EXPECT_EQ(c.eval_every, 100);
  EXPECT_EQ(c.probe_every, 10);
  EXPECT_EQ(c.probe_unit, 3);
  EXPECT_EQ(c.eval_stats, EvalStats::kPopulation);
  EXPECT_EQ(c.data.synthetic_train, 300);
  EXPECT_EQ(c.data.synthetic_noise, 0.05);
  EXPECT_EQ(c.data.synthetic_classes, 4);
}

TEST(Scene, OmittedKeysKeepDefaults) {
  const Scene scene = ParseScene("batch = 8\n", "s.toml");
  TrainConfig expected;
  expected.batch_size = 8;
  EXPECT_EQ(scene.config.batch_size, 8);
  EXPECT_EQ(scene.config.net.hidden, expected.net.hidden);
  EXPECT_EQ(scene.config.optimizer.learning_rate, expected.optimizer.learning_rate);
  EXPECT_EQ(scene.title, "");
}

TEST(Scene, LayersAsStringAndIntegerForReal) {
  const Scene scene = ParseScene("layers = \"5, 6\"\nlr = 2\n", "s.toml");
  EXPECT_EQ(scene.config.net.hidden, (std::vector<int>{5, 6}));
  EXPECT_EQ(scene.config.optimizer.learning_rate, 2.0);
  EXPECT_NE(SceneError("layers = \"100,,5\"").find("empty width"), std::string::npos);
  EXPECT_NE(SceneError("layers = []").find("0 layers"), std::string::npos);
  EXPECT_NE(SceneError("layers = [10, \"x\"]").find("must be an integer"), std::string::npos);
  EXPECT_NE(SceneError("layers = [10, 0]").find("width 0"), std::string::npos);
}

TEST(Scene, ValueErrorsNameFileLineKeyAndRange) {
  EXPECT_EQ(SceneError("\n\nbatch = -5\n"),
            "test.toml: line 3: key 'batch': -5 is out of range (expected an integer in [1, 65536])");
  EXPECT_EQ(SceneError("batch = \"60\""),
            "test.toml: line 1: key 'batch': expected an integer in [1, 65536], got a string");
  EXPECT_NE(SceneError("batch = 60.0").find("got a floating-point number"), std::string::npos);
  EXPECT_NE(SceneError("lr = \"fast\"").find("key 'lr'"), std::string::npos);
  EXPECT_NE(SceneError("standardize = 1").find("got an integer"), std::string::npos);
  EXPECT_NE(SceneError("activation = \"softplus\"").find("'softplus' is not valid"), std::string::npos);
  EXPECT_NE(SceneError("title = 3").find("key 'title': expected a string"), std::string::npos);
  EXPECT_NE(SceneError("seed = -1").find("key 'seed'"), std::string::npos);
}

TEST(Scene, UnknownKeysAreErrors) {
  EXPECT_EQ(SceneError("batch = 5\nbacth = 6\n"), "test.toml: line 2: unknown key 'bacth' (did you mean 'batch'?)");
  EXPECT_EQ(SceneError("[net]\nhidden = [3]\n"),
            "test.toml: line 1: unknown table [net] (scene keys are flat, e.g. batch = 60)");
  const std::string far = SceneError("colour = \"red\"\n");
  EXPECT_NE(far.find("unknown key 'colour'"), std::string::npos) << far;
  EXPECT_NE(far.find("known keys: title, description, order, view, speed, caption, verdict, pauses, present, dataset"),
            std::string::npos)
      << far;
}

TEST(Scene, LessonKeys) {
  const Scene scene = ParseScene(
      "order = 3\nview = \"noise\"\nspeed = 40\ncaption = \"Look here.\"\nverdict = \"accuracy\"\n"
      "pauses = [ { step = 900, caption = \"later\", checks = { right = [71, 74], lead = [-3, 40] } },\n"
      "  { step = 300, caption = \"first\" } ]\nbatch = 8\n",
      "test.toml");
  EXPECT_EQ(scene.lesson.order, 3);
  EXPECT_EQ(scene.lesson.view, "noise");
  EXPECT_TRUE(scene.lesson.has_speed);
  EXPECT_EQ(scene.lesson.speed, 40.0);
  EXPECT_EQ(scene.lesson.caption, "Look here.");
  EXPECT_EQ(scene.lesson.verdict, Verdict::kAccuracy);
  ASSERT_EQ(scene.lesson.pauses.size(), 2u);
  EXPECT_EQ(scene.lesson.pauses[0].step, 300);  // sorted by step
  EXPECT_EQ(scene.lesson.pauses[0].caption, "first");
  EXPECT_EQ(scene.lesson.pauses[1].step, 900);
  EXPECT_TRUE(scene.lesson.pauses[0].checks.empty());
  ASSERT_EQ(scene.lesson.pauses[1].checks.size(), 2u);  // in the order of their names
  EXPECT_EQ(scene.lesson.pauses[1].checks[0].figure, "lead");
  EXPECT_EQ(scene.lesson.pauses[1].checks[0].low, -3);
  EXPECT_EQ(scene.lesson.pauses[1].checks[0].high, 40);
  EXPECT_EQ(scene.lesson.pauses[1].checks[1].figure, "right");
  EXPECT_EQ(scene.lesson.pauses[1].checks[1].low, 71);
  EXPECT_EQ(scene.lesson.pauses[1].checks[1].high, 74);
  EXPECT_EQ(scene.config.batch_size, 8);
  // Without the keys: no order, no speed (as fast as possible), the current view kept.
  const Scene plain = ParseScene("batch = 8\n", "test.toml");
  EXPECT_EQ(plain.lesson.order, 0);
  EXPECT_FALSE(plain.lesson.has_speed);
  EXPECT_TRUE(plain.lesson.view.empty());
  EXPECT_EQ(plain.lesson.verdict, Verdict::kNone);
}

TEST(Scene, LessonKeyErrorsNameTheKeyAndTheChoices) {
  EXPECT_NE(SceneError("view = \"graphs\"").find("key 'view': unknown view 'graphs' (expected one of dashboard, loss"),
            std::string::npos);
  EXPECT_NE(SceneError("verdict = \"good\"").find("key 'verdict': unknown verdict 'good' (expected one of accuracy,"),
            std::string::npos);
  EXPECT_NE(SceneError("order = 0").find("key 'order': expected an integer in [1, 99]"), std::string::npos);
  EXPECT_NE(SceneError("speed = -1").find("key 'speed'"), std::string::npos);
  EXPECT_NE(SceneError("speed = nan").find("key 'speed'"), std::string::npos);
  EXPECT_NE(SceneError("present = 1").find("key 'present': expected true or false"), std::string::npos);
  EXPECT_NE(SceneError("pauses = 5").find("key 'pauses': expected an array"), std::string::npos);
  EXPECT_NE(SceneError("pauses = [ { caption = \"x\" } ]").find("a pause needs a step"), std::string::npos);
  EXPECT_NE(SceneError("pauses = [ { step = 0 } ]").find("step must be an integer"), std::string::npos);
  EXPECT_NE(SceneError("pauses = [ { step = 5, when = 1 } ]").find("unknown key 'when'"), std::string::npos);
  EXPECT_NE(SceneError("pauses = [ { step = 5, checks = [1, 2] } ]").find("key 'pauses.checks': expected a table"),
            std::string::npos);
  EXPECT_NE(SceneError("pauses = [ { step = 5, checks = { middle = [1, 2] } } ]")
                .find("unknown figure 'middle' (known: left, left-batch,"),
            std::string::npos);
  for (const char* range : {"[1]", "[1, 2, 3]", "[2, 1]", "[0, 101]", "[-101, 0]", "[1.5, 2]", "\"1-2\"", "{}"}) {
    EXPECT_NE(SceneError(std::string("pauses = [ { step = 5, checks = { right = ") + range + " } } ]")
                  .find("right must be [LOW, HIGH], whole numbers in [-100, 100] with LOW <= HIGH"),
              std::string::npos)
        << range;
  }
  EXPECT_NO_THROW(ParseScene("pauses = [ { step = 5, checks = { lead = [-100, 100], both-saturated-l2 = [0, 0] } } ]",
                             "test.toml"));
}

TEST(Scene, BundledScenesAreListedInLectureOrder) {
  const std::vector<SceneEntry> lessons = ListLessons();
  ASSERT_EQ(lessons.size(), ListScenes().size());
  int last_order = 0;
  bool unordered_seen = false;
  for (const SceneEntry& entry : lessons) {
    EXPECT_TRUE(entry.error.empty()) << entry.name << ": " << entry.error;
    EXPECT_FALSE(entry.title.empty()) << entry.name;
    if (entry.order == 0) {
      unordered_seen = true;
      continue;
    }
    EXPECT_FALSE(unordered_seen) << entry.name << " is ordered but listed after an unordered scene";
    EXPECT_GT(entry.order, last_order) << entry.name << ": two scenes share an order, or the list is not sorted";
    last_order = entry.order;
  }
  // The lecture starts with the paper's experiment.
  EXPECT_EQ(lessons.front().name, "default");
}

TEST(Scene, SyntaxErrorNamesLine) {
  const std::string message = SceneError("batch = 5\nlr = 0.5\nlayers = [1, 2\ntitle = \"x\"\n");
  // The unclosed array on line 3 is noticed where the next key starts.
  EXPECT_EQ(message.rfind("test.toml: line 4, column 1: ", 0), 0u) << message;
  EXPECT_NE(message.find("']'"), std::string::npos) << message;
  const std::string unquoted = SceneError("\ndataset = spiral\n");
  EXPECT_EQ(unquoted.rfind("test.toml: line 2, column ", 0), 0u) << unquoted;
  EXPECT_NE(SceneError("batch = 5\nbatch = 6\n").find("line 2"), std::string::npos);
}

TEST(Scene, WholeConfigIsValidated) {
  const std::string message = SceneError("layers = [4]\nprobe-unit = 4\n");
  EXPECT_EQ(message.rfind("test.toml: ", 0), 0u) << message;
  EXPECT_NE(message.find("probe-unit"), std::string::npos) << message;
}

TEST(Scene, MissingSceneNamesItAndListsBundled) {
  try {
    LoadScene("nosuch");
    FAIL() << "no error";
  } catch (const SettingsError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("'nosuch'"), std::string::npos) << message;
    EXPECT_NE(message.find("nosuch.toml"), std::string::npos) << message;
    EXPECT_NE(message.find("spiral"), std::string::npos) << message;
  }
  EXPECT_THROW(LoadScene("/nonexistent/dir/x.toml"), SettingsError);
  EXPECT_THROW(LoadScene(""), SettingsError);
}

TEST(Scene, BundledScenesAllLoad) {
  const std::vector<std::string> names = ListScenes();
  for (const char* expected :
       {"default", "saturation", "high-lr", "small-batch", "batch-one", "bias-before-bn", "bn-after", "spiral"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const Scene scene = LoadScene(name);
    EXPECT_EQ(scene.name, name);
    EXPECT_FALSE(scene.title.empty());
    EXPECT_GT(scene.description.size(), 80u);
    EXPECT_NE(scene.path.find(ScenesDir()), std::string::npos);
  }
  EXPECT_EQ(LoadScene("batch-one").config.batch_size, 1);
  EXPECT_EQ(LoadScene("spiral").config.net.hidden, (std::vector<int>{32, 32, 32}));
  // The controlled comparisons: only the variant differs between the columns.
  const Scene bias = LoadScene("bias-before-bn");
  EXPECT_EQ(bias.config.left, VariantNamed("bn"));
  EXPECT_EQ(bias.config.right, VariantNamed("bn-bias"));
  EXPECT_FALSE(bias.config.net.bias_before_bn);  // else the left column would keep the bias too
  const Scene after = LoadScene("bn-after");
  EXPECT_EQ(after.config.left, VariantNamed("bn"));
  EXPECT_EQ(after.config.right, VariantNamed("bn-after"));
  EXPECT_EQ(after.config.net.placement, Placement::kBefore);  // the left column's BN: before
  EXPECT_EQ(LoadScene("layernorm-batch-one").config.right, VariantNamed("layernorm"));
  EXPECT_EQ(LoadScene("small-batch-renorm").config.right, VariantNamed("renorm"));
}

TEST(Scene, LoadByPath) {
  const std::string path = WriteTempFile("bnlab_scene_by_path.toml", "title = \"T\"\nbatch = 9\n");
  const Scene scene = LoadScene(path);
  EXPECT_EQ(scene.config.batch_size, 9);
  EXPECT_EQ(scene.path, path);
  EXPECT_EQ(ResolveScenePath(path), path);
  std::remove(path.c_str());
}

// Parses `args` (after the program name) with the flags a headless command has.
TrainConfig ResolveFlags(std::vector<std::string> args) {
  CLI::App app{"test", "bnlab train"};
  SettingFlags flags(&app);
  args.insert(args.begin(), "train");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return flags.Resolve().config;
}

// Which flags change the scene's own settings (then its caption no longer describes the run).
bool ChangedByFlags(std::vector<std::string> args) {
  CLI::App app{"test", "bnlab train"};
  SettingFlags flags(&app);
  args.insert(args.begin(), "train");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return flags.Resolve().changed_by_flags;
}

TEST(SceneFlags, SaysWhetherFlagsChangedTheScenesSettings) {
  EXPECT_FALSE(ChangedByFlags({"--scene", "small-batch"}));
  EXPECT_FALSE(ChangedByFlags({"--scene", "small-batch", "--batch", "4"}));  // its own value
  EXPECT_TRUE(ChangedByFlags({"--scene", "small-batch", "--batch", "8"}));
  EXPECT_TRUE(ChangedByFlags({"--scene", "default", "--right", "layernorm"}));
}

TEST(SceneFlags, FlagsOverrideSceneInAnyOrder) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--scene", "spiral", "--batch", "7", "--layers", "9,9"},
        std::vector<std::string>{"--batch", "7", "--layers", "9,9", "--scene", "spiral"},
        std::vector<std::string>{"--batch=7", "--scene=spiral", "--layers=9,9"}}) {
    const TrainConfig config = ResolveFlags(args);
    EXPECT_EQ(config.batch_size, 7);
    EXPECT_EQ(config.net.hidden, (std::vector<int>{9, 9}));
    EXPECT_EQ(config.data.name, "spiral");           // from the scene
    EXPECT_EQ(config.optimizer.learning_rate, 0.5);  // from the scene
  }
}

TEST(SceneFlags, NoSceneMeansDefaultsPlusFlags) {
  const TrainConfig config = ResolveFlags({"--standardize", "--lr", "0.1"});
  EXPECT_TRUE(config.data.standardize);
  EXPECT_EQ(config.optimizer.learning_rate, 0.1);
  EXPECT_EQ(config.batch_size, TrainConfig{}.batch_size);
  EXPECT_FALSE(ResolveFlags({"--standardize=false"}).data.standardize);
}

TEST(SceneFlags, CombinationIsValidated) {
  // Valid alone, invalid together: the spiral scene's 32-wide layers and probe unit 40.
  EXPECT_THROW(ResolveFlags({"--scene", "spiral", "--probe-unit", "40"}), SettingsError);
  EXPECT_THROW(ResolveFlags({"--batch", "0"}), SettingsError);
  EXPECT_THROW(ResolveFlags({"--scene", "nosuch"}), SettingsError);
}

}  // namespace
}  // namespace bnlab
