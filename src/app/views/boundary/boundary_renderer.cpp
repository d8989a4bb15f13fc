#include "app/shell/gl.h"  // before any other GL header

#include "app/views/boundary/boundary_renderer.h"

#include "app/views/boundary/shaders.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace bnlab {
namespace {

// Point colours at full strength; the map uses them dimmed (kRegionStrength) so the test
// points, drawn on top in these colours, stand out from the region they sit in.
constexpr std::array<ImU32, kMaxBoundaryClasses> kClassColors = {
    IM_COL32(232, 76, 160, 255),   // magenta
    IM_COL32(64, 196, 110, 255),   // green
    IM_COL32(240, 210, 60, 255),   // yellow
    IM_COL32(160, 120, 255, 255),  // violet
    IM_COL32(60, 210, 210, 255),   // cyan
    IM_COL32(225, 60, 50, 255),    // red
    IM_COL32(185, 150, 100, 255),  // tan
    IM_COL32(235, 235, 235, 255),  // white
};
constexpr float kRegionStrength = 0.62f;
constexpr float kUnsureColor[3] = {0.22f, 0.22f, 0.24f};  // a uniform guess: grey, lighter than the window
constexpr float kLineColor[3] = {0.04f, 0.04f, 0.05f};
constexpr float kLinePixels = 2.0f;  // at the image's resolution, which is about the screen's
constexpr float kLogFloor = -80.0f;  // log p below this is p = 0 in float precision anyway

// Saves the GL state the boundary pass touches and puts it back on destruction, so the
// ImGui OpenGL3 backend (and the main loop's clear) find what they left.
class GlStateGuard {
 public:
  GlStateGuard() {
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_framebuffer_);
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_framebuffer_);
    glGetIntegerv(GL_VIEWPORT, viewport_);
    glGetIntegerv(GL_CURRENT_PROGRAM, &program_);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vertex_array_);
    glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &array_buffer_);
    glGetIntegerv(GL_BLEND_SRC_RGB, &blend_[0]);
    glGetIntegerv(GL_BLEND_DST_RGB, &blend_[1]);
    glGetIntegerv(GL_BLEND_SRC_ALPHA, &blend_[2]);
    glGetIntegerv(GL_BLEND_DST_ALPHA, &blend_[3]);
    glGetIntegerv(GL_BLEND_EQUATION_RGB, &blend_equation_[0]);
    glGetIntegerv(GL_BLEND_EQUATION_ALPHA, &blend_equation_[1]);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture_);
    for (GLuint unit = 0; unit < 2; ++unit) {
      glActiveTexture(GL_TEXTURE0 + unit);
      glGetIntegerv(GL_TEXTURE_BINDING_2D, &textures_[unit]);
      glGetIntegerv(GL_SAMPLER_BINDING, &samplers_[unit]);
    }
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &unpack_alignment_);
    glGetIntegerv(GL_UNPACK_ROW_LENGTH, &unpack_row_length_);
    for (std::size_t i = 0; i < kCapabilities.size(); ++i) enabled_[i] = glIsEnabled(kCapabilities[i]);
  }
  ~GlStateGuard() {
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(draw_framebuffer_));
    glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(read_framebuffer_));
    glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
    glUseProgram(static_cast<GLuint>(program_));
    glBindVertexArray(static_cast<GLuint>(vertex_array_));
    glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(array_buffer_));
    glBlendFuncSeparate(static_cast<GLenum>(blend_[0]), static_cast<GLenum>(blend_[1]), static_cast<GLenum>(blend_[2]),
                        static_cast<GLenum>(blend_[3]));
    glBlendEquationSeparate(static_cast<GLenum>(blend_equation_[0]), static_cast<GLenum>(blend_equation_[1]));
    for (GLuint unit = 0; unit < 2; ++unit) {
      glActiveTexture(GL_TEXTURE0 + unit);
      glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(textures_[unit]));
      glBindSampler(unit, static_cast<GLuint>(samplers_[unit]));
    }
    glActiveTexture(static_cast<GLenum>(active_texture_));
    glPixelStorei(GL_UNPACK_ALIGNMENT, unpack_alignment_);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, unpack_row_length_);
    for (std::size_t i = 0; i < kCapabilities.size(); ++i) {
      if (enabled_[i]) glEnable(kCapabilities[i]);
      else glDisable(kCapabilities[i]);
    }
  }
  GlStateGuard(const GlStateGuard&) = delete;
  GlStateGuard& operator=(const GlStateGuard&) = delete;

  // The pass wants none of these: a left-over scissor or blend would cut or tint the image.
  static void DisableCapabilities() {
    for (GLenum capability : kCapabilities) glDisable(capability);
  }

 private:
  static constexpr const auto& kCapabilities = kPassCapabilities;  // (app/shell/gl.h)
  GLint draw_framebuffer_ = 0, read_framebuffer_ = 0;
  GLint viewport_[4] = {0, 0, 0, 0};
  GLint program_ = 0, vertex_array_ = 0, array_buffer_ = 0, active_texture_ = GL_TEXTURE0;
  GLint blend_[4] = {GL_ONE, GL_ZERO, GL_ONE, GL_ZERO};
  GLint blend_equation_[2] = {GL_FUNC_ADD, GL_FUNC_ADD};
  GLint textures_[2] = {0, 0}, samplers_[2] = {0, 0};
  GLint unpack_alignment_ = 4, unpack_row_length_ = 0;
  std::array<GLboolean, kCapabilities.size()> enabled_{};
};

