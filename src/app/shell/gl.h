// The OpenGL seam: the desktop program draws with OpenGL 3.3 core through libepoxy, the page
// with WebGL 2 (OpenGL ES 3.0) through Emscripten's headers. The GL code is the same for both;
// what differs is here.
#pragma once

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#include <epoxy/gl.h>  // before any other GL header
#endif

#include <array>

namespace bnlab {

#if defined(__EMSCRIPTEN__)
// GLSL ES 3.00, with the precision ES asks for (highp: the boundary's log-probabilities).
inline constexpr const char* kGlslVersion = "#version 300 es";
inline constexpr const char* kShaderPrologue =
    "#version 300 es\nprecision highp float;\nprecision highp int;\nprecision highp sampler2D;\n";
// WebGL 2 is what the page asks for (-sMIN_WEBGL_VERSION=2): no page runs without it.
inline bool GlRunsOurShaders() { return true; }
inline constexpr const char* kGlNeeded = "WebGL 2";
// The capabilities a drawing pass of ours (the decision boundary's) saves, turns off and
// restores. ES has two switches fewer than desktop GL: no sRGB writes, and a vertex shader's
// point size always in force.
inline constexpr std::array<GLenum, 5> kPassCapabilities = {GL_BLEND, GL_SCISSOR_TEST, GL_DEPTH_TEST, GL_STENCIL_TEST,
                                                            GL_CULL_FACE};
inline void EnableProgramPointSize() {}
#else
inline constexpr const char* kGlslVersion = "#version 330 core";
inline constexpr const char* kShaderPrologue = "#version 330 core\n";
inline bool GlRunsOurShaders() { return epoxy_gl_version() >= 33 && epoxy_is_desktop_gl() != 0; }
inline constexpr const char* kGlNeeded = "OpenGL 3.3 core";
inline constexpr std::array<GLenum, 7> kPassCapabilities = {
    GL_BLEND,     GL_SCISSOR_TEST,     GL_DEPTH_TEST,        GL_STENCIL_TEST,
    GL_CULL_FACE, GL_FRAMEBUFFER_SRGB, GL_PROGRAM_POINT_SIZE};
inline void EnableProgramPointSize() { glEnable(GL_PROGRAM_POINT_SIZE); }
#endif

}  // namespace bnlab
