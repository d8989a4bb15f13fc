// "Save as scene": whatever a Scene holds, the file WriteScene makes reads back to it.
#include "settings/scene_writer.h"

#include "settings/settings.h"
#include "setting_cases.h"
#include "../common/confine.h"
#include "../common/subprocess.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace bnlab {
namespace {

using testing_settings::ExpectSameSettings;

void ExpectSameLesson(const Lesson& expected, const Lesson& actual, const std::string& context) {
  EXPECT_EQ(actual.order, expected.order) << context;
  EXPECT_EQ(actual.view, expected.view) << context;
  EXPECT_EQ(actual.has_speed, expected.has_speed) << context;
  EXPECT_EQ(actual.speed, expected.speed) << context;
  EXPECT_EQ(actual.caption, expected.caption) << context;
  EXPECT_EQ(actual.verdict, expected.verdict) << context;
  EXPECT_EQ(actual.present, expected.present) << context;
  ASSERT_EQ(actual.pauses.size(), expected.pauses.size()) << context;
  for (std::size_t i = 0; i < expected.pauses.size(); ++i) {
    EXPECT_EQ(actual.pauses[i].step, expected.pauses[i].step) << context << ": pause " << i;
    EXPECT_EQ(actual.pauses[i].caption, expected.pauses[i].caption) << context << ": pause " << i;
    ASSERT_EQ(actual.pauses[i].checks.size(), expected.pauses[i].checks.size()) << context << ": pause " << i;
    for (std::size_t c = 0; c < expected.pauses[i].checks.size(); ++c) {
      const CaptionCheck& want = expected.pauses[i].checks[c];
      const CaptionCheck& got = actual.pauses[i].checks[c];
      EXPECT_EQ(got.figure, want.figure) << context << ": pause " << i << ", check " << c;
      EXPECT_EQ(got.low, want.low) << context << ": pause " << i << ", check " << want.figure;
      EXPECT_EQ(got.high, want.high) << context << ": pause " << i << ", check " << want.figure;
    }
  }
}

// Writes `scene`, parses the text back, and compares everything a scene file holds.
Scene ExpectRoundTrip(const Scene& scene, const std::string& context) {
  const std::string text = WriteScene(scene);
  Scene again;
  try {
    again = ParseScene(text, "saved.toml");
  } catch (const SettingsError& error) {
    ADD_FAILURE() << context << ": " << error.what() << "\n" << text;
    return again;
  }
  EXPECT_EQ(again.title, scene.title) << context;
  EXPECT_EQ(again.description, scene.description) << context;
  ExpectSameLesson(scene.lesson, again.lesson, context);
  ExpectSameSettings(scene.config, again.config, context);
  return again;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

Scene SceneWith(const TrainConfig& config) {
  Scene scene;
  scene.config = config;
  return scene;
}

// Texts that break naive quoting: TOML escapes, the multi-line delimiter, control
// characters, line-ending backslashes, and UTF-8 beyond ASCII.
const std::vector<std::string>& HostileTexts() {
  static const std::vector<std::string> texts = {
      "",
      "plain words",
      "say \"hi\"",
      "\"\"\"",
      "ends with a quote\"",
      "ends with quotes\"\"",
      "back\\slash and \\n not a newline",
      "ends with a backslash\\",
      "line one\nline two\n",
      "\nstarts with a newline",
      "\n\n",
      "tab\there",
      "windows\r\nline",
      "bell\a escape\x1b del\x7f nul-free",
      "unicode: é ü 日本語 🎓 σ² √ ‖dW‖",
      "two  spaces and a line ending in spaces   \nnext",
      "'single' and '''triple''' quotes",
      "# not a comment = and [not.a.table]",
  };
  return texts;
}

TEST(SceneWriter, DefaultConfigRoundTrips) { ExpectRoundTrip(SceneWith(TrainConfig{}), "defaults"); }

TEST(SceneWriter, EverySettingChangedRoundTrips) {
  testing_settings::ExpectEverySettingCovered();
  ExpectRoundTrip(SceneWith(testing_settings::WithEveryChanged()), "every setting changed");
  for (const SettingInfo& info : AllSettings()) {
    ExpectRoundTrip(SceneWith(testing_settings::WithOneChanged(info.name)), std::string("only ") + info.name);
  }
}

TEST(SceneWriter, RealsRoundTripToTheLastBit) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> rate(1e-9, 1000.0);
  std::uniform_real_distribution<double> share(0.0, 1.0);
  for (int i = 0; i < 300; ++i) {
    TrainConfig config;
    config.optimizer.learning_rate = i % 3 == 0 ? std::floor(rate(random)) + 1.0 : rate(random);  // integral ones too
    config.optimizer.weight_decay = share(random) * std::pow(10.0, -static_cast<double>(i % 20));
    config.net.bn_eps = std::nextafter(1.0, 0.0) * share(random) + 1e-300;
    const Scene again = ExpectRoundTrip(SceneWith(config), "lr " + std::to_string(config.optimizer.learning_rate));
    EXPECT_EQ(again.config.optimizer.learning_rate, config.optimizer.learning_rate);
    EXPECT_EQ(again.config.optimizer.weight_decay, config.optimizer.weight_decay);
    EXPECT_EQ(again.config.net.bn_eps, config.net.bn_eps);
  }
}

TEST(SceneWriter, NegativeZeroKeepsItsSign) {
  TrainConfig config;
  ApplyFlag("weight-decay", "-0", &config);
  ASSERT_EQ(FormatSetting(config, "weight-decay"), "-0");
  ExpectRoundTrip(SceneWith(config), "-0");  // written as -0.0: a TOML integer -0 is plain 0
}

TEST(SceneWriter, ValuesHaveTheirTomlTypes) {
  TrainConfig config;
  ApplyFlag("lr", "5", &config);
  ApplyFlag("layers", "64,32", &config);
  const std::string text = WriteScene(SceneWith(config));
  EXPECT_NE(text.find("\nlr = 5.0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nlayers = [64, 32]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nbatch = 60\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nstandardize = false\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nactivation = \"sigmoid\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\neps = 1e-05\n"), std::string::npos) << text;
}

TEST(SceneWriter, EverySettingIsWrittenInTableOrderAfterAHeaderSayingHowToLoadIt) {
  const std::string text = WriteScene(SceneWith(TrainConfig{}));
  EXPECT_EQ(text.rfind("# Written by bnlab's \"Save as scene\"", 0), 0u) << text;
  EXPECT_NE(text.find("bnlab --scene FILE"), std::string::npos);
  EXPECT_NE(text.find("bnlab train --scene FILE"), std::string::npos);
  std::size_t previous = 0;
  for (const SettingInfo& info : AllSettings()) {
    const std::size_t at = text.find("\n" + std::string(info.name) + " = ");
    ASSERT_NE(at, std::string::npos) << info.name;
    EXPECT_GT(at, previous) << info.name << " out of table order";
    previous = at;
  }
}

TEST(SceneWriter, HostileTitlesDescriptionsAndCaptionsRoundTrip) {
  for (const std::string& text : HostileTexts()) {
    Scene scene;
    scene.title = text;
    scene.description = text;
    scene.lesson.caption = text.empty() ? "x" : text;
    scene.lesson.pauses = {{3, text}, {9, text + text}};
    ExpectRoundTrip(scene, "text '" + text + "'");
  }
  // All of them at once, in one description that is long enough to be wrapped.
  Scene scene;
  for (const std::string& text : HostileTexts()) scene.description += text + " and a few more words to wrap ";
  ExpectRoundTrip(scene, "long description");
}

TEST(SceneWriter, LongDescriptionsAreWrappedAsTheBundledScenesAre) {
  Scene scene;
  for (int i = 0; i < 40; ++i) scene.description += "word" + std::to_string(i) + " ";
  const std::string text = WriteScene(scene);
  EXPECT_NE(text.find(" \\\n"), std::string::npos) << text;
  for (const std::string& line : Lines(text)) EXPECT_LE(line.size(), 100u) << line;
  ExpectRoundTrip(scene, "wrapped");
}

TEST(SceneWriter, LessonKeysRoundTripAndUnsetOnesAreLeftOut) {
  Scene scene;
  scene.title = "A lesson";
  scene.lesson.order = 7;
  scene.lesson.view = "train-eval";
  scene.lesson.has_speed = true;
  scene.lesson.speed = 12.5;
  scene.lesson.caption = "Watch the \"gap\".";
  scene.lesson.verdict = Verdict::kTestTime;
  scene.lesson.pauses = {{30, "first", {}},
                         {300, "", {{"both-saturated-l3", 0, 0}}},
                         {3000, "third, with \\ and \n", {{"lead", -12, 40}, {"left", 34, 44}, {"right", 71, 74}}}};
  ExpectRoundTrip(scene, "lesson");
  EXPECT_NE(WriteScene(scene).find(", checks = { lead = [-12, 40], left = [34, 44], right = [71, 74] } },\n"),
            std::string::npos)
      << WriteScene(scene);
  scene.lesson.present = true;
  ExpectRoundTrip(scene, "lesson in the presentation layout");
  EXPECT_NE(WriteScene(scene).find("\npresent = true\n"), std::string::npos);

  for (int v = 1; v < static_cast<int>(Verdict::kCount); ++v) {
    Scene one;
    one.lesson.verdict = static_cast<Verdict>(v);
    ExpectRoundTrip(one, VerdictName(one.lesson.verdict));
  }
  for (const double speed : {0.0, 1.0, 40.0, 0.1, 2000.0}) {
    Scene one;
    one.lesson.has_speed = true;
    one.lesson.speed = speed;
    ExpectRoundTrip(one, "speed " + std::to_string(speed));
  }

  const std::string bare = WriteScene(Scene{});
  for (const char* key : {"order", "view", "speed", "caption", "verdict", "pauses"}) {
    EXPECT_EQ(bare.find("\n" + std::string(key) + " ="), std::string::npos) << key << " written though unset";
  }
}

TEST(SceneWriter, EveryBundledSceneRoundTrips) {
  const std::vector<std::string> names = ListScenes();
  ASSERT_FALSE(names.empty());
  for (const std::string& name : names) {
    const Scene scene = LoadScene(name);
    ExpectRoundTrip(scene, name);
  }
}

TEST(SceneWriter, SavedFileLoadsByPath) {
  Scene scene = LoadScene("high-lr");
  scene.title = "My \"high\" lr";
  scene.config.optimizer.learning_rate = 0.123456789012345678;
  scene.config.data.dir = testing_settings::kHostilePath;
  const std::string path = testing::TempDir() + "bnlab_saved_scene.toml";
  SaveSceneFile(scene, path);
  const Scene loaded = LoadScene(path);
  std::remove(path.c_str());
  EXPECT_EQ(loaded.path, path);
  EXPECT_EQ(loaded.name, "bnlab_saved_scene");
  EXPECT_EQ(loaded.title, scene.title);
  EXPECT_EQ(loaded.description, scene.description);
  ExpectSameLesson(scene.lesson, loaded.lesson, "loaded");
  ExpectSameSettings(scene.config, loaded.config, "loaded");
}

TEST(SceneWriter, AnUnwritablePathIsNamed) {
  const std::string path = testing::TempDir() + "no-such-dir/scene.toml";
  try {
    SaveSceneFile(Scene{}, path);
    FAIL() << "no error";
  } catch (const SettingsError& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

// Save as scene over a scene: a disk that fills up or a read-only folder leaves the old scene
// whole (it was truncated in place), and the message names the file.
TEST(SceneWriter, AFailedSaveLeavesTheOldScene) {
  const std::string folder = testing::TempDir() + "bnlab_scene_keep_" + std::to_string(getpid());
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const std::string path = folder + "/lecture.toml";
  const std::string old_scene = "title = \"the old scene\"\n";
  std::ofstream(path) << old_scene;
  // 0: refused naming the file; 1: saved; 2: another message; 77: no confinement here.
  auto save_confined = [&](const std::function<bool()>& confine) {
    return testing_confine::InChild([&] {
      if (!confine()) return 77;
      try {
        SaveSceneFile(Scene{}, path);
      } catch (const SettingsError& error) {
        return std::string(error.what()).find("'" + path + "'") != std::string::npos ? 0 : 2;
      }
      return 1;
    });
  };
  EXPECT_EQ(save_confined([] { return testing_confine::LimitFileSize(256); }), 0);
  EXPECT_EQ(testing_subprocess::ReadFile(path), old_scene);
  const int read_only = save_confined([&] { return testing_confine::ReadOnlyFolder(folder); });
  std::filesystem::permissions(folder, std::filesystem::perms::owner_all);
  EXPECT_EQ(read_only, 0);
  EXPECT_EQ(testing_subprocess::ReadFile(path), old_scene);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(folder), std::filesystem::directory_iterator()), 1);
  std::filesystem::remove_all(folder);
}

TEST(SceneWriter, TooLargeToLoadAgainIsRefusedBeforeWriting) {
  Scene scene;
  scene.description = std::string(70 * 1024, 'x');
  const std::string path = testing::TempDir() + "bnlab_huge_scene.toml";
  std::remove(path.c_str());
  EXPECT_THROW(SaveSceneFile(scene, path), SettingsError);
  EXPECT_EQ(std::fopen(path.c_str(), "rb"), nullptr);
}

TEST(SceneWriter, TextThatIsNotUtf8IsRefusedNamingTheKey) {
  for (const std::string& bad : {std::string("latin-1 \xE9t\xE9"), std::string("cut \xE6\x97"),
                                 std::string("overlong \xC0\xAF"), std::string("surrogate \xED\xA0\x80")}) {
    Scene scene;
    scene.title = bad;
    try {
      WriteScene(scene);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const SettingsError& error) {
      EXPECT_NE(std::string(error.what()).find("'title'"), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace bnlab
