// IDX files read through zlib, in chunks, their headers checked first (idx_file.h).
#include "engine/idx_file.h"

#include "engine/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

namespace bnlab {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kImageMagic = 2051;  // 0x00000803: unsigned bytes, 3 dimensions
constexpr std::uint32_t kLabelMagic = 2049;  // 0x00000801: unsigned bytes, 1 dimension
// Deflate cannot expand data by more than about 1032:1 (a 258-byte match per bit pair at
// best), so a gzip file of n bytes holds at most this many times n bytes.
constexpr std::uint64_t kMaxInflateRatio = 1032;
// The four 32-bit header words take 16 bytes, the label file's two 8.
constexpr std::uint64_t kImageHeaderBytes = 16;
constexpr std::uint64_t kLabelHeaderBytes = 8;

[[noreturn]] void Fail(const std::string& path, const std::string& problem) { throw DataError(path + ": " + problem); }

std::uint32_t BigEndian32(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

// Returns the header's 32-bit fields after the magic number, which it checks.
template <std::size_t kFields>
std::array<std::uint32_t, kFields> ReadHeader(IdxFile& file, std::uint32_t magic, const char* kind) {
  const std::vector<unsigned char> bytes = file.ReadExactly(4 * (kFields + 1), "header");
  const std::uint32_t found = BigEndian32(bytes.data());
  if (found != magic) {
    std::string problem = "wrong magic number " + std::to_string(found) + " (expected " + std::to_string(magic) +
                          " for an IDX " + kind + " file)";
    if (found == kImageMagic || found == kLabelMagic) {
      problem += "; this is the other kind of IDX file: are the file names swapped?";
    } else {
      problem += "; the file is not an IDX file or is damaged";
    }
    Fail(file.path(), problem);
  }
  std::array<std::uint32_t, kFields> fields{};
  for (std::size_t i = 0; i < kFields; ++i) fields[i] = BigEndian32(bytes.data() + 4 * (i + 1));
  return fields;
}

}  // namespace

void IdxFile::Closer::operator()(gzFile_s* file) const { gzclose(file); }

IdxFile::IdxFile(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  if (!fs::exists(path_, ec)) {
    if (ec) Fail(path_, ec.message());  // there but not reachable: a symlink loop, no permission
    Fail(path_, std::string("file not found; the directory must hold the four Fashion-MNIST IDX .gz files (") +
                    kFashionInstallHint + ")");
  }
  if (fs::is_directory(path_, ec)) Fail(path_, "is a directory, expected an IDX .gz file");
  errno = 0;
  file_.reset(gzopen(path_.c_str(), "rb"));
  if (!file_) Fail(path_, std::string("cannot open: ") + (errno != 0 ? std::strerror(errno) : "out of memory"));
}

IdxFile::~IdxFile() = default;
IdxFile::IdxFile(IdxFile&&) noexcept = default;
IdxFile& IdxFile::operator=(IdxFile&&) noexcept = default;

void IdxFile::ExpectRoomFor(std::uint64_t total, const std::string& claim) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path_, ec);
  if (ec) return;  // not a regular file (a pipe): the chunked reads still bound memory
  if (gzdirect(file_.get()) == 1) {
    if (total > size) {
      Fail(path_, "truncated: the header claims " + claim + " (" + std::to_string(total) +
                      " bytes with the header) but the file has " + std::to_string(size) + " bytes");
    }
  } else if (total / kMaxInflateRatio > size) {
    Fail(path_, "the header claims " + claim + " (" + std::to_string(total) + " bytes) but a gzip file of " +
                    std::to_string(size) + " bytes holds at most " + std::to_string(kMaxInflateRatio) +
                    " times that: the header is damaged or the file was cut off");
  }
}

void IdxFile::ReadChunk(std::vector<unsigned char>& bytes, std::size_t total, std::size_t chunk, const char* what) {
  const std::size_t got = bytes.size();
  const std::size_t want = std::min(chunk, total - got);
  bytes.resize(got + want);
  const std::size_t read = Read(bytes.data() + got, want);
  if (read < want) {
    Fail(path_, "truncated: expected " + std::to_string(total) + " bytes of " + what + ", got " +
                    std::to_string(got + read) + TruncationNote());
  }
}

