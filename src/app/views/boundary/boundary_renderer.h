// The decision-boundary image of one network, drawn on the GPU: the class-probability grid
// goes up as a float texture, shaders/boundary.frag turns it into colours in an offscreen
// framebuffer, shaders/test_points.* draw the test points on it, and the framebuffer's texture
// is shown with plot::PlotImage. The image is drawn again only when the map, the points or its
// size change, so a frame costs one textured square per net, not a thousand circles.
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
  // The image spans [lo, hi]² of the plane; the points' discs, in image pixels.
  float lo = 0.0f, hi = 1.0f;
  float point_radius = 0.0f;   // the class colour
  float point_outline = 0.0f;  // the dark rim around it
};

// The test points, in the plane's coordinates, with their class colours.
struct BoundaryPoints {
  const float* x = nullptr;
  const float* y = nullptr;
  const ImU32* colors = nullptr;
  int count = 0;
  ImU32 outline_color = 0;
};

class BoundaryRenderer {
 public:
  BoundaryRenderer() = default;
  // Deletes its GL objects: destroy it while the GL context that made them is current.
  ~BoundaryRenderer();
  BoundaryRenderer(const BoundaryRenderer&) = delete;
  BoundaryRenderer& operator=(const BoundaryRenderer&) = delete;

  // Draws `probabilities` (grid × grid cells, row 0 at the bottom, num_classes floats per
  // cell) into an image_size² texture with `points` on top, unless `key`, the values and the
  // points equal the last call's. Needs the GL context current; leaves the GL state as it
  // found it. Returns false when the GPU path is unusable (no GL 3.3, shader or framebuffer
  // failure: failed() turns true and failure() says why); the caller then draws on the CPU.
  bool Update(const BoundaryImageKey& key, const float* probabilities, const BoundaryPoints& points);

  // The rendered image for ImGui (valid after Update returned true); first row = bottom.
  ImTextureID texture() const;
  bool failed() const { return failed_; }
  // What failed, with the driver's log where there is one ("shaders/boundary.frag does not
  // compile:\n..."); empty while nothing has.
  const std::string& failure() const { return failure_; }

 private:
  // Deletes the GL objects (the destructor: the context that made them must be current).
  void DeleteGlObjects();
  // Compiles and links a vertex and a fragment shader (named as in shaders/ for the failure
  // message); 0 when that fails.
  unsigned int LinkProgram(const char* vertex_source, const char* vertex_file, const char* fragment_source,
                           const char* fragment_file);
  bool CreateProgram();
  bool CreatePointsProgram();
  bool CreateProbabilityTextures(int grid);
  bool CreateTarget(int image_size);
  void UploadProbabilities(const float* probabilities, int grid, int num_classes);
  // Packs `points` as vertices; true when they differ from the ones on the image.
  bool PackPoints(const BoundaryPoints& points);
  void UploadPoints();  // the packed points, now the image's
  void Render(const BoundaryImageKey& key);
  void RenderPoints(const BoundaryImageKey& key);
  void Fail(const char* what, const char* detail);

  bool failed_ = false;
  std::string failure_;
  unsigned int program_ = 0;
  unsigned int vertex_array_ = 0;  // empty: the vertex shader builds its triangle
  unsigned int points_program_ = 0;
  unsigned int points_array_ = 0;   // the points' attributes: position, colour
  unsigned int points_buffer_ = 0;  // (x, y, RGBA8) per point
  // Two sets, used in turn: an update draws into the set not on screen. Writing to what a
  // frame still being drawn reads would wait for that frame (a software renderer may be a frame
  // behind: 5-10 ms under llvmpipe).
  struct ImageBuffers {
    unsigned int low = 0;          // RGBA32F grid², log p of classes 0..3
    unsigned int high = 0;         // RGBA32F grid², classes 4..7
    unsigned int framebuffer = 0;  // draws into color
    unsigned int color = 0;        // RGBA8 image_size², what ImGui shows
  };
  ImageBuffers buffers_[2];
  int shown_ = 0;  // the set of the current image
  int grid_ = 0;
  int image_size_ = 0;
  bool has_image_ = false;
  BoundaryImageKey key_;
  std::vector<float> uploaded_;  // the values behind the current image
  struct PointVertex {
    float x, y;
    ImU32 color;
  };
  std::vector<PointVertex> points_;          // the points behind the current image
  std::vector<PointVertex> scratch_points_;  // packed by the latest Update
  ImU32 outline_color_ = 0;
  ImU32 scratch_outline_ = 0;
  std::vector<float> texels_;  // (grid², 4) scratch, repacked per texture
};

}  // namespace bnlab
