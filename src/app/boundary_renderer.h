// The decision-boundary image of one network, drawn on the GPU: the class-probability grid
// goes up as a float texture, shaders/boundary.frag turns it into colours in an offscreen
// framebuffer, and the framebuffer's texture is shown with plot::PlotImage.
//
// Free of GL headers on purpose (GL names are plain unsigned ints here), so any file may
// include it without minding libepoxy's "include me first" rule.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bnlab {

// Class colours of the points and the map; none is the Plain orange or the BN blue, so a
// class is never mistaken for a network. Up to 8 classes.
inline constexpr int kMaxBoundaryClasses = 8;
ImU32 BoundaryClassColor(int class_index);

// What the image shows, to redraw only when it changed.
struct BoundaryImageKey {
  std::uint64_t generation = 0;  // Snapshot::generation
  long step = -1;                // Snapshot::step
  int grid = 0;                  // cells per side
  int num_classes = 0;
  int image_size = 0;  // pixels per side of the rendered image
};

class BoundaryRenderer {
 public:
  BoundaryRenderer() = default;
  // Deletes its GL objects: destroy it while the GL context that made them is current.
  ~BoundaryRenderer();
  BoundaryRenderer(const BoundaryRenderer&) = delete;
  BoundaryRenderer& operator=(const BoundaryRenderer&) = delete;

  // Draws `probabilities` (grid × grid cells, row 0 at the bottom, num_classes floats per
  // cell) into an image_size² texture, unless `key` and the values equal the last call's.
  // Needs the GL context current; leaves the GL state as it found it. Returns false when
  // the GPU path is unusable (no GL 3.3, shader or framebuffer failure: failed() turns true and
  // failure() says why); the caller then draws the map on the CPU.
  bool Update(const BoundaryImageKey& key, const float* probabilities);

  // The rendered image for ImGui (valid after Update returned true); first row = bottom.
  ImTextureID texture() const;
  bool failed() const { return failed_; }
  // What failed, with the driver's log where there is one ("shaders/boundary.frag does not
  // compile:\n..."); empty while nothing has.
  const std::string& failure() const { return failure_; }

 private:
  // Deletes the GL objects (the destructor: the context that made them must be current).
  void DeleteGlObjects();
  bool CreateProgram();
  bool CreateProbabilityTextures(int grid);
  bool CreateTarget(int image_size);
  void UploadProbabilities(const float* probabilities, int grid, int num_classes);
  void Render(int num_classes, int image_size);
  void Fail(const char* what, const char* detail);

  bool failed_ = false;
  std::string failure_;
  unsigned int program_ = 0;
  unsigned int vertex_array_ = 0;  // empty: the vertex shader builds its triangle
  unsigned int probs_low_ = 0;     // RGBA32F grid², classes 0..3
  unsigned int probs_high_ = 0;    // RGBA32F grid², classes 4..7
  unsigned int framebuffer_ = 0;
  unsigned int color_ = 0;  // RGBA8 image_size², what ImGui shows
  int grid_ = 0;
  int image_size_ = 0;
  bool has_image_ = false;
  BoundaryImageKey key_;
  std::vector<float> uploaded_;  // the values behind the current image
  std::vector<float> texels_;    // (grid², 4) scratch, repacked per texture
};

}  // namespace bnlab
