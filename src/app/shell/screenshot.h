// Saving the window to PNG (stb_image_write).
#pragma once

#include "settings/atomic_file.h"

#include <memory>
#include <string>
#include <vector>

namespace bnlab {

// A PNG file opened up front, so that an unwritable path is reported before any work. It
// replaces the old file whole or not at all (settings/atomic_file.h).
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
  ScreenshotFile(std::unique_ptr<AtomicFile> file, std::string path) : file_(std::move(file)), path_(std::move(path)) {}
  std::unique_ptr<AtomicFile> file_;  // null once written
  std::string path_;
  bool written_ = false;
};

// The current GL back buffer (width × height) as RGBA, rows bottom-up as GL gives them.
std::vector<unsigned char> ReadFramebuffer(int width, int height);

// Opens `path` and writes the back buffer to it in one go (the S key).
bool SaveFramebufferPng(const std::string& path, int width, int height, std::string* error);

}  // namespace bnlab
