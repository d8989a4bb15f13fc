// libFuzzer target: any text handed to the scene parser ends in a Scene or a SettingsError,
// never a crash, a hang or another exception (which libFuzzer reports as a finding).
#include "settings/settings.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    bnlab::ParseScene(text, "fuzz.toml");
  } catch (const bnlab::SettingsError&) {
    // The expected outcome for almost every input.
  }
  return 0;
}
