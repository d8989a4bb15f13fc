// Every key press, even one whose release comes before the next frame. ImGui 1.86 reads the
// key state once per frame, so a tap shorter than a frame (a presenter's clicker sends exactly
// those) would be lost; GLFW's key callback sees each press, and this queue keeps them.
#pragma once

#include <vector>

struct GLFWwindow;

namespace bnlab {

struct KeyPress {
  int key = 0;   // GLFW_KEY_*
  int mods = 0;  // GLFW_MOD_* held at the press
};

// Installs the key callback, chained with the one already installed (ImGui's backend, which
// must be installed first and keeps working as before).
void InstallKeyQueue(GLFWwindow* window);

// The presses (and auto-repeats) since the last call, oldest first. Main thread only.
std::vector<KeyPress> TakeKeyPresses();

}  // namespace bnlab
