// JSON for the commands' --json output: nlohmann-json, keys in the order they are set.
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

namespace bnlab {

using Json = nlohmann::ordered_json;

// A figure, or null when it is not finite (JSON has no NaN or infinity).
inline Json JsonNumber(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

// The text of `json` and a newline; indent -1 writes one line. A string holding bytes that are
// not UTF-8 (a path may) gets U+FFFD in their place instead of making the output invalid JSON.
inline std::string JsonText(const Json& json, int indent = -1) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace bnlab
