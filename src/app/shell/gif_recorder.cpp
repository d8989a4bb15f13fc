#include "app/shell/gif_recorder.h"

#include "engine/platform.h"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

namespace bnlab {
namespace {

constexpr int kTransparent = 0;  // palette index of "as the frame before"
constexpr int kCubeLevels = 5;   // 5×5×5 = 125 colours for anything
constexpr int kPaletteSize = 256;
constexpr int kKeyBits = 5;  // colours are looked up by their top 5 bits per channel

int ColorKey(const unsigned char* rgba) {
  return ((rgba[0] >> 3) << (2 * kKeyBits)) | ((rgba[1] >> 3) << kKeyBits) | (rgba[2] >> 3);
}

}  // namespace

// Runs on the recorder's thread only.
class GifRecorder::Encoder {
 public:
  Encoder(std::unique_ptr<AtomicFile> file, std::string path) : file_(std::move(file)), path_(std::move(path)) {}
  ~Encoder() {
    if (gif_ != nullptr) EGifCloseFile(gif_, nullptr);  // the file is discarded with file_
  }

  // The frame as palette indices; the one before is written once this one's time is known.
  void Add(const Frame& frame, int width, int height) {
    if (!error_.empty()) return;
    if (gif_ == nullptr && !Begin(frame, width, height)) return;
    Map(frame.rgba, &next_);
    if (has_pending_ && next_ == pending_) return;  // nothing changed: the pending frame lasts longer
    if (has_pending_ && !WritePending(frame.centiseconds)) return;
    std::swap(pending_, next_);
    pending_centiseconds_ = frame.centiseconds;
    has_pending_ = true;
  }

  // Writes the last frame and the trailer, and replaces the file. Returns the file's size.
  std::size_t Finish(long end_centiseconds) {
    if (error_.empty() && gif_ == nullptr) error_ = "no frame was recorded into '" + path_ + "'";
    if (error_.empty() && has_pending_) WritePending(std::max(end_centiseconds, pending_centiseconds_ + 1));
    if (gif_ != nullptr) {
      int code = 0;
      if (EGifCloseFile(gif_, &code) != GIF_OK && error_.empty()) Fail(code);
      gif_ = nullptr;
    }
    if (!error_.empty()) return 0;
    try {
      file_->Commit();
    } catch (const FileWriteError& write_error) {
      error_ = write_error.what();
    }
    return bytes_;
  }

  const std::string& error() const { return error_; }
  int frames() const { return frames_; }

