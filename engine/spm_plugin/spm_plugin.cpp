// The SentencePiece plugin: libsentencepiece behind the C interface of engine/text/spm_c_api.h.
// Lives in its own shared library so that sentencepiece's bundled protobuf never shares a
// symbol namespace with LibTorch's (loaded with RTLD_LOCAL | RTLD_DEEPBIND by the engine).
// Nothing may throw across the boundary: every entry point catches and reports a string.
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "text/spm_c_api.h"

#define SPM_EXPORT extern "C" __attribute__((visibility("default")))

struct SpmModel {
  sentencepiece::SentencePieceProcessor processor;
};

namespace {

char* copy_string(std::string_view s, size_t* size = nullptr) {
  auto* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (!out) return nullptr;
  if (!s.empty()) std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  if (size) *size = s.size();
  return out;
}

void set_error(char** error, std::string_view message) {
  if (error) *error = copy_string(message);
}

bool in_range(const SpmModel* m, int32_t id) { return m && id >= 0 && id < m->processor.GetPieceSize(); }

SpmModel* finish_load(std::unique_ptr<SpmModel> model, const sentencepiece::util::Status& status, char** error) {
  if (!status.ok()) {
    set_error(error, status.ToString());
    return nullptr;
  }
  if (model->processor.GetPieceSize() <= 0) {
    set_error(error, "the model has no pieces");
    return nullptr;
  }
  return model.release();
}

int decode_result(const sentencepiece::util::Status& status, const std::string& decoded, char** text, size_t* size,
                  char** error) {
  if (!status.ok()) {
    set_error(error, status.ToString());
    return SPM_ERROR;
  }
  *text = copy_string(decoded, size);
  if (!*text) {
    set_error(error, "out of memory");
    return SPM_ERROR;
  }
  return SPM_OK;
}

}  // namespace

SPM_EXPORT uint32_t spm_abi_version(void) { return SEEDCANVAS_SPM_ABI_VERSION; }

SPM_EXPORT SpmModel* spm_load_file(const char* path, char** error) {
  try {
    auto model = std::make_unique<SpmModel>();
    const auto status = model->processor.Load(path ? path : "");
    return finish_load(std::move(model), status, error);
  } catch (const std::exception& e) {
    set_error(error, e.what());
  } catch (...) {
    set_error(error, "unknown error while loading");
  }
  return nullptr;
}

SPM_EXPORT SpmModel* spm_load_bytes(const void* data, size_t size, char** error) {
  try {
    auto model = std::make_unique<SpmModel>();
    const auto status =
        model->processor.LoadFromSerializedProto(std::string_view(static_cast<const char*>(data), data ? size : 0));
    return finish_load(std::move(model), status, error);
  } catch (const std::exception& e) {
    set_error(error, e.what());
  } catch (...) {
    set_error(error, "unknown error while loading");
  }
  return nullptr;
}

SPM_EXPORT void spm_free_model(SpmModel* model) { delete model; }

SPM_EXPORT int32_t spm_piece_count(const SpmModel* model) { return model ? model->processor.GetPieceSize() : 0; }

SPM_EXPORT int32_t spm_piece_to_id(const SpmModel* model, const char* piece, size_t size) {
  if (!model) return -1;
  try {
    return model->processor.PieceToId(std::string_view(piece ? piece : "", piece ? size : 0));
  } catch (...) {
    return -1;
  }
}

SPM_EXPORT char* spm_id_to_piece(const SpmModel* model, int32_t id, size_t* size) {
  if (!in_range(model, id)) return nullptr;
  try {
    return copy_string(model->processor.IdToPiece(id), size);
  } catch (...) {
    return nullptr;
  }
}

SPM_EXPORT int spm_piece_type(const SpmModel* model, int32_t id) {
  if (!in_range(model, id)) return 0;
  const auto& p = model->processor;
  if (p.IsUnknown(id)) return SPM_UNKNOWN;
  if (p.IsControl(id)) return SPM_CONTROL;
  if (p.IsByte(id)) return SPM_BYTE;
  if (p.IsUnused(id)) return SPM_UNUSED;
  return SPM_NORMAL;  // user-defined pieces are reported as normal: both decode to their text
}

SPM_EXPORT int spm_is_byte(const SpmModel* model, int32_t id) { return in_range(model, id) && model->processor.IsByte(id); }
SPM_EXPORT int spm_is_control(const SpmModel* model, int32_t id) {
  return in_range(model, id) && model->processor.IsControl(id);
}
SPM_EXPORT int spm_is_unknown(const SpmModel* model, int32_t id) {
  return in_range(model, id) && model->processor.IsUnknown(id);
}
SPM_EXPORT float spm_score(const SpmModel* model, int32_t id) {
  return in_range(model, id) ? model->processor.GetScore(id) : 0.0f;
}
SPM_EXPORT int32_t spm_unk_id(const SpmModel* model) { return model ? model->processor.unk_id() : -1; }
SPM_EXPORT int32_t spm_bos_id(const SpmModel* model) { return model ? model->processor.bos_id() : -1; }
SPM_EXPORT int32_t spm_eos_id(const SpmModel* model) { return model ? model->processor.eos_id() : -1; }

