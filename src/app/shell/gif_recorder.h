// A clip of the window as an animated GIF (giflib), for slides: PowerPoint, Keynote and Google
// Slides all play GIF. The frame loop hands over each captured frame (a copy of the pixels, a
// few milliseconds); a thread of the recorder's own quantizes and encodes it, so the window
// never waits for the encoder.
//
// Small files: one global palette (a 5×5×5 colour cube for anything, and the 130 colours most
// used in the first frame: the theme's backgrounds, text and plot colours exactly), each frame
// only the rectangle that changed, its unchanged pixels transparent (LZW packs them into
// almost nothing), and a frame identical to the one before folded into its display time.
#pragma once

#include "settings/atomic_file.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bnlab {

class GifRecorder {
 public:
  // 10 frames a second: the curves grow smoothly at it, GIF's delays are whole centiseconds
  // (10 divides 100), and every player honours it (many clamp delays under 2 cs). More
  // frames would mostly add file size: the views' figures change 30 times a second at most.
  static constexpr int kFrameCentiseconds = 10;
  // The frames waiting for the encoder are capped at this many bytes (about 17 frames at
  // 1280×720); beyond it TryAddFrame drops the frame (the one before is shown longer).
  static constexpr std::size_t kMaxPendingBytes = std::size_t{64} << 20;

  // Opens the file up front (settings/atomic_file.h), so that an unwritable path is reported
  // before any work; nullptr with `error` set when it cannot be written.
  static std::unique_ptr<GifRecorder> Open(const std::string& path, std::string* error);
  // Without Finish the file is not written (the old one stays as it was).
  ~GifRecorder();
  GifRecorder(const GifRecorder&) = delete;
  GifRecorder& operator=(const GifRecorder&) = delete;

  // One frame: width × height RGBA pixels, rows bottom-up as glReadPixels gives them, shown
  // from `centiseconds` after the recording began. The first frame sets the GIF's size; a frame
  // of another size is refused (false), as the window's size is the clip's.
  // TryAddFrame drops the frame (false) when the encoder is kMaxPendingBytes behind;
  // AddFrame waits for it instead (a recorded run, whose every frame is wanted).
  bool TryAddFrame(std::vector<unsigned char> rgba, int width, int height, long centiseconds);
  bool AddFrame(std::vector<unsigned char> rgba, int width, int height, long centiseconds);

  // Waits for the encoder, ends the last frame at `end_centiseconds` and replaces the file.
  // False, with `error` naming the file, when it could not be written.
  bool Finish(long end_centiseconds, std::string* error);

  const std::string& path() const { return path_; }
  int width() const { return width_; }
  int height() const { return height_; }
  // Frames written so far (identical frames are one); after Finish, all of them.
  int frames_written() const { return frames_written_; }
  // The file's size in bytes after Finish.
  std::size_t bytes_written() const { return bytes_written_; }

 private:
  struct Frame {
    std::vector<unsigned char> rgba;  // bottom-up rows, width_ × height_
    long centiseconds = 0;
  };
  class Encoder;

  GifRecorder(std::unique_ptr<AtomicFile> file, std::string path);
  bool Enqueue(std::vector<unsigned char> rgba, int width, int height, long centiseconds, bool wait);
  void Work();

  std::string path_;
  int width_ = 0, height_ = 0;  // 0 until the first frame
  std::unique_ptr<Encoder> encoder_;
  std::size_t bytes_written_ = 0;
  std::atomic<int> frames_written_{0};

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Frame> queue_;       // guarded by mutex_
  std::size_t queued_bytes_ = 0;  // guarded by mutex_
  bool closing_ = false;          // guarded by mutex_: Finish was called
  std::thread worker_;
};

}  // namespace bnlab
