// Scene files are bounded in size and nesting before toml++ parses them: its parser recurses
// once per level, and a deep file used to overflow the stack (issue 10, item 1).
#include "settings/scene_limits.h"
#include "settings/settings.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <system_error>

namespace bnlab {
namespace {

std::string Repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

std::string SceneError(const std::string& text) {
  try {
    ParseScene(text, "deep.toml");
  } catch (const SettingsError& error) {
    return error.what();
  }
  return "";
}

std::string TempPath(const std::string& name) {
  return testing::TempDir() + "bnlab_limits_" + std::to_string(getpid()) + "_" + name;
}

void ExpectOneLine(const std::string& message) {
  EXPECT_FALSE(message.empty());
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(SceneLimits, TheEightyKilobyteDottedKeyFileIsRefusedNotParsed) {
  // The file from the issue: python3 -c "print('a.'*40000 + 'b = 1')" > deep.toml
  const std::string path = TempPath("deep.toml");
  std::ofstream(path) << Repeat("a.", 40000) << "b = 1\n";
  try {
    LoadScene(path);
    ADD_FAILURE() << "no error";
  } catch (const SettingsError& error) {
    const std::string message = error.what();
    ExpectOneLine(message);
    EXPECT_EQ(message.rfind(path + ": 80006 bytes is too large for a scene file", 0), 0u) << message;
  }
  std::remove(path.c_str());
}

TEST(SceneLimits, DeepKeysUnderTheSizeLimitAreRefusedWithTheirLine) {
  // 64 KB, just under the size limit: 32 000 levels, which overflow toml++ 3.3's parser on
  // an 8 MB stack when it is handed the text.
  const std::string message = SceneError("title = \"x\"\n" + Repeat("a.", 32000) + "b = 1\n");
  ExpectOneLine(message);
  EXPECT_EQ(message,
            "deep.toml: line 2: keys or tables nested more than 16 levels deep "
            "(scene keys are flat, e.g. batch = 60)");
}

TEST(SceneLimits, EveryKindOfNestingCounts) {
  const int deep = kMaxSceneDepth + 1;
  for (const std::string& text : {
           Repeat("a.", deep) + "b = 1",                                 // dotted key
           "[" + Repeat("a.", deep) + "b]\nx = 1",                       // table header
           "[[" + Repeat("a.", deep) + "b]]\nx = 1",                     // array of tables
           "x = " + Repeat("{a = ", deep) + "1" + Repeat("}", deep),     // inline tables
           "x = " + Repeat("[", deep) + "1" + Repeat("]", deep),         // arrays
           "x = [\n" + Repeat("[\n", deep) + Repeat("]\n", deep) + "]",  // arrays over lines
           "x = {" + Repeat("a.", deep) + "b = 1}",                      // dotted key in an inline table
       }) {
    SCOPED_TRACE(text.substr(0, 60));
    EXPECT_NE(SceneError(text).find("nested more than 16 levels"), std::string::npos) << SceneError(text);
  }
}

TEST(SceneLimits, ModestNestingStillGetsTheUsualMessage) {
  EXPECT_EQ(SceneError("a.b.c = 1\n"), "deep.toml: line 1: unknown table [a] (scene keys are flat, e.g. batch = 60)");
  EXPECT_EQ(MeasureTomlNesting(Repeat("a.", kMaxSceneDepth - 1) + "b = 1").depth, kMaxSceneDepth);
}

TEST(SceneLimits, StringsAndCommentsDoNotCount) {
  EXPECT_EQ(MeasureTomlNesting("title = \"a.b.c [[[[ {{{{\"\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("title = 'a.b.c [[[[ {{{{'\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("# [[[[[[[[[[[[[[[[[[[[[[ a.b.c.d.e.f\nbatch = 1\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("description = \"\"\"\n[[[[[[[[\n{{{{{{{{\"\"\"\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("description = '''\n[[[[[[[[\n'''\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("\"a.b.c.d\" = 1\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("title = \"say \\\"[[[[\\\"\"\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("lr = 0.5\nseed = 1979-05-27T07:32:00.999\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("layers = [100, 100, 100]\n").depth, 1);
  EXPECT_EQ(MeasureTomlNesting("").depth, 0);
}

TEST(SceneLimits, LineNumbersCountLinesInsideMultilineStrings) {
  const TomlNesting nesting =
      MeasureTomlNesting("description = \"\"\"\none\ntwo\n\"\"\"\n" + Repeat("a.", 30) + "b = 1\n");
  EXPECT_EQ(nesting.line, 5);
  EXPECT_EQ(nesting.depth, 31);
}

TEST(SceneLimits, AStrayQuoteCannotHideTheLinesAfterIt) {
  // An unterminated one-line string ends at the newline, so the deep key below is seen.
  EXPECT_GT(MeasureTomlNesting("title = \"oops\n" + Repeat("a.", 30) + "b = 1\n").depth, kMaxSceneDepth);
}

TEST(SceneLimits, BundledScenesAreFarInsideTheLimits) {
  for (const std::string& name : ListScenes()) {
    SCOPED_TRACE(name);
    std::ifstream file(ResolveScenePath(name));
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_LT(text.size(), kMaxSceneBytes / 8);
    // The deepest a scene goes: `pauses`, an array of inline tables whose `checks` table holds
    // arrays of two numbers.
    EXPECT_LE(MeasureTomlNesting(text).depth, 4);
  }
}

TEST(SceneLimits, ASymlinkLoopIsReportedAsSuch) {
  const std::string path = TempPath("loop.toml");
  std::remove(path.c_str());
  ASSERT_EQ(symlink(path.c_str(), path.c_str()), 0);
  try {
    LoadScene(path);
    ADD_FAILURE() << "no error";
  } catch (const SettingsError& error) {
    const std::string message = error.what();
    ExpectOneLine(message);
    EXPECT_NE(message.find(path), std::string::npos) << message;
    // The C library's words for ELOOP (glibc's "Too many levels of symbolic links", musl's
    // "Symbolic link loop" in the WebAssembly build).
    const std::string loop = std::make_error_code(std::errc::too_many_symbolic_link_levels).message();
    EXPECT_NE(message.find(loop), std::string::npos) << message;
    EXPECT_EQ(message.find("not found"), std::string::npos) << message;
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace bnlab