SPM_EXPORT int spm_encode(const SpmModel* model, const char* text, size_t size, SpmEncoding* out, char** error) {
  if (!model || !out) {
    set_error(error, "null model or output");
    return SPM_ERROR;
  }
  *out = SpmEncoding{nullptr, 0, nullptr, nullptr};
  try {
    sentencepiece::ImmutableSentencePieceText spt;
    const auto status = model->processor.Encode(std::string_view(text ? text : "", text ? size : 0),
                                                spt.mutable_proto());
    if (!status.ok()) {
      set_error(error, status.ToString());
      return SPM_ERROR;
    }
    const size_t n = spt.pieces_size();
    std::string joined;
    std::vector<size_t> offsets(n + 1, 0);
    for (size_t i = 0; i < n; ++i) {
      joined += spt.pieces(static_cast<int>(i)).piece();
      offsets[i + 1] = joined.size();
    }
    out->ids = static_cast<int32_t*>(std::malloc(sizeof(int32_t) * (n ? n : 1)));
    out->offsets = static_cast<size_t*>(std::malloc(sizeof(size_t) * (n + 1)));
    out->text = copy_string(joined);
    if (!out->ids || !out->offsets || !out->text) {
      std::free(out->ids);
      std::free(out->offsets);
      std::free(out->text);
      *out = SpmEncoding{nullptr, 0, nullptr, nullptr};
      set_error(error, "out of memory");
      return SPM_ERROR;
    }
    for (size_t i = 0; i < n; ++i) out->ids[i] = static_cast<int32_t>(spt.pieces(static_cast<int>(i)).id());
    std::memcpy(out->offsets, offsets.data(), sizeof(size_t) * (n + 1));
    out->count = n;
    return SPM_OK;
  } catch (const std::exception& e) {
    set_error(error, e.what());
  } catch (...) {
    set_error(error, "unknown error while encoding");
  }
  return SPM_ERROR;
}

SPM_EXPORT void spm_free_encoding(SpmEncoding* encoding) {
  if (!encoding) return;
  std::free(encoding->ids);
  std::free(encoding->text);
  std::free(encoding->offsets);
  *encoding = SpmEncoding{nullptr, 0, nullptr, nullptr};
}

SPM_EXPORT int spm_decode_ids(const SpmModel* model, const int32_t* ids, size_t count, char** text, size_t* size,
                              char** error) {
  if (!model || !text || (count && !ids)) {
    set_error(error, "null model, ids or output");
    return SPM_ERROR;
  }
  try {
    std::vector<int> v(ids, ids + count);
    for (int id : v)
      if (!in_range(model, id)) {
        set_error(error, "id " + std::to_string(id) + " is outside the vocabulary of " +
                             std::to_string(model->processor.GetPieceSize()) + " pieces");
        return SPM_ERROR;
      }
    std::string decoded;
    const auto status = model->processor.Decode(v, &decoded);
    return decode_result(status, decoded, text, size, error);
  } catch (const std::exception& e) {
    set_error(error, e.what());
  } catch (...) {
    set_error(error, "unknown error while decoding");
  }
  return SPM_ERROR;
}

SPM_EXPORT int spm_decode_pieces(const SpmModel* model, const char* pieces, const size_t* offsets, size_t count,
                                 char** text, size_t* size, char** error) {
  if (!model || !text || (count && (!pieces || !offsets))) {
    set_error(error, "null model, pieces or output");
    return SPM_ERROR;
  }
  try {
    std::vector<std::string> v;
    v.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (offsets[i + 1] < offsets[i]) {
        set_error(error, "piece offsets go backwards");
        return SPM_ERROR;
      }
      v.emplace_back(pieces + offsets[i], offsets[i + 1] - offsets[i]);
    }
    std::string decoded;
    const auto status = model->processor.Decode(v, &decoded);
    return decode_result(status, decoded, text, size, error);
  } catch (const std::exception& e) {
    set_error(error, e.what());
  } catch (...) {
    set_error(error, "unknown error while decoding");
  }
  return SPM_ERROR;
}

SPM_EXPORT int spm_train(const char* args, char** error) {
  try {
    const auto status = sentencepiece::SentencePieceTrainer::Train(args ? args : "");
    if (!status.ok()) {
      set_error(error, status.ToString());
      return SPM_ERROR;
    }
    return SPM_OK;
  } catch (const std::exception& e) {
    set_error(error, e.what());
  } catch (...) {
    set_error(error, "unknown error while training");
  }
  return SPM_ERROR;
}

SPM_EXPORT void spm_free_string(char* text) { std::free(text); }