// Returns 0 and fills `log` when the stage does not compile.
GLuint CompileShader(GLenum stage, const char* source, std::string* log) {
  const GLuint shader = glCreateShader(stage);
  if (shader == 0) {
    *log = "glCreateShader returned 0";
    return 0;
  }
  // The platform's version line first (app/shell/gl.h), then the shader as written in shaders/.
  const char* const sources[2] = {kShaderPrologue, source};
  glShaderSource(shader, 2, sources, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok == GL_TRUE) return shader;
  GLint length = 0;
  glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
  log->assign(static_cast<std::size_t>(std::max(length, 1)), '\0');
  glGetShaderInfoLog(shader, length, nullptr, log->data());
  glDeleteShader(shader);
  return 0;
}

void SetTextureParameters(GLint filter) {
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

void DeleteTexture(GLuint* texture) {
  if (*texture != 0) glDeleteTextures(1, texture);
  *texture = 0;
}

}  // namespace

ImU32 BoundaryClassColor(int class_index) {
  return kClassColors[static_cast<std::size_t>(class_index) % kClassColors.size()];
}

BoundaryRenderer::~BoundaryRenderer() { DeleteGlObjects(); }

ImTextureID BoundaryRenderer::texture() const {
  return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(buffers_[shown_].color));
}

void BoundaryRenderer::Fail(const char* what, const char* detail) {
  failed_ = true;
  failure_ = what;
  if (detail[0] != '\0') failure_ += std::string(":\n") + detail;
}

unsigned int BoundaryRenderer::LinkProgram(const char* vertex_source, const char* vertex_file,
                                           const char* fragment_source, const char* fragment_file) {
  std::string log;
  const GLuint vertex = CompileShader(GL_VERTEX_SHADER, vertex_source, &log);
  if (vertex == 0) {
    Fail((std::string(vertex_file) + " does not compile").c_str(), log.c_str());
    return 0;
  }
  const GLuint fragment = CompileShader(GL_FRAGMENT_SHADER, fragment_source, &log);
  if (fragment == 0) {
    glDeleteShader(vertex);
    Fail((std::string(fragment_file) + " does not compile").c_str(), log.c_str());
    return 0;
  }
  const GLuint program = glCreateProgram();
  glAttachShader(program, vertex);
  glAttachShader(program, fragment);
  glLinkProgram(program);
  glDeleteShader(vertex);  // flagged; freed with the program
  glDeleteShader(fragment);
  GLint linked = GL_FALSE;
  glGetProgramiv(program, GL_LINK_STATUS, &linked);
  if (linked == GL_TRUE) return program;
  GLint length = 0;
  glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
  log.assign(static_cast<std::size_t>(std::max(length, 1)), '\0');
  glGetProgramInfoLog(program, length, nullptr, log.data());
  glDeleteProgram(program);
  Fail((std::string(vertex_file) + " and " + fragment_file + " do not link").c_str(), log.c_str());
  return 0;
}

