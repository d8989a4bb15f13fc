#include "app/views/text_wrap.h"

#include <gtest/gtest.h>

namespace bnlab {
namespace {

// One unit per character, as a monospaced font would measure.
float Chars(std::string_view text) { return static_cast<float>(text.size()); }

TEST(WrapAtSpaces, BreaksOnlyAtSpacesNeverAfterADecimalPoint) {
  // ImGui would break "1.5x" after the point; here the number moves to the next line whole.
  EXPECT_EQ(WrapAtSpaces("gets about 1.5x more", 12.0f, Chars), "gets about\n1.5x more");
  EXPECT_EQ(WrapAtSpaces("at 76.5%, BN", 5.0f, Chars), "at\n76.5%,\nBN");
}

TEST(WrapAtSpaces, FillsEachLineUpToTheWidthExactly) {
  EXPECT_EQ(WrapAtSpaces("aa bb cc dd", 5.0f, Chars), "aa bb\ncc dd");
  EXPECT_EQ(WrapAtSpaces("aa bb cc dd", 4.0f, Chars), "aa\nbb\ncc\ndd");
  EXPECT_EQ(WrapAtSpaces("aa bb cc dd", 11.0f, Chars), "aa bb cc dd");
}

TEST(WrapAtSpaces, KeepsItsOwnNewlinesAndALongWordWhole) {
  EXPECT_EQ(WrapAtSpaces("one two\nthree four", 9.0f, Chars), "one two\nthree\nfour");
  EXPECT_EQ(WrapAtSpaces("a verylongword b", 4.0f, Chars), "a\nverylongword\nb");
  EXPECT_EQ(WrapAtSpaces("", 4.0f, Chars), "");
  EXPECT_EQ(WrapAtSpaces("\n\n", 4.0f, Chars), "\n\n");
}

TEST(WrapAtSpaces, DropsTheSpacesAtABreakAndKeepsTheOthers) {
  EXPECT_EQ(WrapAtSpaces("caption  (Space goes on)", 40.0f, Chars), "caption  (Space goes on)");
  EXPECT_EQ(WrapAtSpaces("caption  (Space goes on)", 8.0f, Chars), "caption\n(Space\ngoes on)");
}

}  // namespace
}  // namespace bnlab
