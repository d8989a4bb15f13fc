#include "app/views/grid_layout.h"

#include <algorithm>
#include <cmath>

namespace bnlab {
namespace {

// How many items of at least `least` fit in `room` with `gap` between them (at least one).
int HowManyFit(float room, float least, float gap) {
  if (!(least > 0.0f)) return 1 << 20;
  return std::max(1, static_cast<int>(std::floor((room + gap) / (least + gap))));
}

}  // namespace

GridPage LayOutGrid(int cells, int max_columns, float min_width, float min_height, float width, float height,
                    float gap_x, float gap_y, int page) {
  GridPage grid;
  cells = std::max(cells, 0);
  grid.columns = std::clamp(std::min(HowManyFit(width, min_width, gap_x), max_columns), 1, std::max(cells, 1));
  const int rows_needed = (cells + grid.columns - 1) / grid.columns;
  grid.rows = std::clamp(HowManyFit(height, min_height, gap_y), 1, std::max(rows_needed, 1));
  const int per_page = grid.columns * grid.rows;
  grid.pages = std::max(1, (cells + per_page - 1) / per_page);
  grid.page = std::clamp(page, 0, grid.pages - 1);
  grid.first = grid.page * per_page;
  grid.count = std::min(per_page, cells - grid.first);
  grid.cell_width =
      std::floor((width - gap_x * static_cast<float>(grid.columns - 1)) / static_cast<float>(grid.columns));
  grid.cell_height = std::floor((height - gap_y * static_cast<float>(grid.rows - 1)) / static_cast<float>(grid.rows));
  return grid;
}

}  // namespace bnlab
