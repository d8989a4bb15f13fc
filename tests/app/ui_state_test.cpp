// The window's view settings file (~/.config/bnlab/ui.toml): round trip, and a broken or
// hostile file gives the defaults, never a crash.
#include "app/shell/ui_state.h"

#include "../common/confine.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace bnlab {
namespace {

namespace fs = std::filesystem;

// Points XDG_CONFIG_HOME at a fresh temporary folder for one test.
class UiStateFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bnlab-ui-state-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "bnlab");
    ::setenv("XDG_CONFIG_HOME", dir_.c_str(), 1);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(dir_ / "bnlab" / "ui.toml") << text; }

  fs::path dir_;
};

TEST_F(UiStateFile, SavedSettingsComeBack) {
  UiState state;
  state.view = View::kNoise;
  state.ui_scale = 1.75f;
  state.light_theme = true;
  state.log_loss = false;
  state.noise_layer = 2;
  state.time_axis = TimeAxis::kLast;
  state.last_steps = 5000;
  state.clip_seconds = 25;
  std::string error;
  ASSERT_TRUE(SaveUiState(state, &error)) << error;
  const UiState loaded = LoadUiState();
  EXPECT_EQ(loaded.view, View::kNoise);
  EXPECT_FLOAT_EQ(loaded.ui_scale, 1.75f);
  EXPECT_TRUE(loaded.light_theme);
  EXPECT_FALSE(loaded.log_loss);
  EXPECT_EQ(loaded.noise_layer, 2);
  EXPECT_EQ(loaded.time_axis, TimeAxis::kLast);
  EXPECT_EQ(loaded.last_steps, 5000);
  EXPECT_EQ(loaded.clip_seconds, 25);
}

// Saving on a full disk or into a read-only folder keeps the settings saved before, whole, and
// the message names the file.
TEST_F(UiStateFile, AFailedSaveKeepsTheOldFile) {
  Write("ui_scale = 1.5\n");
  const fs::path path = dir_ / "bnlab" / "ui.toml";
  // 0: refused naming the file; 1: saved; 2: another message; 77: no confinement here.
  auto save_confined = [&](const std::function<bool()>& confine) {
    return testing_confine::InChild([&] {
      if (!confine()) return 77;
      std::string error;
      if (SaveUiState(UiState(), &error)) return 1;
      return error.find("'" + path.string() + "'") != std::string::npos ? 0 : 2;
    });
  };
  auto contents = [&] {
    std::ostringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
  };
  EXPECT_EQ(save_confined([] { return testing_confine::LimitFileSize(16); }), 0);
  EXPECT_EQ(contents(), "ui_scale = 1.5\n");
  const int read_only = save_confined([&] { return testing_confine::ReadOnlyFolder((dir_ / "bnlab").string()); });
  fs::permissions(dir_ / "bnlab", fs::perms::owner_all);
  EXPECT_EQ(read_only, 0);
  EXPECT_EQ(contents(), "ui_scale = 1.5\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "bnlab"), fs::directory_iterator()), 1);
}

TEST_F(UiStateFile, AMissingFileGivesTheDefaults) {
  const UiState loaded = LoadUiState();
  EXPECT_EQ(loaded.view, UiState().view);
  EXPECT_FLOAT_EQ(loaded.ui_scale, 1.0f);
}

TEST_F(UiStateFile, WrongTypesAndRangesKeepTheirDefaults) {
  Write(
      "view = \"no-such-view\"\nui_scale = 40.0\nlight_theme = \"yes\"\nlog_loss = false\n"
      "time_axis = \"sideways\"\nlast_steps = 3\nclip_seconds = 600\n");
  const UiState loaded = LoadUiState();
  EXPECT_EQ(loaded.view, UiState().view);
  EXPECT_FLOAT_EQ(loaded.ui_scale, 1.0f);
  EXPECT_FALSE(loaded.light_theme);
  EXPECT_FALSE(loaded.log_loss);  // the one good value is taken
  EXPECT_EQ(loaded.time_axis, TimeAxis::kAll);
  EXPECT_EQ(loaded.last_steps, UiState().last_steps);
  EXPECT_EQ(loaded.clip_seconds, UiState().clip_seconds);
}

TEST_F(UiStateFile, ABrokenOrHostileFileGivesTheDefaults) {
  Write("view = \"noise\"\nthis is not toml [[[\n");
  EXPECT_EQ(LoadUiState().view, UiState().view);
  // Nested 40 000 levels deep: toml++ 3.3 would overflow its stack on it.
  std::string deep;
  for (int i = 0; i < 40000; ++i) deep += "a.";
  Write(deep + "b = 1\n");
  EXPECT_EQ(LoadUiState().view, UiState().view);
  Write(std::string(200000, '#'));  // larger than a file of ours can be
  EXPECT_EQ(LoadUiState().view, UiState().view);
}

// P: the presentation layout hides the control panel, and leaving it gives H back its state.
TEST(PresentationLayout, HidesThePanelAndLeavingRestoresIt) {
  UiState ui;
  ASSERT_TRUE(ui.show_controls);
  SetPresent(ui, true);
  EXPECT_TRUE(ui.present);
  EXPECT_FALSE(ui.show_controls);
  ui.present_caption = true;
  SetPresent(ui, true);  // again: no change, the state before it is kept
  EXPECT_FALSE(ui.show_controls);
  SetPresent(ui, false);
  EXPECT_FALSE(ui.present);
  EXPECT_TRUE(ui.show_controls);
  EXPECT_FALSE(ui.present_caption);
  // A panel hidden with H before stays hidden after the presentation.
  ui.show_controls = false;
  SetPresent(ui, true);
  SetPresent(ui, false);
  EXPECT_FALSE(ui.show_controls);
}

}  // namespace
}  // namespace bnlab
