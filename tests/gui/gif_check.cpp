// Checks a clip written by bnlab --record: decodes it with giflib and compares its screen size,
// its frame count and its length (the frames' delays added up) with what was asked; the frames
// must differ (training was running), so every frame after the first holds a changed pixel.
// usage: gif_check FILE.gif WIDTH HEIGHT MIN_FRAMES MAX_FRAMES CENTISECONDS
#include <gif_lib.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: gif_check FILE.gif WIDTH HEIGHT MIN_FRAMES MAX_FRAMES CENTISECONDS\n");
    return 2;
  }
  const int width = std::atoi(argv[2]), height = std::atoi(argv[3]);
  const int min_frames = std::atoi(argv[4]), max_frames = std::atoi(argv[5]), centiseconds = std::atoi(argv[6]);
  int error = 0;
  GifFileType* gif = DGifOpenFileName(argv[1], &error);
  if (gif == nullptr) {
    std::fprintf(stderr, "gif_check: cannot open %s: %s\n", argv[1], GifErrorString(error));
    return 1;
  }
  if (DGifSlurp(gif) != GIF_OK) {
    std::fprintf(stderr, "gif_check: cannot decode %s: %s\n", argv[1], GifErrorString(gif->Error));
    DGifCloseFile(gif, &error);
    return 1;
  }
  int total = 0, changed = 0;
  for (int i = 0; i < gif->ImageCount; ++i) {
    GraphicsControlBlock control{};
    if (DGifSavedExtensionToGCB(gif, i, &control) == GIF_OK) total += control.DelayTime;
    const SavedImage& image = gif->SavedImages[i];
    const long pixels = static_cast<long>(image.ImageDesc.Width) * image.ImageDesc.Height;
    for (long p = 0; p < pixels; ++p) {
      if (image.RasterBits[p] != control.TransparentColor) {
        ++changed;
        break;
      }
    }
  }
  std::printf("gif_check: %s: %dx%d, %d frames, %.2f s, %d with changed pixels\n", argv[1], gif->SWidth, gif->SHeight,
              gif->ImageCount, total / 100.0, changed);
  int failed = 0;
  if (gif->SWidth != width || gif->SHeight != height) {
    std::fprintf(stderr, "gif_check: size %dx%d, expected %dx%d\n", gif->SWidth, gif->SHeight, width, height);
    failed = 1;
  }
  if (gif->ImageCount < min_frames || gif->ImageCount > max_frames) {
    std::fprintf(stderr, "gif_check: %d frames, expected %d to %d\n", gif->ImageCount, min_frames, max_frames);
    failed = 1;
  }
  if (total != centiseconds) {
    std::fprintf(stderr, "gif_check: %d centiseconds long, expected %d\n", total, centiseconds);
    failed = 1;
  }
  if (changed != gif->ImageCount) {
    std::fprintf(stderr, "gif_check: %d of %d frames change nothing\n", gif->ImageCount - changed, gif->ImageCount);
    failed = 1;
  }
  DGifCloseFile(gif, &error);
  return failed;
}
