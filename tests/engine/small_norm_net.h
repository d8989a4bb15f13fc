// The small network of every normalization that the variant tests share: 6 inputs, hidden
// layers 5, 4, 3, 4 classes, random γ, β and biases, and a fixed batch of 10 with its labels.
#pragma once

#include "engine/network.h"

#include "finite_difference.h"

namespace bnlab {

inline Network<double> SmallNet(NormKind norm, Placement placement, int ghost_group = 0) {
  using testing_fd::RandomMatrix;
  NetConfig config;
  config.norm = norm;
  config.ghost_group = ghost_group;
  config.input_size = 6;
  config.num_classes = 4;
  config.hidden = {5, 4, 3};
  config.placement = placement;
  config.init_scale = 0.8;
  config.renorm_r_max = 1.5;
  config.renorm_d_max = 0.5;
  Network<double> net(config);
  Rng rng(5);
  net.InitWeights(rng);
  for (int l = 0; l < net.num_hidden(); ++l) {
    HiddenLayer<double>& layer = net.hidden(l);
    const int units = layer.linear.out();
    std::visit(
        [&](auto& norm_layer) {
          if (norm_layer.units() == 0) return;
          norm_layer.gamma = 1.0 + 0.3 * RandomMatrix(units, 1, rng).array();
          norm_layer.beta = 0.2 * RandomMatrix(units, 1, rng);
        },
        layer.norm);
    if (layer.linear.has_bias()) layer.linear.b = 0.1 * RandomMatrix(units, 1, rng);
  }
  return net;
}

inline const testing_fd::Md kInput = [] {
  Rng rng(6);
  return testing_fd::RandomMatrix(6, 10, rng);
}();
inline const Labels kLabels = {0, 1, 2, 3, 0, 1, 2, 3, 1, 2};

}  // namespace bnlab
