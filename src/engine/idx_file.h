// IDX files (http://yann.lecun.com/exdb/mnist/), gzip-compressed or not: a big-endian header,
// then raw bytes, read in chunks with every header count checked before anything large is
// allocated. The reading half of the Fashion-MNIST loader (engine/fashion_loader.h).
#pragma once

#include "engine/types.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct gzFile_s;

namespace bnlab {

// What a missing file's message suggests.
inline constexpr const char* kFashionInstallHint =
    "install the Debian package dataset-fashion-mnist or pass --data-dir";

// One IDX file read through zlib (gzread reads a file without a gzip header as it is, so
// uncompressed IDX files load too; garbage then fails on the magic number). Every problem is a
// DataError naming the file.
class IdxFile {
 public:
  explicit IdxFile(std::string path);
  ~IdxFile();
  IdxFile(IdxFile&&) noexcept;
  IdxFile& operator=(IdxFile&&) noexcept;

  const std::string& path() const { return path_; }

  // After the header was read: fails unless a file of this size can hold `total` bytes once
  // decompressed, so a forged count is caught before anything is allocated or inflated.
  void ExpectRoomFor(std::uint64_t total, const std::string& claim);
  // Appends up to `chunk` more bytes to `bytes`, short of `total` in all (`what` names them in a
  // message: "pixel data"). The caller reserves `total` once: the pages are touched only as they
  // are filled, and nothing is copied as it grows. A file that ends early is a DataError.
  void ReadChunk(std::vector<unsigned char>& bytes, std::size_t total, std::size_t chunk, const char* what);
  // `count` bytes in one piece (a header, the labels).
  std::vector<unsigned char> ReadExactly(std::size_t count, const char* what);
  // Reading one byte past the data makes zlib verify the gzip checksum and length.
  void ExpectEnd(std::size_t data_bytes);

 private:
  std::size_t Read(unsigned char* out, std::size_t count);
  std::string TruncationNote();
  std::string ZlibMessage();

  std::string path_;
  struct Closer {
    void operator()(gzFile_s* file) const;
  };
  std::unique_ptr<gzFile_s, Closer> file_;
};

// An IDX image file whose header has been read and checked; the pixels follow.
struct ImageFile {
  IdxFile file;
  int count = 0;
  int rows = 0;
  int cols = 0;

  std::uint64_t image_bytes() const { return std::uint64_t{static_cast<std::uint32_t>(rows)} * cols; }
  std::uint64_t pixel_bytes() const { return std::uint64_t{static_cast<std::uint32_t>(count)} * image_bytes(); }
  // What loading it keeps: the pixels as the bytes they are read into, plus the labels.
  std::uint64_t load_bytes() const {
    return pixel_bytes() + std::uint64_t{static_cast<std::uint32_t>(count)} * sizeof(Label);
  }
};

// Opens an image file and checks its header: the magic number, a plausible size, and room in
// the file for the pixels it claims.
ImageFile OpenImages(const std::string& path);
// Opens the label file of `images` and checks its header against their count.
IdxFile OpenLabels(const std::string& path, const ImageFile& images);
// The `count` labels that follow the header, each checked to be a class (< classes).
Labels ReadLabels(IdxFile& file, int count, int classes);

}  // namespace bnlab
