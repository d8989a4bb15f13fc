#include "engine/variant.h"

#include "engine/config.h"
#include "engine/norms/norm.h"

#include <cassert>
#include <stdexcept>

namespace bnlab {
namespace {

// The rows of NormLayer's types, in its order, each told its kind and its place.
template <std::size_t... I>
std::vector<VariantInfo> CollectRows(std::index_sequence<I...>) {
  std::vector<VariantInfo> rows;
  auto add = [&rows](const auto& type_rows, NormKind norm) {
    for (VariantInfo row : type_rows) {
      row.norm = norm;
      row.variant = static_cast<Variant>(rows.size());
      rows.push_back(row);
    }
  };
  (add(std::variant_alternative_t<I, NormLayer<float>>::kVariants, static_cast<NormKind>(I)), ...);
  return rows;
}

}  // namespace

const std::vector<VariantInfo>& Variants() {
  static const std::vector<VariantInfo> table =
      CollectRows(std::make_index_sequence<std::variant_size_v<NormLayer<float>>>());
  return table;
}

const VariantInfo& InfoOf(Variant variant) {
  const auto row = static_cast<std::size_t>(variant);
  assert(row < Variants().size() && "InfoOf: a Variant is a row of Variants()");
  return Variants()[row];
}

Variant VariantNamed(const std::string& key) {
  Variant variant;
  if (!ParseVariant(key, &variant)) throw std::invalid_argument("no variant is named '" + key + "'");
  return variant;
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
  const VariantInfo& info = InfoOf(variant);
  NetConfig net = config.net;
  net.norm = info.norm;
  if (info.shape != nullptr) info.shape(config, net);
  return net;
}

bool UsesBatchStatistics(NormKind norm) { return NormUsesBatchStatistics(norm); }
bool UsesBatchStatistics(Variant variant) { return UsesBatchStatistics(InfoOf(variant).norm); }
bool HasNormalization(Variant variant) { return InfoOf(variant).norm != KindOf<NoNorm>(); }
bool IsBatchNorm(Variant variant) { return InfoOf(variant).norm == KindOf<BatchNorm>(); }

}  // namespace bnlab
