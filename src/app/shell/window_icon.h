// The window's icon, drawn in code: the picture of data/org.bnlab.Bnlab.svg (two bell curves,
// the Plain net's orange one wide and off-centre, the BN net's blue one centred), so the window
// has it without any file at run time.
#pragma once

#include <cstdint>
#include <vector>

struct GLFWwindow;

namespace bnlab {

// RGBA pixels, row by row from the top, of a size × size icon.
std::vector<std::uint8_t> DrawIcon(int size);

// Gives `window` the icon at the sizes window managers ask for most.
void SetWindowIcon(GLFWwindow* window);

}  // namespace bnlab
