// Checks that a screenshot shows something: enough distinct colours, and both the Plain
// and the BN colour (theme.h) present. Usage: png_check FILE [--need-colors]
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace {

struct Rgb {
  int r, g, b;
};
constexpr Rgb kPlain = {245, 133, 24};
constexpr Rgb kBn = {76, 160, 255};

bool Near(const unsigned char* p, Rgb c) {
  return std::abs(p[0] - c.r) <= 12 && std::abs(p[1] - c.g) <= 12 && std::abs(p[2] - c.b) <= 12;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: png_check FILE [--need-colors]\n");
    return 2;
  }
  const bool need_colors = argc > 2 && std::strcmp(argv[2], "--need-colors") == 0;
  int width = 0, height = 0, channels = 0;
  unsigned char* pixels = stbi_load(argv[1], &width, &height, &channels, 3);
  if (pixels == nullptr) {
    std::fprintf(stderr, "png_check: cannot read %s: %s\n", argv[1], stbi_failure_reason());
    return 1;
  }
  std::set<int> colors;
  long plain = 0, bn = 0;
  for (long i = 0; i < static_cast<long>(width) * height; ++i) {
    const unsigned char* p = pixels + 3 * i;
    colors.insert((p[0] << 16) | (p[1] << 8) | p[2]);
    plain += Near(p, kPlain) ? 1 : 0;
    bn += Near(p, kBn) ? 1 : 0;
  }
  stbi_image_free(pixels);
  std::printf("png_check: %dx%d, %zu distinct colours, %ld plain-coloured and %ld bn-coloured pixels\n", width, height,
              colors.size(), plain, bn);
  if (colors.size() < 64) {
    std::fprintf(stderr, "png_check: only %zu distinct colours: the window looks blank\n", colors.size());
    return 1;
  }
  if (need_colors && (plain < 50 || bn < 50)) {
    std::fprintf(stderr, "png_check: the Plain or the BN colour is missing\n");
    return 1;
  }
  return 0;
}
