#include "engine/variant.h"

#include "engine/config.h"
#include "engine/norms/norm.h"

#include <cassert>

namespace bnlab {

const std::vector<VariantInfo>& Variants() {
  static const std::vector<VariantInfo> table = {
      {Variant::kNone, NormKind::kNone, "none", "plain", "Plain",
       "No normalization: Linear, then the activation, the network the BN paper starts from."},
      {Variant::kBn, NormKind::kBatchNorm, "bn", "bn", "BN",
       "Batch Normalization (Ioffe and Szegedy 2015): each unit normalized with the mean and variance of its "
       "mini-batch, before the activation unless bn-placement says after."},
      {Variant::kBnAfter, NormKind::kBatchNorm, "bn-after", "bn-after", "BN after \u03c3",
       "Batch Normalization placed after the activation instead of before it."},
      {Variant::kBnBias, NormKind::kBatchNorm, "bn-bias", "bn-bias", "BN + bias",
       "Batch Normalization with the Linear bias kept in front of it: the bias's gradient is exactly zero, "
       "because \u03b2 does its job."},
      {Variant::kGhostBn, NormKind::kBatchNorm, "ghost-bn", "ghost-bn", "Ghost BN",
       "Ghost Batch Normalization (Hoffer, Hubara, Soudry 2017): statistics over groups of ghost-group samples "
       "of each batch, the noise of a small batch at any batch size."},
      {Variant::kLayerNorm, NormKind::kLayerNorm, "layernorm", "layernorm", "LayerNorm",
       "Layer Normalization (Ba, Kiros, Hinton 2016): each sample normalized over the units of its layer, so "
       "nothing depends on the batch, in training or at test time."},
      {Variant::kRenorm, NormKind::kRenorm, "renorm", "renorm", "Batch Renorm",
       "Batch Renormalization (Ioffe 2017): BN whose batch statistics are corrected toward the running ones "
       "(r, d clipped at renorm-rmax, renorm-dmax), made for small batches."},
  };
  return table;
}

const VariantInfo& InfoOf(Variant variant) {
  for (const VariantInfo& info : Variants()) {
    if (info.variant == variant) return info;
  }
  assert(false && "InfoOf: every Variant has a row in Variants()");
  return Variants().front();
}

bool ParseVariant(const std::string& key, Variant* variant) {
  for (const VariantInfo& info : Variants()) {
    if (key == info.key) {
      *variant = info.variant;
      return true;
    }
  }
  return false;
}

std::string VariantKeyList() {
  std::string list;
  for (const VariantInfo& info : Variants()) list += (list.empty() ? "" : ", ") + std::string(info.key);
  return list;
}

NetConfig ColumnNetConfig(const TrainConfig& config, Variant variant) {
  NetConfig net = config.net;
  net.norm = InfoOf(variant).norm;
  switch (variant) {
    case Variant::kBnAfter: net.placement = Placement::kAfter; break;
    case Variant::kBnBias:
      net.placement = Placement::kBefore;  // after the activation the bias is not in front of BN
      net.bias_before_bn = true;
      break;
    case Variant::kGhostBn: net.ghost_group = config.ghost_group; break;
    case Variant::kNone:
    case Variant::kBn:
    case Variant::kLayerNorm:
    case Variant::kRenorm: break;
  }
  return net;
}

bool UsesBatchStatistics(NormKind norm) { return NormUsesBatchStatistics(norm); }
bool UsesBatchStatistics(Variant variant) { return UsesBatchStatistics(InfoOf(variant).norm); }
bool HasNormalization(Variant variant) { return InfoOf(variant).norm != NormKind::kNone; }

}  // namespace bnlab