bool BoundaryRenderer::CreateProgram() {
  // Shaders are GLSL 3.30 core (GLSL ES 3.00 in the browser); an older context cannot run them.
  if (!GlRunsOurShaders()) {
    Fail((std::string(kGlNeeded) + " is not available").c_str(), "");
    return false;
  }
  program_ =
      LinkProgram(kBoundaryVertexShader, "shaders/boundary.vert", kBoundaryFragmentShader, "shaders/boundary.frag");
  if (program_ == 0) return false;
  glGenVertexArrays(1, &vertex_array_);

  // Constant uniforms: set once.
  glUseProgram(program_);
  glUniform1i(glGetUniformLocation(program_, "u_probs_low"), 0);
  glUniform1i(glGetUniformLocation(program_, "u_probs_high"), 1);
  std::array<float, 3 * kMaxBoundaryClasses> region{};
  for (int k = 0; k < kMaxBoundaryClasses; ++k) {
    const ImVec4 color = ImGui::ColorConvertU32ToFloat4(BoundaryClassColor(k));
    region[static_cast<std::size_t>(3 * k + 0)] = color.x * kRegionStrength;
    region[static_cast<std::size_t>(3 * k + 1)] = color.y * kRegionStrength;
    region[static_cast<std::size_t>(3 * k + 2)] = color.z * kRegionStrength;
  }
  glUniform3fv(glGetUniformLocation(program_, "u_class_colors"), kMaxBoundaryClasses, region.data());
  glUniform3fv(glGetUniformLocation(program_, "u_unsure_color"), 1, kUnsureColor);
  glUniform3fv(glGetUniformLocation(program_, "u_line_color"), 1, kLineColor);
  glUniform1f(glGetUniformLocation(program_, "u_line_pixels"), kLinePixels);
  return CreatePointsProgram();
}

bool BoundaryRenderer::CreatePointsProgram() {
  points_program_ = LinkProgram(kTestPointsVertexShader, "shaders/test_points.vert", kTestPointsFragmentShader,
                                "shaders/test_points.frag");
  if (points_program_ == 0) return false;
  glGenVertexArrays(1, &points_array_);
  glGenBuffers(1, &points_buffer_);
  glBindVertexArray(points_array_);
  glBindBuffer(GL_ARRAY_BUFFER, points_buffer_);
  const auto stride = static_cast<GLsizei>(sizeof(PointVertex));
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<const void*>(offsetof(PointVertex, x)));
  glEnableVertexAttribArray(1);  // ImU32 is RGBA in memory order, as GL_UNSIGNED_BYTE reads it
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        reinterpret_cast<const void*>(offsetof(PointVertex, color)));
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  return true;
}

bool BoundaryRenderer::CreateProbabilityTextures(int grid) {
  for (ImageBuffers& set : buffers_) {
    DeleteTexture(&set.low);
    DeleteTexture(&set.high);
    GLuint textures[2] = {0, 0};
    glGenTextures(2, textures);
    for (GLuint texture : textures) {
      glBindTexture(GL_TEXTURE_2D, texture);
      // LINEAR: the map is smooth between the grid's evaluations instead of blocky.
      SetTextureParameters(GL_LINEAR);
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, grid, grid, 0, GL_RGBA, GL_FLOAT, nullptr);
    }
    set.low = textures[0];
    set.high = textures[1];
  }
  grid_ = grid;
  if (glGetError() != GL_NO_ERROR) {
    Fail("cannot create the probability textures", "");
    return false;
  }
  return true;
}

