// GLSL sources compiled into the binary from shaders/ (see cmake/EmbedShaders.cmake),
// so the program does not depend on the source tree at run time.
#pragma once

namespace bnlab {

extern const char* const kBoundaryVertexShader;      // shaders/boundary.vert
extern const char* const kBoundaryFragmentShader;    // shaders/boundary.frag
extern const char* const kTestPointsVertexShader;    // shaders/test_points.vert
extern const char* const kTestPointsFragmentShader;  // shaders/test_points.frag

}  // namespace bnlab