 private:
  bool Begin(const Frame& first, int width, int height) {
    width_ = width;
    height_ = height;
    BuildPalette(first.rgba);
    int code = 0;
    gif_ = EGifOpen(this, &Encoder::Output, &code);
    if (gif_ == nullptr) return Fail(code);
    EGifSetGifVersion(gif_, true);  // GIF89a: delays, transparency, looping
    ColorMapObject* map = GifMakeMapObject(kPaletteSize, palette_.data());
    const int screen = EGifPutScreenDesc(gif_, width, height, 8, 0, map);
    GifFreeMapObject(map);
    if (screen != GIF_OK) return Fail(gif_->Error);
    // The NETSCAPE2.0 block: loop for ever, as a clip on a slide should.
    static const GifByteType kLoop[] = {1, 0, 0};
    if (EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE) != GIF_OK ||
        EGifPutExtensionBlock(gif_, 11, "NETSCAPE2.0") != GIF_OK || EGifPutExtensionBlock(gif_, 3, kLoop) != GIF_OK ||
        EGifPutExtensionTrailer(gif_) != GIF_OK)
      return Fail(gif_->Error);
    shown_.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), -1);
    return true;
  }

  static int Output(GifFileType* gif, const GifByteType* data, int size) {
    Encoder* encoder = static_cast<Encoder*>(gif->UserData);
    encoder->file_->Write(data, static_cast<std::size_t>(size));
    encoder->bytes_ += static_cast<std::size_t>(size);
    return size;
  }

  bool Fail(int code) {
    const char* why = GifErrorString(code);
    error_ = "cannot write '" + path_ + "': " + (why != nullptr ? why : "the GIF could not be encoded");
    return false;
  }

  // Index 0 is transparent; then the colour cube; then the first frame's most used colours
  // (each the mean of its 15-bit bucket). Every 15-bit colour is then mapped once to its
  // nearest entry, so that a frame is mapped by one table look-up per pixel.
  void BuildPalette(const std::vector<unsigned char>& rgba) {
    palette_.fill(GifColorType{0, 0, 0});
    int used = 1;
    for (int r = 0; r < kCubeLevels; ++r)
      for (int g = 0; g < kCubeLevels; ++g)
        for (int b = 0; b < kCubeLevels; ++b) {
          auto level = [](int i) { return static_cast<GifByteType>(i * 255 / (kCubeLevels - 1)); };
          palette_[static_cast<std::size_t>(used++)] = GifColorType{level(r), level(g), level(b)};
        }
    constexpr int kKeys = 1 << (3 * kKeyBits);
    std::vector<std::array<std::uint64_t, 4>> buckets(kKeys, {0, 0, 0, 0});  // count, sum r, g, b
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
      std::array<std::uint64_t, 4>& bucket = buckets[static_cast<std::size_t>(ColorKey(&rgba[i]))];
      bucket[0] += 1;
      for (int c = 0; c < 3; ++c) bucket[static_cast<std::size_t>(c) + 1] += rgba[i + static_cast<std::size_t>(c)];
    }
    std::vector<int> keys(kKeys);
    for (int k = 0; k < kKeys; ++k) keys[static_cast<std::size_t>(k)] = k;
    const int most_used = kPaletteSize - used;
    std::partial_sort(keys.begin(), keys.begin() + most_used, keys.end(), [&](int a, int b) {
      return buckets[static_cast<std::size_t>(a)][0] > buckets[static_cast<std::size_t>(b)][0];
    });
    table_.assign(kKeys, 0);
    for (int i = 0; i < most_used; ++i) {
      const std::array<std::uint64_t, 4>& bucket = buckets[static_cast<std::size_t>(keys[static_cast<std::size_t>(i)])];
      if (bucket[0] == 0) break;
      auto mean = [&](int c) { return static_cast<GifByteType>(bucket[static_cast<std::size_t>(c)] / bucket[0]); };
      table_[static_cast<std::size_t>(keys[static_cast<std::size_t>(i)])] = static_cast<GifPixelType>(used);
      palette_[static_cast<std::size_t>(used++)] = GifColorType{mean(1), mean(2), mean(3)};
    }
    for (int key = 0; key < kKeys; ++key) {
      if (table_[static_cast<std::size_t>(key)] != 0) continue;
      const int r = ((key >> (2 * kKeyBits)) << 3) | 4, g = (((key >> kKeyBits) & 31) << 3) | 4,
                b = ((key & 31) << 3) | 4;
      int best = 1, best_distance = 1 << 30;
      for (int i = 1; i < used; ++i) {
        const GifColorType& c = palette_[static_cast<std::size_t>(i)];
        const int dr = r - c.Red, dg = g - c.Green, db = b - c.Blue;
        const int distance = dr * dr + dg * dg + db * db;
        if (distance < best_distance) best_distance = distance, best = i;
      }
      table_[static_cast<std::size_t>(key)] = static_cast<GifPixelType>(best);
    }
  }

  // Bottom-up RGBA to top-down palette indices.
  void Map(const std::vector<unsigned char>& rgba, std::vector<int>* indices) const {
    indices->resize(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_));
    const std::size_t row_bytes = static_cast<std::size_t>(width_) * 4;
    for (int y = 0; y < height_; ++y) {
      const unsigned char* row = &rgba[static_cast<std::size_t>(height_ - 1 - y) * row_bytes];
      int* out = &(*indices)[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_)];
      for (int x = 0; x < width_; ++x) out[x] = table_[static_cast<std::size_t>(ColorKey(row + 4 * x))];
    }
  }

  // The pending frame, shown until `until_centiseconds`: the rectangle where it differs from
  // what is on screen, its other pixels transparent.
  bool WritePending(long until_centiseconds) {
    int left = width_, right = -1, top = height_, bottom = -1;
    for (int y = 0; y < height_; ++y) {
      const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(width_);
      for (int x = 0; x < width_; ++x) {
        if (pending_[row + static_cast<std::size_t>(x)] == shown_[row + static_cast<std::size_t>(x)]) continue;
        left = std::min(left, x), right = std::max(right, x);
        top = std::min(top, y), bottom = std::max(bottom, y);
      }
    }
    if (right < 0) left = right = top = bottom = 0;  // same as on screen (a one-pixel frame keeps its time)
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.UserInputFlag = false;
    control.DelayTime = static_cast<int>(std::min(until_centiseconds - pending_centiseconds_, 65535L));
    control.TransparentColor = kTransparent;
    GifByteType extension[4];
    EGifGCBToExtension(&control, extension);
    const int w = right - left + 1, h = bottom - top + 1;
    if (EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, 4, extension) != GIF_OK ||
        EGifPutImageDesc(gif_, left, top, w, h, false, nullptr) != GIF_OK)
      return Fail(gif_->Error);
    line_.resize(static_cast<std::size_t>(w));
    for (int y = top; y <= bottom; ++y) {
      const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(width_);
      for (int x = left; x <= right; ++x) {
        const std::size_t i = row + static_cast<std::size_t>(x);
        const bool same = pending_[i] == shown_[i];
        line_[static_cast<std::size_t>(x - left)] = static_cast<GifPixelType>(same ? kTransparent : pending_[i]);
        shown_[i] = pending_[i];
      }
      if (EGifPutLine(gif_, line_.data(), w) != GIF_OK) return Fail(gif_->Error);
    }
    ++frames_;
    return true;
  }

  std::unique_ptr<AtomicFile> file_;
  std::string path_;
  std::string error_;  // the first failure; nothing more is written after it
  GifFileType* gif_ = nullptr;
  int width_ = 0, height_ = 0;
  std::array<GifColorType, kPaletteSize> palette_{};
  std::vector<GifPixelType> table_;  // 15-bit colour → palette index
  std::vector<int> shown_;           // what a player shows after the frames written (-1: nothing yet)
  std::vector<int> pending_;         // the newest distinct frame, not yet written
  std::vector<int> next_;            // the frame being mapped
  long pending_centiseconds_ = 0;
  bool has_pending_ = false;
  std::vector<GifPixelType> line_;
  std::size_t bytes_ = 0;
  int frames_ = 0;
};

