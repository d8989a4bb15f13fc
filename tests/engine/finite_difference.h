// Finite-difference gradient checks in double precision, shared by the layer and network tests.
#pragma once

#include "engine/random.h"
#include "engine/types.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

namespace bnlab::testing_fd {

using Md = MatrixT<double>;
using Vd = VectorT<double>;

inline constexpr double kStep = 1e-6;
inline constexpr double kTolerance = 1e-6;  // relative

inline Md RandomMatrix(Eigen::Index rows, Eigen::Index cols, Rng& rng, double scale = 1.0) {
  Md m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = scale * rng.Normal();
  return m;
}

// Central differences of `loss` w.r.t. every entry of `param`, compared with `analytic`.
template <typename Param>
void ExpectGradientMatches(Param& param, const Eigen::Ref<const Md>& analytic, const std::function<double()>& loss,
                           const std::string& what) {
  ASSERT_EQ(param.size(), analytic.size()) << what;
  for (Eigen::Index i = 0; i < param.size(); ++i) {
    const double saved = param.data()[i];
    param.data()[i] = saved + kStep;
    const double plus = loss();
    param.data()[i] = saved - kStep;
    const double minus = loss();
    param.data()[i] = saved;
    const double numeric = (plus - minus) / (2 * kStep);
    const double exact = analytic.data()[i];
    const double scale = std::max({1.0, std::abs(numeric), std::abs(exact)});
    ASSERT_NEAR(exact, numeric, kTolerance * scale) << what << " entry " << i;
  }
}

}  // namespace bnlab::testing_fd
