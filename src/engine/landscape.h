// How smooth the loss is where a network stands: Santurkar, Tsipras, Ilyas and Madry (2018),
// "How Does Batch Normalization Help Optimization?", Figure 4, measured live.
//
// From the weights θ, along the gradient g = ∇L(θ) of a fixed batch, at the step sizes
// η = k·lr for the multipliers k (a small log grid around the learning rate):
//   loss variation            the range of L(θ − ηg) over the grid
//   gradient predictiveness   the range of ‖∇L(θ − ηg) − ∇L(θ)‖ over the grid: how far the
//                             gradient one stands on is from the gradients a step would meet
//   effective smoothness      max over the grid of ‖∇L(θ − ηg) − ∇L(θ)‖ / ‖ηg‖, the largest
//                             change of the gradient per unit of distance moved (a local β of
//                             β-smoothness)
// A smoother landscape (BN's, by the paper's measurements) gives narrower ranges and a smaller
// β, so larger steps are safe. Losses and gradients are those of training mode (batch
// statistics of the fixed batch), as the optimizer sees them; every parameter takes part.
#pragma once

#include "engine/network.h"

#include <vector>

namespace bnlab {

// 0.25×, 0.5×, 1×, 2×, 4× the learning rate.
const std::vector<double>& DefaultLandscapeMultipliers();

struct LandscapePoint {
  double loss = 0.0;                                  // L(θ) on the batch
  double loss_lo = 0.0, loss_hi = 0.0;                // range of L(θ − ηg) over the grid
  double grad_change_lo = 0.0, grad_change_hi = 0.0;  // range of ‖∇L(θ − ηg) − ∇L(θ)‖
  double smoothness = 0.0;                            // max ‖∇L(θ − ηg) − ∇L(θ)‖ / ‖ηg‖
  double grad_norm = 0.0;                             // ‖∇L(θ)‖, all parameters
  bool finite = true;                                 // false: a step on the grid gave a non-finite loss
  int finite_steps = 0;                               // the grid's steps the ranges come from
};

// Measures on copies of `net` (which is left as it is) with the batch (x, labels).
LandscapePoint MeasureLandscape(const Network<Scalar>& net, const Eigen::Ref<const Matrix>& x, const Label* labels,
                                double learning_rate,
                                const std::vector<double>& multipliers = DefaultLandscapeMultipliers());

}  // namespace bnlab
