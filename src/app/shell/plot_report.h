// --layout-report's lines about the plots of the last frame (plot/plot_record.h): what each
// legend covers of its plot's text, newest points and data, and the smallest text each plot
// drew beside the body font. tests/gui/fit.sh fails on any "plot-fail:" line: a legend over a
// text or a newest point, or over more than plot::kLegendMaxDataShare of the data; a text
// smaller than the body font.
#pragma once

namespace bnlab {

// Recording starts with the first frame drawn after this call.
void StartPlotRecording();
void PrintPlotReport();
// Whether the last frame drew a window, or (while recording) a plot, whose name or title
// contains `text` (--until).
bool LastFrameDrew(const char* text);

}  // namespace bnlab
