// safetensors header validation: needs nlohmann-json and c10's dtype enum only, so the
// fuzz target can build it without LibTorch's heavy parts.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "io/safetensors.h"

namespace seedcanvas::io {
namespace {

// Real headers are a few hundred kB at most; refuse absurd ones before allocating.
constexpr std::uint64_t kMaxHeaderBytes = 100ull << 20;

std::uint64_t read_u64_le(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

bool mul_overflows(std::uint64_t a, std::uint64_t b, std::uint64_t* out) {
  return __builtin_mul_overflow(a, b, out);
}

}  // namespace

c10::ScalarType dtype_from_safetensors(const std::string& name, const std::string& file,
                                       const std::string& tensor) {
  using c10::ScalarType;
  if (name == "F32") return ScalarType::Float;
  if (name == "F16") return ScalarType::Half;
  if (name == "BF16") return ScalarType::BFloat16;
  if (name == "F64") return ScalarType::Double;
  if (name == "I64") return ScalarType::Long;
  if (name == "I32") return ScalarType::Int;
  if (name == "I16") return ScalarType::Short;
  if (name == "I8") return ScalarType::Char;
  if (name == "U8") return ScalarType::Byte;
  if (name == "BOOL") return ScalarType::Bool;
  throw_error(ErrorKind::Unsupported, describe(file, "unsupported dtype '" + name + "'", tensor));
}

SafetensorsHeader parse_safetensors_header(const std::uint8_t* data, std::size_t size,
                                           const std::string& file) {
  if (size < 8) throw_format(file, "truncated: file is smaller than the 8-byte header length");
  const std::uint64_t header_len = read_u64_le(data);
  if (header_len > kMaxHeaderBytes)
    throw_format(file, "header length " + std::to_string(header_len) + " is implausibly large");
  if (header_len > size - 8)
    throw_format(file, "header length " + std::to_string(header_len) + " runs past the end of the file (" +
                           std::to_string(size) + " bytes)");
  if (header_len < 2) throw_format(file, "header is too short to be JSON");

  SafetensorsHeader header;
  header.data_start = 8 + header_len;
  const std::uint64_t data_size = size - header.data_start;

  nlohmann::json json;
  try {
    json = nlohmann::json::parse(data + 8, data + 8 + header_len);
  } catch (const nlohmann::json::exception& e) {
    throw_format(file, std::string("header is not valid JSON: ") + e.what());
  }
  if (!json.is_object()) throw_format(file, "header JSON is not an object");

  for (auto it = json.begin(); it != json.end(); ++it) {
    const std::string& name = it.key();
    const auto& value = it.value();
    if (name == "__metadata__") {
      if (!value.is_object()) throw_format(file, "__metadata__ is not an object");
      for (auto m = value.begin(); m != value.end(); ++m) {
        if (!m.value().is_string()) throw_format(file, "__metadata__ value '" + m.key() + "' is not a string");
        header.metadata[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    if (!value.is_object()) throw_format(file, "entry is not an object", name);
    auto dtype_it = value.find("dtype");
    auto shape_it = value.find("shape");
    auto offs_it = value.find("data_offsets");
    if (dtype_it == value.end() || !dtype_it->is_string()) throw_format(file, "missing or invalid 'dtype'", name);
    if (shape_it == value.end() || !shape_it->is_array()) throw_format(file, "missing or invalid 'shape'", name);
    if (offs_it == value.end() || !offs_it->is_array() || offs_it->size() != 2)
      throw_format(file, "missing or invalid 'data_offsets'", name);

    SafetensorsEntry entry;
    entry.info.name = name;
    entry.info.file = file;
    entry.info.dtype = dtype_from_safetensors(dtype_it->get<std::string>(), file, name);
    std::uint64_t count = 1;
    for (const auto& d : *shape_it) {
      if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<std::int64_t>() >= 0))
        throw_format(file, "shape has a negative or non-integer dimension", name);
      const std::uint64_t dim = d.get<std::uint64_t>();
      if (dim > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) || mul_overflows(count, dim, &count))
        throw_format(file, "shape overflows", name);
      entry.info.shape.push_back(static_cast<std::int64_t>(dim));
    }
    std::uint64_t nbytes = 0;
    if (mul_overflows(count, element_size(entry.info.dtype), &nbytes)) throw_format(file, "byte size overflows", name);
    for (const auto& o : *offs_it)
      if (!o.is_number_unsigned() && !(o.is_number_integer() && o.get<std::int64_t>() >= 0))
        throw_format(file, "data_offsets are not non-negative integers", name);
    entry.begin = (*offs_it)[0].get<std::uint64_t>();
    entry.end = (*offs_it)[1].get<std::uint64_t>();
    if (entry.end < entry.begin) throw_format(file, "data_offsets end before they begin", name);
    if (entry.end > data_size)
      throw_format(file, "data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) +
                             ") run past the end of the data (" + std::to_string(data_size) +
                             " bytes): the file is truncated (an interrupted download?); download it again", name);
    if (entry.end - entry.begin != nbytes)
      throw_format(file, "size mismatch: dtype x shape is " + std::to_string(nbytes) + " bytes but data_offsets span " +
                             std::to_string(entry.end - entry.begin), name);
    entry.info.nbytes = nbytes;
    header.entries.push_back(std::move(entry));
  }

  // Overlapping ranges would let two tensors alias each other's bytes.
  std::vector<const SafetensorsEntry*> by_offset;
  for (const auto& e : header.entries)
    if (e.end > e.begin) by_offset.push_back(&e);
  std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
  const SafetensorsEntry* furthest = nullptr;
  for (const auto* e : by_offset) {
    if (furthest && e->begin < furthest->end)
      throw_format(file, "data overlaps that of '" + furthest->info.name + "'", e->info.name);
    if (!furthest || e->end > furthest->end) furthest = e;
  }
  std::sort(header.entries.begin(), header.entries.end(),
            [](const auto& a, const auto& b) { return a.info.name < b.info.name; });
  return header;
}

}  // namespace seedcanvas::io