std::unique_ptr<GifRecorder> GifRecorder::Open(const std::string& path, std::string* error) {
  if (!kThreadsAvailable) {
    *error = "GIF clips are not available in the browser (the encoder needs a thread of its own)";
    return nullptr;
  }
  try {
    return std::unique_ptr<GifRecorder>(new GifRecorder(std::make_unique<AtomicFile>(path), path));
  } catch (const FileWriteError& write_error) {
    *error = write_error.what();
    return nullptr;
  }
}

GifRecorder::GifRecorder(std::unique_ptr<AtomicFile> file, std::string path)
    : path_(std::move(path)), encoder_(std::make_unique<Encoder>(std::move(file), path_)) {
  worker_ = std::thread([this] { Work(); });
}

GifRecorder::~GifRecorder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

bool GifRecorder::TryAddFrame(std::vector<unsigned char> rgba, int width, int height, long centiseconds) {
  return Enqueue(std::move(rgba), width, height, centiseconds, false);
}

bool GifRecorder::AddFrame(std::vector<unsigned char> rgba, int width, int height, long centiseconds) {
  return Enqueue(std::move(rgba), width, height, centiseconds, true);
}

bool GifRecorder::Enqueue(std::vector<unsigned char> rgba, int width, int height, long centiseconds, bool wait) {
  if (width <= 0 || height <= 0 ||
      rgba.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4)
    return false;
  if (width_ == 0) width_ = width, height_ = height;
  if (width != width_ || height != height_) return false;
  std::unique_lock<std::mutex> lock(mutex_);
  if (closing_) return false;
  if (wait) changed_.wait(lock, [&] { return queue_.empty() || queued_bytes_ + rgba.size() <= kMaxPendingBytes; });
  else if (!queue_.empty() && queued_bytes_ + rgba.size() > kMaxPendingBytes) return false;
  queued_bytes_ += rgba.size();
  queue_.push_back(Frame{std::move(rgba), centiseconds});
  lock.unlock();
  changed_.notify_all();
  return true;
}

void GifRecorder::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (queue_.empty()) return;  // closing, and every frame encoded
    Frame frame = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    encoder_->Add(frame, width_, height_);
    frames_written_ = encoder_->frames();
    lock.lock();
    queued_bytes_ -= frame.rgba.size();
    changed_.notify_all();
  }
}

bool GifRecorder::Finish(long end_centiseconds, std::string* error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
  bytes_written_ = encoder_->Finish(end_centiseconds);
  frames_written_ = encoder_->frames();
  if (encoder_->error().empty()) return true;
  *error = encoder_->error();
  return false;
}

}  // namespace bnlab
