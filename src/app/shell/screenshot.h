// Saving the window to PNG (stb_image_write).
#pragma once

#include <cstdio>
#include <memory>
#include <string>

namespace bnlab {

// A PNG file opened up front, so that an unwritable path is reported before any work.
class ScreenshotFile {
 public:
  static std::unique_ptr<ScreenshotFile> Open(const std::string& path, std::string* error);
  ~ScreenshotFile();
  ScreenshotFile(const ScreenshotFile&) = delete;
  ScreenshotFile& operator=(const ScreenshotFile&) = delete;

  // Reads the current GL back buffer (width × height) and writes it as PNG.
  bool WriteFramebuffer(int width, int height, std::string* error);
  bool written() const { return written_; }
  const std::string& path() const { return path_; }

 private:
  ScreenshotFile(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  std::FILE* file_;
  std::string path_;
  bool written_ = false;
};

// Opens `path` and writes the back buffer to it in one go (the S key).
bool SaveFramebufferPng(const std::string& path, int width, int height, std::string* error);

}  // namespace bnlab
