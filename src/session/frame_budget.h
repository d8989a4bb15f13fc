// How long the page trains between two of its frames. The page (the browser build) has one
// thread: it draws a frame, then drives the session (Session::Drive) for a budget, then the
// browser shows the frame and calls it again. The desktop trains on a worker thread of its own
// and never asks.
#pragma once

namespace bnlab {

struct FrameBudgetPolicy {
  // A fast machine (the frame costs little): a frame this often, the rest of each interval
  // training.
  double frame_interval = 1.0 / 30.0;
  // A slow one (a software renderer draws the frame): this share of the time trains, ...
  double training_share = 2.0 / 3.0;  // below 1
  // ... but the page never draws fewer frames a second than this, so that it still answers a
  // key or a click.
  double min_frame_rate = 4.0;
};

// Seconds of training after a frame whose cost was `frame_cost` seconds (the interval between
// two frames less the training in it: building and drawing the frame, and the browser's own
// work), at `speed` training steps a second (0: as fast as possible). At full speed, the most of
// what fills the frame interval and what gives training its share, within the lowest frame
// rate; 0 (one pass of the loop) when even that is used up by the frame alone. In slow motion
// 0 too: one pass steps as many steps as the speed asks (Session::Pass keeps the count).
double TrainingBudget(double frame_cost, double speed, const FrameBudgetPolicy& policy = {});

// The page's frame cost as TrainingBudget sees it: an average over the last few frames, so that
// one slow frame does not take the next one's training, and no interval counted longer than a
// second (the browser stops calling a hidden tab's frames).
class FrameCost {
 public:
  static constexpr double kNewestWeight = 0.2;
  static constexpr double kLongest = 1.0;
  // A frame began `interval` seconds after the one before, which trained `trained` of them.
  void Add(double interval, double trained);
  double seconds() const { return seconds_; }

 private:
  double seconds_ = 0.0;
};

}  // namespace bnlab
