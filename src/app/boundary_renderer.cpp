#include <epoxy/gl.h>  // before any other GL header

#include "app/boundary_renderer.h"

#include "app/shaders.h"

#include <algorithm>
#include <array>
#include <cmath>
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
  static constexpr std::array<GLenum, 6> kCapabilities = {GL_BLEND,        GL_SCISSOR_TEST, GL_DEPTH_TEST,
                                                          GL_STENCIL_TEST, GL_CULL_FACE,    GL_FRAMEBUFFER_SRGB};
  GLint draw_framebuffer_ = 0, read_framebuffer_ = 0;
  GLint viewport_[4] = {0, 0, 0, 0};
  GLint program_ = 0, vertex_array_ = 0, active_texture_ = GL_TEXTURE0;
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
  glShaderSource(shader, 1, &source, nullptr);
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
  return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(color_));
}

void BoundaryRenderer::Fail(const char* what, const char* detail) {
  failed_ = true;
  failure_ = what;
  if (detail[0] != '\0') failure_ += std::string(":\n") + detail;
}

bool BoundaryRenderer::CreateProgram() {
  // Shaders are GLSL 330 core; an older context cannot run them.
  if (epoxy_gl_version() < 33 || epoxy_is_desktop_gl() == 0) {
    Fail("OpenGL 3.3 core is not available", "");
    return false;
  }
  std::string log;
  const GLuint vertex = CompileShader(GL_VERTEX_SHADER, kBoundaryVertexShader, &log);
  if (vertex == 0) {
    Fail("shaders/boundary.vert does not compile", log.c_str());
    return false;
  }
  const GLuint fragment = CompileShader(GL_FRAGMENT_SHADER, kBoundaryFragmentShader, &log);
  if (fragment == 0) {
    glDeleteShader(vertex);
    Fail("shaders/boundary.frag does not compile", log.c_str());
    return false;
  }
  program_ = glCreateProgram();
  glAttachShader(program_, vertex);
  glAttachShader(program_, fragment);
  glLinkProgram(program_);
  glDeleteShader(vertex);  // flagged; freed with the program
  glDeleteShader(fragment);
  GLint linked = GL_FALSE;
  glGetProgramiv(program_, GL_LINK_STATUS, &linked);
  if (linked != GL_TRUE) {
    GLint length = 0;
    glGetProgramiv(program_, GL_INFO_LOG_LENGTH, &length);
    log.assign(static_cast<std::size_t>(std::max(length, 1)), '\0');
    glGetProgramInfoLog(program_, length, nullptr, log.data());
    Fail("the boundary shaders do not link", log.c_str());
    return false;
  }
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
  return true;
}

bool BoundaryRenderer::CreateProbabilityTextures(int grid) {
  DeleteTexture(&probs_low_);
  DeleteTexture(&probs_high_);
  GLuint textures[2] = {0, 0};
  glGenTextures(2, textures);
  for (GLuint texture : textures) {
    glBindTexture(GL_TEXTURE_2D, texture);
    // LINEAR: the map is smooth between the grid's evaluations instead of blocky.
    SetTextureParameters(GL_LINEAR);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, grid, grid, 0, GL_RGBA, GL_FLOAT, nullptr);
  }
  probs_low_ = textures[0];
  probs_high_ = textures[1];
  grid_ = grid;
  if (glGetError() != GL_NO_ERROR) {
    Fail("cannot create the probability textures", "");
    return false;
  }
  return true;
}

bool BoundaryRenderer::CreateTarget(int image_size) {
  DeleteTexture(&color_);
  if (framebuffer_ == 0) glGenFramebuffers(1, &framebuffer_);
  glGenTextures(1, &color_);
  glBindTexture(GL_TEXTURE_2D, color_);
  SetTextureParameters(GL_LINEAR);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image_size, image_size, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, color_, 0);
  image_size_ = image_size;
  has_image_ = false;
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    Fail("the offscreen framebuffer is incomplete", "");
    return false;
  }
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
  const GLuint textures[2] = {probs_low_, probs_high_};
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

void BoundaryRenderer::Render(int num_classes, int image_size) {
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  glViewport(0, 0, image_size, image_size);
  GlStateGuard::DisableCapabilities();
  glUseProgram(program_);
  glUniform1i(glGetUniformLocation(program_, "u_num_classes"), num_classes);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, probs_low_);
  glBindSampler(0, 0);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, probs_high_);
  glBindSampler(1, 0);
  glBindVertexArray(vertex_array_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
}

bool BoundaryRenderer::Update(const BoundaryImageKey& key, const float* probabilities) {
  if (failed_) return false;
  if (probabilities == nullptr || key.grid <= 0 || key.num_classes < 2 || key.num_classes > kMaxBoundaryClasses ||
      key.image_size <= 0) {
    return false;
  }
  const std::size_t count = static_cast<std::size_t>(key.grid) * static_cast<std::size_t>(key.grid) *
                            static_cast<std::size_t>(key.num_classes);
  const bool same_shape =
      has_image_ && key.grid == key_.grid && key.num_classes == key_.num_classes && key.image_size == key_.image_size;
  if (same_shape && key.generation == key_.generation && key.step == key_.step) return true;
  // A new step does not always bring a new grid (the session evaluates it now and then).
  if (same_shape && uploaded_.size() == count &&
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
  UploadProbabilities(probabilities, key.grid, key.num_classes);
  Render(key.num_classes, key.image_size);
  if (glGetError() != GL_NO_ERROR) {
    Fail("OpenGL reported an error while drawing the map", "");
    return false;
  }
  uploaded_.assign(probabilities, probabilities + count);
  key_ = key;
  has_image_ = true;
  return true;
}

void BoundaryRenderer::DeleteGlObjects() {
  if (program_ != 0) glDeleteProgram(program_);
  if (vertex_array_ != 0) glDeleteVertexArrays(1, &vertex_array_);
  if (framebuffer_ != 0) glDeleteFramebuffers(1, &framebuffer_);
  DeleteTexture(&probs_low_);
  DeleteTexture(&probs_high_);
  DeleteTexture(&color_);
}

}  // namespace bnlab
