// The engine's one layout, stated once: features × batch. Each column is one
// sample, as in the seeds' notation Z = W·A + b with Z of shape (n[l], m).
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace bnlab {

using Scalar = float;

template <typename T>
using MatrixT = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
template <typename T>
using VectorT = Eigen::Matrix<T, Eigen::Dynamic, 1>;

using Matrix = MatrixT<Scalar>;
using Vector = VectorT<Scalar>;

using Label = std::int32_t;
using Labels = std::vector<Label>;

}  // namespace bnlab
