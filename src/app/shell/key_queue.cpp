#include "app/shell/key_queue.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

namespace bnlab {
namespace {

// File-scope because GLFW calls a plain function and bnlab has one window; GLFW calls back on
// the main thread, inside glfwPollEvents, which is where frames read the queue.
GLFWkeyfun previous_callback = nullptr;
std::vector<KeyPress> pending;

void OnKey(GLFWwindow* window, int key, int scancode, int action, int mods) {
  if (previous_callback != nullptr) previous_callback(window, key, scancode, action, mods);
  if (action == GLFW_PRESS || action == GLFW_REPEAT) pending.push_back(KeyPress{key, mods});
}

}  // namespace

void InstallKeyQueue(GLFWwindow* window) { previous_callback = glfwSetKeyCallback(window, OnKey); }

std::vector<KeyPress> TakeKeyPresses() {
  std::vector<KeyPress> presses;
  presses.swap(pending);
  return presses;
}

}  // namespace bnlab
