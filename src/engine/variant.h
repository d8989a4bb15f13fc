// The normalizations the two columns can be compared with ("variants"): one table gives each
// its flag value, label, title, description and colour, and the network it stands for. Its rows
// are in the normalizations' headers (norms/: kVariants), read in NormLayer's order. The twins are
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

// The normalization of a network's hidden layers (one kind per network): the place of its type
// in NormLayer's list (norms/norm.h), KindOf<BatchNorm>() say; NormKind{} is NoNorm, the plain net.
enum class NormKind : unsigned char {};

// A column's variant: a row of Variants(), VariantNamed("ghost-bn") say; Variant{} is "none".
enum class Variant : unsigned char {};

// A row of the variants table. Each normalization lists its rows in its own header (kVariants:
// the first five fields); Variants() adds the last two.
struct VariantInfo {
  const char* key;          // the flag and scene value: --right ghost-bn
  const char* label;        // legends and the CSV `net` column: plain, bn, ghost-bn, ...
  const char* title;        // for display: "Ghost BN"
  const char* description;  // one sentence
  unsigned rgb;             // its colour in the GUI's plots and legends, 0xRRGGBB
  // What the shared settings change for it beyond its kind (bn-after: the placement), or null.
  void (*shape)(const TrainConfig& config, NetConfig& net) = nullptr;
  NormKind norm{};    // the type whose header lists the row
  Variant variant{};  // its place in Variants()
};

// Every variant: the rows of NormLayer's types in the list's order (the order the help text
// lists them).
const std::vector<VariantInfo>& Variants();
const VariantInfo& InfoOf(Variant variant);
// The variant whose key is `key`; throws std::invalid_argument when none is (so a name written in
// the code is checked by the first test that reaches it). ParseVariant is for input.
Variant VariantNamed(const std::string& key);
inline const char* VariantKey(Variant variant) { return InfoOf(variant).key; }
inline const char* VariantLabel(Variant variant) { return InfoOf(variant).label; }
inline const char* VariantTitle(Variant variant) { return InfoOf(variant).title; }
// false when `key` names no variant.
bool ParseVariant(const std::string& key, Variant* variant);
// "none, bn, bn-after, ...": for help texts and messages.
std::string VariantKeyList();

// The network of one column: the shared config.net with the variant's kind, shaped by its row.
NetConfig ColumnNetConfig(const TrainConfig& config, Variant variant);

// BN, its variants and renorm normalize with batch statistics (so the batch size, the running
// statistics and eval mode matter); none and layernorm do not.
bool UsesBatchStatistics(Variant variant);
bool UsesBatchStatistics(NormKind norm);
bool HasNormalization(Variant variant);
// A row of BatchNorm's (bn, bn-after, bn-bias, ghost-bn): the layers Inside BN looks into.
bool IsBatchNorm(Variant variant);

}  // namespace bnlab
