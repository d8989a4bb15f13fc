// A view's plots laid out for the space it has, rather than scrolling: cells shrink to a
// readable minimum, then the grid takes fewer columns, then fewer rows, and what no longer fits
// goes on further pages that a pager turns (panel_util.h: DrawPager).
#pragma once

namespace bnlab {

struct GridPage {
  int columns = 1;  // cells side by side
  int rows = 1;     // rows of cells on a page
  int pages = 1;    // pages it takes to show every cell
  int page = 0;     // the page shown (the one asked for, kept in range)
  int first = 0;    // index of the first cell shown
  int count = 0;    // cells shown on this page
  float cell_width = 0.0f;
  float cell_height = 0.0f;
};

// `cells` cells in a `width` × `height` area, `gap_x`, `gap_y` apart: up to `max_columns`
// columns none narrower than `min_width`, as many rows as fit at `min_height` or more (at least
// one); the cells then share the area. A page shows whole rows; `page` asks for one.
GridPage LayOutGrid(int cells, int max_columns, float min_width, float min_height, float width, float height,
                    float gap_x, float gap_y, int page);

}  // namespace bnlab