std::vector<unsigned char> IdxFile::ReadExactly(std::size_t count, const char* what) {
  std::vector<unsigned char> bytes;
  bytes.reserve(count);
  ReadChunk(bytes, count, count, what);
  return bytes;
}

// Z_BUF_ERROR after a short read means the compressed stream itself was cut off.
std::string IdxFile::TruncationNote() {
  int code = Z_OK;
  gzerror(file_.get(), &code);
  return code == Z_BUF_ERROR ? " (the gzip stream ends early: the file was cut off)" : "";
}

void IdxFile::ExpectEnd(std::size_t data_bytes) {
  unsigned char extra = 0;
  if (Read(&extra, 1) != 0) {
    Fail(path_, "more data than the header promises (" + std::to_string(data_bytes) +
                    " bytes); the header's counts or sizes are wrong");
  }
  if (!TruncationNote().empty()) Fail(path_, "the gzip stream ends before its checksum: the file was cut off");
}

// Fewer than `count` bytes only at the end of the data (gzread's contract).
std::size_t IdxFile::Read(unsigned char* out, std::size_t count) {
  if (count == 0) return 0;
  const int got = gzread(file_.get(), out, static_cast<unsigned>(count));
  int code = Z_OK;
  gzerror(file_.get(), &code);
  if (got < 0 || (code != Z_OK && code != Z_BUF_ERROR)) Fail(path_, "corrupt gzip data (" + ZlibMessage() + ")");
  return static_cast<std::size_t>(got);
}

// zlib prefixes its messages with the path; ours already start with it.
std::string IdxFile::ZlibMessage() {
  int code = Z_OK;
  const char* text = gzerror(file_.get(), &code);
  std::string message = text != nullptr ? text : "unknown zlib error";
  const std::string prefix = path_ + ": ";
  if (message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
  return message;
}

ImageFile OpenImages(const std::string& path) {
  IdxFile file(path);
  const auto [count, rows, cols] = ReadHeader<3>(file, kImageMagic, "image");
  // Any image size is fine as long as train and test agree; these bounds only stop a
  // damaged header from asking for gigabytes (sizes are ints throughout the engine).
  const std::uint64_t bytes = std::uint64_t{count} * rows * cols;
  const std::string claim =
      std::to_string(count) + " images of " + std::to_string(rows) + "x" + std::to_string(cols) + " pixels";
  if (count == 0 || rows == 0 || cols == 0 || rows > 4096 || cols > 4096 || bytes > INT_MAX) {
    Fail(path, "implausible header: " + claim);
  }
  file.ExpectRoomFor(kImageHeaderBytes + bytes, claim);
  return ImageFile{std::move(file), static_cast<int>(count), static_cast<int>(rows), static_cast<int>(cols)};
}

IdxFile OpenLabels(const std::string& path, const ImageFile& images) {
  IdxFile file(path);
  const auto [count] = ReadHeader<1>(file, kLabelMagic, "label");
  if (count != static_cast<std::uint32_t>(images.count)) {
    Fail(path, "mismatched counts: " + std::to_string(images.count) + " images but " + std::to_string(count) +
                   " labels (the images are in " + images.file.path() + ")");
  }
  file.ExpectRoomFor(kLabelHeaderBytes + count, std::to_string(count) + " labels");
  return file;
}

Labels ReadLabels(IdxFile& file, int count, int classes) {
  const std::vector<unsigned char> bytes = file.ReadExactly(static_cast<std::size_t>(count), "label data");
  file.ExpectEnd(bytes.size());
  Labels labels(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] >= classes) {
      Fail(file.path(), "label " + std::to_string(bytes[i]) + " at index " + std::to_string(i) +
                            " is out of range 0.." + std::to_string(classes - 1));
    }
    labels[i] = bytes[i];
  }
  return labels;
}

}  // namespace bnlab
