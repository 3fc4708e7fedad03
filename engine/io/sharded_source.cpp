#include "io/sharded_source.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::io {
namespace {

class ShardedSource final : public TensorSource {
 public:
  ShardedSource(std::string origin, std::vector<std::unique_ptr<TensorSource>> shards,
                std::map<std::string, std::size_t> owner)
      : origin_(std::move(origin)), shards_(std::move(shards)), owner_(std::move(owner)) {
    for (const auto& [name, index] : owner_) infos_.push_back(*shards_[index]->find(name));
  }
  const std::vector<TensorInfo>& tensors() const override { return infos_; }
  at::Tensor load(const std::string& name) const override {
    auto it = owner_.find(name);
    if (it == owner_.end()) throw_error(ErrorKind::NotFound, describe(origin_, "no such tensor", name));
    return shards_[it->second]->load(name);
  }
  std::string origin() const override { return origin_; }

 private:
  std::string origin_;
  std::vector<std::unique_ptr<TensorSource>> shards_;
  std::map<std::string, std::size_t> owner_;
  std::vector<TensorInfo> infos_;
};

}  // namespace

std::unique_ptr<TensorSource> open_sharded(const std::filesystem::path& index_json) {
  const std::string file = index_json.string();
  nlohmann::json index = read_json_file(index_json);
  auto map_it = index.find("weight_map");
  if (map_it == index.end() || !map_it->is_object()) throw_format(file, "no 'weight_map' object");

  const auto dir = index_json.parent_path();
  std::map<std::string, std::size_t> shard_ids;
  std::vector<std::unique_ptr<TensorSource>> shards;
  std::map<std::string, std::size_t> owner;
  for (auto it = map_it->begin(); it != map_it->end(); ++it) {
    if (!it.value().is_string()) throw_format(file, "weight_map entry is not a file name", it.key());
    const std::string shard = it.value().get<std::string>();
    // Shard names are plain file names beside the index; anything else could escape the folder.
    if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos || shard == "." ||
        shard == "..")
      throw_format(file, "shard name '" + shard + "' is not a plain file name", it.key());
    auto [pos, inserted] = shard_ids.emplace(shard, shards.size());
    if (inserted) {
      const auto path = dir / shard;
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        // Count what else is absent, so the user knows the download is incomplete, not broken.
        std::size_t absent = 0, total = 0;
        std::set<std::string> seen;
        for (auto jt = map_it->begin(); jt != map_it->end(); ++jt)
          if (jt.value().is_string() && seen.insert(jt.value().get<std::string>()).second) {
            ++total;
            if (!std::filesystem::exists(dir / jt.value().get<std::string>(), ec)) ++absent;
          }
        throw_error(ErrorKind::NotFound,
                    describe(file, "names shard '" + shard + "', which is missing (" + std::to_string(absent) + " of " +
                                       std::to_string(total) + " shards absent): the download is incomplete; download "
                                       "the missing shard files into " + dir.string(),
                             it.key()));
      }
      shards.push_back(open_checkpoint(path));
    }
    if (!shards[pos->second]->contains(it.key()))
      throw_format(shards[pos->second]->origin(), "tensor listed in the index is not in this shard", it.key());
    owner[it.key()] = pos->second;
  }
  return std::make_unique<ShardedSource>(file, std::move(shards), std::move(owner));
}

}  // namespace seedcanvas::io
