// The clip encoder (src/app/shell/gif_recorder.cpp) on synthetic frames, decoded back with giflib.
#include "app/shell/gif_recorder.h"

#include <gif_lib.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

namespace bnlab {
namespace {

namespace fs = std::filesystem;

constexpr int kWidth = 64, kHeight = 48;

// A dark page with a bright square at (x, 10), rows bottom-up as glReadPixels gives them.
std::vector<unsigned char> Page(int square_x) {
  std::vector<unsigned char> rgba(static_cast<std::size_t>(kWidth * kHeight * 4));
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) {
      unsigned char* p = &rgba[static_cast<std::size_t>(((kHeight - 1 - y) * kWidth + x) * 4)];
      const bool square = x >= square_x && x < square_x + 8 && y >= 10 && y < 18;
      p[0] = square ? 240 : 26;
      p[1] = square ? 90 : 27;
      p[2] = square ? 60 : 33;
      p[3] = 255;
    }
  return rgba;
}

struct Decoded {
  int width = 0, height = 0, frames = 0, total_centiseconds = 0;
  std::vector<GifColorType> first_frame;  // the first frame's colours, top-down
};

Decoded Decode(const std::string& path) {
  Decoded decoded;
  int error = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
  EXPECT_NE(gif, nullptr) << GifErrorString(error);
  if (gif == nullptr) return decoded;
  EXPECT_EQ(DGifSlurp(gif), GIF_OK) << GifErrorString(gif->Error);
  decoded.width = gif->SWidth;
  decoded.height = gif->SHeight;
  decoded.frames = gif->ImageCount;
  for (int i = 0; i < gif->ImageCount; ++i) {
    GraphicsControlBlock control{};
    if (DGifSavedExtensionToGCB(gif, i, &control) == GIF_OK) decoded.total_centiseconds += control.DelayTime;
  }
  if (gif->ImageCount > 0 && gif->SColorMap != nullptr) {
    const SavedImage& image = gif->SavedImages[0];
    const int n = image.ImageDesc.Width * image.ImageDesc.Height;
    for (int i = 0; i < n; ++i) decoded.first_frame.push_back(gif->SColorMap->Colors[image.RasterBits[i]]);
  }
  DGifCloseFile(gif, &error);
  return decoded;
}

class GifRecorderFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bnlab-gif-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(GifRecorderFile, FramesTimesAndColoursSurviveTheRoundTrip) {
  std::string error;
  std::unique_ptr<GifRecorder> recorder = GifRecorder::Open(Path("clip.gif"), &error);
  ASSERT_NE(recorder, nullptr) << error;
  // Ten frames at 10 a second; frames 3 and 4 repeat frame 2 and are folded into its time.
  const int xs[] = {0, 4, 8, 8, 8, 12, 16, 20, 24, 28};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(recorder->AddFrame(Page(xs[i]), kWidth, kHeight, 10L * i));
  EXPECT_FALSE(recorder->AddFrame(std::vector<unsigned char>(16 * 16 * 4), 16, 16, 100));  // another size
  ASSERT_TRUE(recorder->Finish(100, &error)) << error;
  EXPECT_EQ(recorder->frames_written(), 8);
  EXPECT_EQ(static_cast<std::uintmax_t>(recorder->bytes_written()), fs::file_size(Path("clip.gif")));

  const Decoded decoded = Decode(Path("clip.gif"));
  EXPECT_EQ(decoded.width, kWidth);
  EXPECT_EQ(decoded.height, kHeight);
  EXPECT_EQ(decoded.frames, 8);
  EXPECT_EQ(decoded.total_centiseconds, 100);
  // The first frame is whole, top row first, and its two colours are exact (the page's most
  // used colours are in the palette).
  ASSERT_EQ(decoded.first_frame.size(), static_cast<std::size_t>(kWidth * kHeight));
  const GifColorType page = decoded.first_frame[0];
  const GifColorType square = decoded.first_frame[12 * kWidth + 2];
  EXPECT_EQ(page.Red, 26);
  EXPECT_EQ(page.Green, 27);
  EXPECT_EQ(page.Blue, 33);
  EXPECT_EQ(square.Red, 240);
  EXPECT_EQ(square.Green, 90);
  EXPECT_EQ(square.Blue, 60);
  // Nothing is left beside the file.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(GifRecorderFile, LaterFramesHoldOnlyTheirChangedRectangle) {
  std::string error;
  std::unique_ptr<GifRecorder> recorder = GifRecorder::Open(Path("clip.gif"), &error);
  ASSERT_NE(recorder, nullptr) << error;
  ASSERT_TRUE(recorder->AddFrame(Page(0), kWidth, kHeight, 0));
  ASSERT_TRUE(recorder->AddFrame(Page(40), kWidth, kHeight, 10));
  ASSERT_TRUE(recorder->Finish(20, &error)) << error;
  int code = 0;
  GifFileType* gif = DGifOpenFileName(Path("clip.gif").c_str(), &code);
  ASSERT_NE(gif, nullptr);
  ASSERT_EQ(DGifSlurp(gif), GIF_OK);
  ASSERT_EQ(gif->ImageCount, 2);
  const GifImageDesc& second = gif->SavedImages[1].ImageDesc;
  EXPECT_EQ(second.Left, 0);    // the square left x = 0..7
  EXPECT_EQ(second.Width, 48);  // and arrived at x = 40..47
  EXPECT_EQ(second.Top, 10);
  EXPECT_EQ(second.Height, 8);
  DGifCloseFile(gif, &code);
}

TEST_F(GifRecorderFile, AnUnwritableFolderIsReportedAtOpen) {
  std::string error;
  EXPECT_EQ(GifRecorder::Open(Path("no-such-folder/clip.gif"), &error), nullptr);
  EXPECT_NE(error.find("no-such-folder/clip.gif"), std::string::npos) << error;
}

TEST_F(GifRecorderFile, WithoutFinishNoFileIsLeft) {
  std::string error;
  {
    std::unique_ptr<GifRecorder> recorder = GifRecorder::Open(Path("clip.gif"), &error);
    ASSERT_NE(recorder, nullptr) << error;
    ASSERT_TRUE(recorder->AddFrame(Page(0), kWidth, kHeight, 0));
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

}  // namespace
}  // namespace bnlab