bool BoundaryRenderer::CreateTarget(int image_size) {
  for (ImageBuffers& set : buffers_) {
    DeleteTexture(&set.color);
    if (set.framebuffer == 0) glGenFramebuffers(1, &set.framebuffer);
    glGenTextures(1, &set.color);
    glBindTexture(GL_TEXTURE_2D, set.color);
    SetTextureParameters(GL_LINEAR);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image_size, image_size, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glBindFramebuffer(GL_FRAMEBUFFER, set.framebuffer);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, set.color, 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
      Fail("the offscreen framebuffer is incomplete", "");
      return false;
    }
  }
  image_size_ = image_size;
  has_image_ = false;
  return true;
}

void BoundaryRenderer::UploadProbabilities(const float* probabilities, int grid, int num_classes) {
  const std::size_t cells = static_cast<std::size_t>(grid) * static_cast<std::size_t>(grid);
  const std::size_t classes = static_cast<std::size_t>(num_classes);
  texels_.resize(cells * 4);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  // Four classes per RGBA texel, stored as log p. The shader interpolates log p and applies
  // softmax again; log p_k = z_k - logsumexp(z), and the logsumexp term is the same for
  // every class, so this is exactly interpolating the logits z: the boundary comes out as a
  // smooth curve instead of the staircase that interpolating saturated 0/1 probabilities gives.
  const ImageBuffers& set = buffers_[1 - shown_];
  const GLuint textures[2] = {set.low, set.high};
  const std::size_t passes = classes > 4 ? 2 : 1;
  for (std::size_t pass = 0; pass < passes; ++pass) {
    for (std::size_t cell = 0; cell < cells; ++cell) {
      for (std::size_t channel = 0; channel < 4; ++channel) {
        const std::size_t k = 4 * pass + channel;
        if (k >= classes) {
          texels_[4 * cell + channel] = 0.0f;
          continue;
        }
        // p = 0 (underflow) is floored; NaN stays NaN (std::max keeps its first argument when
        // the comparison fails), so the shader can show "no opinion".
        texels_[4 * cell + channel] = std::max(std::log(probabilities[cell * classes + k]), kLogFloor);
      }
    }
    glBindTexture(GL_TEXTURE_2D, textures[pass]);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, grid, grid, GL_RGBA, GL_FLOAT, texels_.data());
  }
}

bool BoundaryRenderer::PackPoints(const BoundaryPoints& points) {
  scratch_points_.resize(static_cast<std::size_t>(std::max(points.count, 0)));
  for (std::size_t i = 0; i < scratch_points_.size(); ++i) {
    scratch_points_[i] = {points.x[i], points.y[i], points.colors[i]};
  }
  scratch_outline_ = points.outline_color;
  return scratch_points_.size() != points_.size() || scratch_outline_ != outline_color_ ||
         std::memcmp(scratch_points_.data(), points_.data(), points_.size() * sizeof(PointVertex)) != 0;
}

void BoundaryRenderer::UploadPoints() {
  points_.swap(scratch_points_);
  outline_color_ = scratch_outline_;
  glBindBuffer(GL_ARRAY_BUFFER, points_buffer_);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(points_.size() * sizeof(PointVertex)), points_.data(),
               GL_STATIC_DRAW);
}

void BoundaryRenderer::Render(const BoundaryImageKey& key) {
  const ImageBuffers& set = buffers_[1 - shown_];
  glBindFramebuffer(GL_FRAMEBUFFER, set.framebuffer);
  glViewport(0, 0, key.image_size, key.image_size);
  GlStateGuard::DisableCapabilities();
  glUseProgram(program_);
  glUniform1i(glGetUniformLocation(program_, "u_num_classes"), key.num_classes);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, set.low);
  glBindSampler(0, 0);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, set.high);
  glBindSampler(1, 0);
  glBindVertexArray(vertex_array_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  RenderPoints(key);
}

