// The normalizations the two columns can be compared with ("variants"): one table gives each
// its flag value, label, title and description, and the network it stands for. The twins are
// TrainConfig::left (NetId::kLeft) and TrainConfig::right (NetId::kRight); by default none and bn.
//
// How the shared settings shape them:
//   bn        the BN of the shared settings: --bn-placement, --bias-before-bn as given
//   bn-after  BN after the activation, whatever --bn-placement says
//   bn-bias   BN before the activation with the Linear bias kept, whatever --bn-placement and
//             --bias-before-bn say
//   ghost-bn  bn with statistics over groups of --ghost-group samples
//   layernorm, renorm  at --bn-placement; renorm uses --renorm-rmax, --renorm-dmax, and like BN,
//             --bias-before-bn (its bias has zero gradient too); LayerNorm always keeps the bias
//   --momentum and --eps apply to every normalization that has them.
#pragma once

#include <string>
#include <vector>

namespace bnlab {

struct NetConfig;
struct TrainConfig;

enum class Variant { kNone, kBn, kBnAfter, kBnBias, kGhostBn, kLayerNorm, kRenorm };

// The normalization of a network's hidden layers (one kind per network); each has its type in
// norms/ and in NormLayer's list (norms/norm.h).
enum class NormKind {
  kNone,       // the plain net
  kBatchNorm,  // BN (norms/batch_norm.h), with NetConfig's placement, bias and ghost group
  kLayerNorm,  // per-sample statistics over the units (norms/layer_norm.h)
  kRenorm,     // batch renormalization with NetConfig's r_max, d_max (norms/batch_renorm.h)
};

struct VariantInfo {
  Variant variant;
  NormKind norm;
  const char* key;          // the flag and scene value: --right ghost-bn
  const char* label;        // legends and the CSV `net` column: plain, bn, ghost-bn, ...
  const char* title;        // for display: "Ghost BN"
  const char* description;  // one sentence
};

// Every variant, in the order the help text lists them.
const std::vector<VariantInfo>& Variants();
const VariantInfo& InfoOf(Variant variant);
inline const char* VariantKey(Variant variant) { return InfoOf(variant).key; }
inline const char* VariantLabel(Variant variant) { return InfoOf(variant).label; }
inline const char* VariantTitle(Variant variant) { return InfoOf(variant).title; }
// false when `key` names no variant.
bool ParseVariant(const std::string& key, Variant* variant);
// "none, bn, bn-after, ...": for help texts and messages.
std::string VariantKeyList();

// The network of one column: the shared config.net shaped by the variant (see above).
NetConfig ColumnNetConfig(const TrainConfig& config, Variant variant);

// BN, its variants and renorm normalize with batch statistics (so the batch size, the running
// statistics and eval mode matter); none and layernorm do not.
bool UsesBatchStatistics(Variant variant);
bool UsesBatchStatistics(NormKind norm);
bool HasNormalization(Variant variant);

}  // namespace bnlab
