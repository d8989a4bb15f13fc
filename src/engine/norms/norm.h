// The normalizations a hidden layer can have, one type each (its own header in this folder),
// and NormLayer, the table of them: a hidden layer holds one NormLayer and the network reaches
// the type inside with std::visit, never with a switch on the kind. A type's place in the list
// is its NormKind; its rows of the variants table (variant.h) are in its header.
//
// Every normalization N is a struct like the other layers (parameters and gradients as
// members, a forward that caches what its backward needs) with the same functions:
//   static constexpr VariantInfo kVariants[]        its rows of the variants table: flag value,
//                                                   label, title, description, colour (variant.h)
//   static constexpr bool kUsesBatchStatistics      its output depends on the batch-mates
//   static constexpr NormFootprint kFootprint       the memory its vectors and caches take
//   V gamma, beta, dgamma, dbeta                    (units) learned scale, shift, their gradients;
//                                                   the network takes their SGD steps
//   void Init(int units), void Configure(const NetConfig&)   sizes; its settings (ε, ...)
//   int units() const
//   void ForwardTrain(x, y)                         training mode; caches for Backward
//   void Backward(dy, dx)                           also sets dgamma, dbeta
//   void UpdateRunningStats(int batch_size)         folds the last ForwardTrain's statistics in
//   void ForwardEval(x, y) const                    eval mode (running statistics), no side effects
// and, when kUsesBatchStatistics (the population statistics, the per-group batch mode):
//   Eigen::Index GroupSize(m) const                 samples per group of statistics at batch m
//   void ForwardEval(x, mean, var, y) const         eval mode with given μ and unbiased σ²
//   void ForwardBatch(x, mean, var, y) const        training's transform on one group with its
//                                                   μ_B and biased σ²_B, no side effects
//   const V& RunningMean() const, VectorT<U> RunningVar<U>() const   as μ and σ²
//   M x_hat, batch_mean, batch_var                  the last ForwardTrain's x̂ and, in column 0,
//                                                   its (first group's) μ_B and biased σ²_B
//
// Adding one is its header and its type in NormLayer's list below. GroupNorm, say:
//   1. norms/group_norm.h: template <typename T> struct GroupNorm { ... } with the functions
//      above, its row
//        static constexpr VariantInfo kVariants[] = {{"groupnorm", "groupnorm", "GroupNorm",
//            "Group Normalization (Wu and He 2018): ...", 0x8c8cdc}};
//      and, when it reads a setting of its own, that setting's row in src/settings;
//   2. here: #include "engine/norms/group_norm.h" and GroupNorm<T> at the end of NormLayer's list.
// Then --left groupnorm works everywhere (flags, scenes, the GUI's column menus, the CSV), and
// the tests over the table check its backward by finite differences, alone and in networks
// (NormGradientCheck in tests/engine/gradient_check_test.cpp, NormNetworkGradientCheck in
// variant_gradient_test.cpp) and train it beside every other variant (the side-by-side runs in
// variant_test.cpp).
#pragma once

#include "engine/norms/batch_norm.h"
#include "engine/norms/batch_renorm.h"
#include "engine/norms/layer_norm.h"
#include "engine/norms/norm_footprint.h"
#include "engine/types.h"

#include <cassert>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <variant>

namespace bnlab {

// The plain net's "normalization": none (no parameters; the network never calls it, and its
// transforms would be the identity).
template <typename T>
struct NoNorm {
  using M = MatrixT<T>;
  using V = VectorT<T>;
  static constexpr bool kUsesBatchStatistics = false;
  static constexpr NormFootprint kFootprint = {0, 0, 0, 0};
  static constexpr VariantInfo kVariants[] = {
      {"none", "plain", "Plain", "No normalization: Linear, then the activation, the network the BN paper starts from.",
       0xf58518},  // orange
  };

  V gamma, beta, dgamma, dbeta;  // (0)

  void Init(int /*units*/) {}
  void Configure(const NetConfig& /*config*/) {}
  int units() const { return 0; }
  void ForwardTrain(const Eigen::Ref<const M>& x, M& y) { y = x; }
  void Backward(const Eigen::Ref<const M>& dy, M& dx) { dx = dy; }
  void UpdateRunningStats(int /*batch_size*/) {}
  void ForwardEval(const Eigen::Ref<const M>& x, M& y) const { y = x; }
};

// The table: every normalization, one type each. NoNorm stays first (NormKind{}, Variant{}).
template <typename T>
using NormLayer = std::variant<NoNorm<T>, BatchNorm<T>, LayerNorm<T>, BatchRenorm<T>>;

inline constexpr std::size_t kNormKinds = std::variant_size_v<NormLayer<float>>;

// The kind of a type in NormLayer's list: KindOf<BatchNorm>().
template <template <typename> class Norm, std::size_t I = 0>
constexpr NormKind KindOf() {
  static_assert(I < kNormKinds, "KindOf: the type is not in NormLayer's list");
  if constexpr (std::is_same_v<std::variant_alternative_t<I, NormLayer<float>>, Norm<float>>) {
    return static_cast<NormKind>(I);
  } else {
    return KindOf<Norm, I + 1>();
  }
}

// The NormLayer that holds `kind`'s type, default-constructed (Init it).
template <typename T, std::size_t I = 0>
NormLayer<T> MakeNormLayer(NormKind kind) {
  if constexpr (I + 1 < kNormKinds) {
    if (static_cast<std::size_t>(kind) != I) return MakeNormLayer<T, I + 1>(kind);
  }
  assert(static_cast<std::size_t>(kind) == I && "MakeNormLayer: a NormKind is a place in NormLayer's list");
  return NormLayer<T>(std::in_place_index<I>);
}

template <typename Norm>
struct NormTag {
  using type = Norm;
};

// f(NormTag<N>()) for kind's type N: the facts about a kind (in float; not its numbers).
template <typename F, std::size_t I = 0>
constexpr auto WithNormType(NormKind kind, F&& f) {
  using N = std::variant_alternative_t<I, NormLayer<float>>;
  if constexpr (I + 1 < kNormKinds) {
    if (static_cast<std::size_t>(kind) != I) return WithNormType<F, I + 1>(kind, std::forward<F>(f));
  }
  assert(static_cast<std::size_t>(kind) == I && "WithNormType: a NormKind is a place in NormLayer's list");
  return f(NormTag<N>());
}

constexpr bool NormUsesBatchStatistics(NormKind kind) {
  return WithNormType(kind, [](auto tag) { return decltype(tag)::type::kUsesBatchStatistics; });
}
constexpr NormFootprint FootprintOf(NormKind kind) {
  return WithNormType(kind, [](auto tag) { return decltype(tag)::type::kFootprint; });
}

// The type a visitor was given, without const and reference.
template <typename Norm>
using NormType = std::remove_cv_t<std::remove_reference_t<Norm>>;

}  // namespace bnlab
