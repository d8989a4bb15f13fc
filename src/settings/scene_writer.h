// "Save as scene": a Scene written back as a scene file (the format scene.cpp reads).
#pragma once

#include "settings/settings.h"

#include <string>

namespace bnlab {

// The TOML text of `scene`: a comment header saying how to load it, then title and
// description, the lesson keys that are set (order > 0, a view, a speed, a caption, a
// verdict, pauses as `[ { step = N, caption = "..." } ]`), then every setting of the table
// in table order with its value, defaults included, so the file says what it runs even if
// a default changes later. Integers and booleans are TOML integers and booleans, reals
// TOML floats in the shortest form that reads back as the same double, choices and paths
// strings, layers an integer array.
//
// ParseScene(WriteScene(scene), path) gives back the same title, description, lesson and
// config, provided the config passes CheckConfig (a Scene's always does). Strings are
// escaped as TOML requires and UTF-8 is kept as it is; throws SettingsError when a text is
// not valid UTF-8, which no TOML file can hold.
std::string WriteScene(const Scene& scene);

// Writes WriteScene(scene) to `path`, replacing the file whole or not at all (atomic_file.h).
// Throws SettingsError naming the path when it cannot be written (the old file is then intact), or when the text is larger than a scene file may be
// (kMaxSceneBytes), so that a saved scene always loads again.
void SaveSceneFile(const Scene& scene, const std::string& path);

}  // namespace bnlab