void BoundaryRenderer::RenderPoints(const BoundaryImageKey& key) {
  if (points_.empty() || !(key.hi > key.lo) || key.point_radius <= 0.0f) return;
  glEnable(GL_BLEND);
  glBlendEquationSeparate(GL_FUNC_ADD, GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // the image stays opaque
  EnableProgramPointSize();
  glUseProgram(points_program_);
  glUniform1f(glGetUniformLocation(points_program_, "u_lo"), key.lo);
  glUniform1f(glGetUniformLocation(points_program_, "u_hi"), key.hi);
  const ImVec4 outline = ImGui::ColorConvertU32ToFloat4(outline_color_);
  glUniform4f(glGetUniformLocation(points_program_, "u_outline"), outline.x, outline.y, outline.z, outline.w);
  glBindVertexArray(points_array_);
  // Every outline first, then every fill on top: touching points merge, as ImGui draws them.
  const float radii[2] = {key.point_radius + key.point_outline, key.point_radius};
  for (int pass = 0; pass < 2; ++pass) {
    const float size = 2.0f * radii[pass] + 2.0f;  // a pixel of room for the soft rim
    glUniform1f(glGetUniformLocation(points_program_, "u_size"), size);
    glUniform1f(glGetUniformLocation(points_program_, "u_radius"), radii[pass]);
    glUniform1i(glGetUniformLocation(points_program_, "u_use_color"), pass);
    glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(points_.size()));
  }
}

bool BoundaryRenderer::Update(const BoundaryImageKey& key, const float* probabilities, const BoundaryPoints& points) {
  if (failed_) return false;
  if (probabilities == nullptr || key.grid <= 0 || key.num_classes < 2 || key.num_classes > kMaxBoundaryClasses ||
      key.image_size <= 0 ||
      (points.count > 0 && (points.x == nullptr || points.y == nullptr || points.colors == nullptr))) {
    return false;
  }
  const std::size_t count = static_cast<std::size_t>(key.grid) * static_cast<std::size_t>(key.grid) *
                            static_cast<std::size_t>(key.num_classes);
  const bool new_points = PackPoints(points);
  const bool same_frame = has_image_ && !new_points && key.grid == key_.grid && key.num_classes == key_.num_classes &&
                          key.image_size == key_.image_size && key.lo == key_.lo && key.hi == key_.hi &&
                          key.point_radius == key_.point_radius && key.point_outline == key_.point_outline;
  if (same_frame && key.generation == key_.generation && key.step == key_.step) return true;
  // A new step does not always bring a new grid (the session evaluates it now and then).
  if (same_frame && uploaded_.size() == count &&
      std::memcmp(uploaded_.data(), probabilities, count * sizeof(float)) == 0) {
    key_ = key;
    return true;
  }

  GlStateGuard guard;
  // Errors left by others must not be taken for ours (bounded: a lost context may repeat one).
  for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; ++i) {}
  if (program_ == 0 && !CreateProgram()) return false;
  if (key.grid != grid_ && !CreateProbabilityTextures(key.grid)) return false;
  if (key.image_size != image_size_ && !CreateTarget(key.image_size)) return false;
  if (new_points) UploadPoints();
  UploadProbabilities(probabilities, key.grid, key.num_classes);
  Render(key);
  if (glGetError() != GL_NO_ERROR) {
    Fail("OpenGL reported an error while drawing the map", "");
    return false;
  }
  shown_ = 1 - shown_;
  uploaded_.assign(probabilities, probabilities + count);
  key_ = key;
  has_image_ = true;
  return true;
}

void BoundaryRenderer::DeleteGlObjects() {
  if (program_ != 0) glDeleteProgram(program_);
  if (vertex_array_ != 0) glDeleteVertexArrays(1, &vertex_array_);
  if (points_program_ != 0) glDeleteProgram(points_program_);
  if (points_array_ != 0) glDeleteVertexArrays(1, &points_array_);
  if (points_buffer_ != 0) glDeleteBuffers(1, &points_buffer_);
  for (ImageBuffers& set : buffers_) {
    if (set.framebuffer != 0) glDeleteFramebuffers(1, &set.framebuffer);
    set.framebuffer = 0;
    DeleteTexture(&set.low);
    DeleteTexture(&set.high);
    DeleteTexture(&set.color);
  }
}

}  // namespace bnlab
