// Checks that a screenshot shows something: enough distinct colours, and both the Plain
// and the BN colour (theme.h) present, and any other colour asked for.
// Usage: png_check FILE [--need-colors] [--need-rgb R,G,B]...
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <vector>

namespace {

struct Rgb {
  int r, g, b;
};
constexpr Rgb kPlain = {245, 133, 24};
constexpr Rgb kBn = {76, 160, 255};

// Pixels of a colour asked for with --need-rgb: more than a legend's dot of it (~60 pixels).
constexpr long kMinRgbPixels = 300;

bool Near(const unsigned char* p, Rgb c) {
  return std::abs(p[0] - c.r) <= 12 && std::abs(p[1] - c.g) <= 12 && std::abs(p[2] - c.b) <= 12;
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage = "usage: png_check FILE [--need-colors] [--need-rgb R,G,B]...\n";
  if (argc < 2) {
    std::fprintf(stderr, "%s", usage);
    return 2;
  }
  bool need_colors = false;
  std::vector<Rgb> need_rgb;
  for (int i = 2; i < argc; ++i) {
    Rgb rgb{};
    if (std::strcmp(argv[i], "--need-colors") == 0) {
      need_colors = true;
    } else if (std::strcmp(argv[i], "--need-rgb") == 0 && i + 1 < argc &&
               std::sscanf(argv[i + 1], "%d,%d,%d", &rgb.r, &rgb.g, &rgb.b) == 3) {
      need_rgb.push_back(rgb);
      ++i;
    } else {
      std::fprintf(stderr, "png_check: unknown argument '%s'\n%s", argv[i], usage);
      return 2;
    }
  }
  int width = 0, height = 0, channels = 0;
  unsigned char* pixels = stbi_load(argv[1], &width, &height, &channels, 3);
  if (pixels == nullptr) {
    std::fprintf(stderr, "png_check: cannot read %s: %s\n", argv[1], stbi_failure_reason());
    return 1;
  }
  std::set<int> colors;
  long plain = 0, bn = 0;
  std::vector<long> rgb_pixels(need_rgb.size(), 0);
  for (long i = 0; i < static_cast<long>(width) * height; ++i) {
    const unsigned char* p = pixels + 3 * i;
    colors.insert((p[0] << 16) | (p[1] << 8) | p[2]);
    plain += Near(p, kPlain) ? 1 : 0;
    bn += Near(p, kBn) ? 1 : 0;
    for (std::size_t k = 0; k < need_rgb.size(); ++k) rgb_pixels[k] += Near(p, need_rgb[k]) ? 1 : 0;
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
  for (std::size_t k = 0; k < need_rgb.size(); ++k) {
    std::printf("png_check: %ld pixels of %d,%d,%d\n", rgb_pixels[k], need_rgb[k].r, need_rgb[k].g, need_rgb[k].b);
    if (rgb_pixels[k] < kMinRgbPixels) {
      std::fprintf(stderr, "png_check: fewer than %ld pixels of %d,%d,%d\n", kMinRgbPixels, need_rgb[k].r,
                   need_rgb[k].g, need_rgb[k].b);
      return 1;
    }
  }
  return 0;
}
