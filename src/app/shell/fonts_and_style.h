// The fonts and the ImGui style at a UI scale, light or dark: what a change of UI scale
// (Ctrl +/-) or of theme (L) rebuilds.
#pragma once

#include <imgui.h>

namespace bnlab {

// DejaVu Sans (package fonts-dejavu-core) at the body size and the big numbers' bold size,
// times `scale`; ImGui's own font, with one message, when the files are missing.
void BuildFonts(float scale);
// ImGui's dark or light style with bnlab's spacing and colours, every size times `scale`; also
// sets the views' scale (Ui(), Px()) and theme.
void ApplyStyle(float scale, bool light);
// The window's clear colour, behind everything.
ImVec4 PageColor(bool light);
// Fonts, their texture and the style anew (ImGui 1.86 cannot scale fonts smoothly).
void RebuildForScale(float scale, bool light);

}  // namespace bnlab
