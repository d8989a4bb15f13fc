#include "app/shell/screenshot.h"

#include "app/shell/gl.h"
#include <stb_image_write.h>

#include <cstring>
#include <vector>

namespace bnlab {
namespace {

void WriteToFile(void* context, void* data, int size) {
  static_cast<AtomicFile*>(context)->Write(data, static_cast<std::size_t>(size));
}

}  // namespace

std::vector<unsigned char> ReadFramebuffer(int width, int height) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  return pixels;
}

std::unique_ptr<ScreenshotFile> ScreenshotFile::Open(const std::string& path, std::string* error) {
  try {
    return std::unique_ptr<ScreenshotFile>(new ScreenshotFile(std::make_unique<AtomicFile>(path), path));
  } catch (const FileWriteError& write_error) {
    *error = write_error.what();
    return nullptr;
  }
}

ScreenshotFile::~ScreenshotFile() = default;

bool ScreenshotFile::WriteFramebuffer(int width, int height, std::string* error) {
  if (width <= 0 || height <= 0) {
    *error = "the window has no area (minimized?); nothing to save to '" + path_ + "'";
    return false;
  }
  const std::size_t row_bytes = static_cast<std::size_t>(width) * 4;
  const std::vector<unsigned char> pixels = ReadFramebuffer(width, height);
  // GL's first row is the bottom one; PNG's is the top. Opaque alpha: the window has no transparency.
  std::vector<unsigned char> flipped(pixels.size());
  for (int y = 0; y < height; ++y) {
    std::memcpy(&flipped[static_cast<std::size_t>(y) * row_bytes],
                &pixels[static_cast<std::size_t>(height - 1 - y) * row_bytes], row_bytes);
  }
  for (std::size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
  if (file_ == nullptr) {
    *error = "'" + path_ + "' was written already";
    return false;
  }
  const int ok =
      stbi_write_png_to_func(WriteToFile, file_.get(), width, height, 4, flipped.data(), static_cast<int>(row_bytes));
  const std::unique_ptr<AtomicFile> file = std::move(file_);
  if (ok == 0) {
    *error = "cannot write '" + path_ + "': the PNG could not be encoded";
    return false;
  }
  try {
    file->Commit();
  } catch (const FileWriteError& write_error) {
    *error = write_error.what();
    return false;
  }
  written_ = true;
  return true;
}

bool SaveFramebufferPng(const std::string& path, int width, int height, std::string* error) {
  std::unique_ptr<ScreenshotFile> file = ScreenshotFile::Open(path, error);
  return file && file->WriteFramebuffer(width, height, error);
}

}  // namespace bnlab
