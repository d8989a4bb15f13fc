// Splitting the CSV lines bnlab writes (no quoting: its fields never hold a comma).
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace bnlab::testing_csv {

// "a,,b," -> {"a", "", "b", ""}: empty fields kept, a trailing comma too.
inline std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::stringstream stream(line);
  while (std::getline(stream, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

}  // namespace bnlab::testing_csv
