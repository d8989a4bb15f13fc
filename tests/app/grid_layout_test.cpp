// The views' grid layout (src/app/views/grid_layout.cpp): cells keep their readable minimum;
// what does not fit goes into fewer columns, then onto further pages, never outside the area.
#include "app/views/grid_layout.h"

#include <gtest/gtest.h>

namespace bnlab {
namespace {

// Every cell of every page lies inside the area and is at least the minimum, or the area is
// smaller than one minimum cell and the one cell takes all of it.
void ExpectInside(const GridPage& grid, float min_width, float min_height, float width, float height, float gap) {
  const float columns = static_cast<float>(grid.columns), rows = static_cast<float>(grid.rows);
  EXPECT_LE(columns * grid.cell_width + (columns - 1.0f) * gap, width);
  EXPECT_LE(rows * grid.cell_height + (rows - 1.0f) * gap, height);
  if (grid.columns > 1) {
    EXPECT_GE(grid.cell_width, min_width);
  }
  if (grid.rows > 1) {
    EXPECT_GE(grid.cell_height, min_height);
  }
}

TEST(GridLayout, AllCellsFitOnePage) {
  const GridPage grid = LayOutGrid(4, 2, 300.0f, 200.0f, 1000.0f, 700.0f, 10.0f, 10.0f, 0);
  EXPECT_EQ(grid.columns, 2);
  EXPECT_EQ(grid.rows, 2);
  EXPECT_EQ(grid.pages, 1);
  EXPECT_EQ(grid.first, 0);
  EXPECT_EQ(grid.count, 4);
  EXPECT_EQ(grid.cell_width, 495.0f);
  EXPECT_EQ(grid.cell_height, 345.0f);
  ExpectInside(grid, 300.0f, 200.0f, 1000.0f, 700.0f, 10.0f);
}

TEST(GridLayout, NarrowTakesFewerColumns) {
  // 3 columns wanted, 2 fit at 300 px: 5 cells in 3 rows of 2 fit the height.
  const GridPage grid = LayOutGrid(5, 3, 300.0f, 100.0f, 700.0f, 400.0f, 10.0f, 10.0f, 0);
  EXPECT_EQ(grid.columns, 2);
  EXPECT_EQ(grid.rows, 3);
  EXPECT_EQ(grid.pages, 1);
  ExpectInside(grid, 300.0f, 100.0f, 700.0f, 400.0f, 10.0f);
}

TEST(GridLayout, ShortPagesWholeRows) {
  // Three layers in rows of at least 195 px in 500 px: two rows a page, the third on page 2.
  GridPage grid = LayOutGrid(3, 1, 0.0f, 195.0f, 1200.0f, 500.0f, 9.0f, 9.0f, 0);
  EXPECT_EQ(grid.rows, 2);
  EXPECT_EQ(grid.pages, 2);
  EXPECT_EQ(grid.first, 0);
  EXPECT_EQ(grid.count, 2);
  ExpectInside(grid, 0.0f, 195.0f, 1200.0f, 500.0f, 9.0f);
  grid = LayOutGrid(3, 1, 0.0f, 195.0f, 1200.0f, 500.0f, 9.0f, 9.0f, 1);
  EXPECT_EQ(grid.page, 1);
  EXPECT_EQ(grid.first, 2);
  EXPECT_EQ(grid.count, 1);
  EXPECT_EQ(grid.cell_height, 245.0f);  // the same height as on page 1
}

TEST(GridLayout, PageKeptInRange) {
  EXPECT_EQ(LayOutGrid(3, 1, 0.0f, 195.0f, 1200.0f, 500.0f, 9.0f, 9.0f, 7).page, 1);
  EXPECT_EQ(LayOutGrid(3, 1, 0.0f, 195.0f, 1200.0f, 500.0f, 9.0f, 9.0f, -2).page, 0);
  // Taller again: one page, whatever page was asked for.
  const GridPage grid = LayOutGrid(3, 1, 0.0f, 195.0f, 1200.0f, 900.0f, 9.0f, 9.0f, 1);
  EXPECT_EQ(grid.pages, 1);
  EXPECT_EQ(grid.first, 0);
  EXPECT_EQ(grid.count, 3);
}

TEST(GridLayout, SmallerThanOneCell) {
  // Not even one minimum cell fits: one cell a page, sized to the area, never beyond it.
  const GridPage grid = LayOutGrid(4, 2, 300.0f, 200.0f, 250.0f, 150.0f, 10.0f, 10.0f, 0);
  EXPECT_EQ(grid.columns, 1);
  EXPECT_EQ(grid.rows, 1);
  EXPECT_EQ(grid.pages, 4);
  EXPECT_EQ(grid.cell_width, 250.0f);
  EXPECT_EQ(grid.cell_height, 150.0f);
}

TEST(GridLayout, NoCells) {
  const GridPage grid = LayOutGrid(0, 2, 300.0f, 200.0f, 1000.0f, 700.0f, 10.0f, 10.0f, 3);
  EXPECT_EQ(grid.pages, 1);
  EXPECT_EQ(grid.count, 0);
}

}  // namespace
}  // namespace bnlab
