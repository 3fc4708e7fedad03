#include "text/spm_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <system_error>

#include "core/error.h"
#include "text/spm_c_api.h"

namespace seedcanvas::text {

struct SpmFunctions {
  spm_abi_version_fn abi_version;
  spm_load_file_fn load_file;
  spm_load_bytes_fn load_bytes;
  spm_free_model_fn free_model;
  spm_piece_count_fn piece_count;
  spm_piece_to_id_fn piece_to_id;
  spm_id_to_piece_fn id_to_piece;
  spm_id_predicate_fn piece_type;
  spm_score_fn score;
  spm_special_id_fn unk_id;
  spm_special_id_fn bos_id;
  spm_special_id_fn eos_id;
  spm_encode_fn encode;
  spm_free_encoding_fn free_encoding;
  spm_decode_ids_fn decode_ids;
  spm_decode_pieces_fn decode_pieces;
  spm_train_fn train;
  spm_free_string_fn free_string;
};

namespace {

namespace fs = std::filesystem;

// Takes ownership of a plugin-allocated string and frees it with the plugin's allocator.
std::string take_string(const SpmFunctions& fn, char* s, std::size_t size) {
  if (!s) return {};
  std::string out(s, size);
  fn.free_string(s);
  return out;
}

std::string take_error(const SpmFunctions& fn, char* error) {
  if (!error) return "unknown error";
  std::string out(error);
  fn.free_string(error);
  return out;
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

template <typename F>
void resolve(void* handle, const char* name, F& out, const fs::path& path) {
  out = reinterpret_cast<F>(dlsym(handle, name));
  if (!out) throw_error(ErrorKind::Format, describe(path.string(), std::string("missing entry point ") + name));
}

}  // namespace

SpmLibrary::SpmLibrary(fs::path path, void* handle, std::unique_ptr<SpmFunctions> fn)
    : path_(std::move(path)), handle_(handle), fn_(std::move(fn)) {}

SpmLibrary::~SpmLibrary() {
  if (handle_) dlclose(handle_);
}

std::unique_ptr<SpmLibrary> SpmLibrary::open(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw_error(ErrorKind::NotFound, describe(file.string(), "SentencePiece plugin not found"));
  int flags = RTLD_NOW | RTLD_LOCAL;
#ifdef RTLD_DEEPBIND
  flags |= RTLD_DEEPBIND;  // the plugin and libsentencepiece bind to their own protobuf first
#endif
  dlerror();
  void* handle = dlopen(file.c_str(), flags);
  if (!handle) {
    const char* why = dlerror();
    throw_error(ErrorKind::Format,
                describe(file.string(), std::string("cannot load the SentencePiece plugin: ") + (why ? why : "?")));
  }
  auto fn = std::make_unique<SpmFunctions>();
  try {
    resolve(handle, "spm_abi_version", fn->abi_version, file);
    if (fn->abi_version() != SEEDCANVAS_SPM_ABI_VERSION)
      throw_error(ErrorKind::Unsupported,
                  describe(file.string(), "SentencePiece plugin ABI version " + std::to_string(fn->abi_version()) +
                                              ", expected " + std::to_string(SEEDCANVAS_SPM_ABI_VERSION)));
    resolve(handle, "spm_load_file", fn->load_file, file);
    resolve(handle, "spm_load_bytes", fn->load_bytes, file);
    resolve(handle, "spm_free_model", fn->free_model, file);
    resolve(handle, "spm_piece_count", fn->piece_count, file);
    resolve(handle, "spm_piece_to_id", fn->piece_to_id, file);
    resolve(handle, "spm_id_to_piece", fn->id_to_piece, file);
    resolve(handle, "spm_piece_type", fn->piece_type, file);
    resolve(handle, "spm_score", fn->score, file);
    resolve(handle, "spm_unk_id", fn->unk_id, file);
    resolve(handle, "spm_bos_id", fn->bos_id, file);
    resolve(handle, "spm_eos_id", fn->eos_id, file);
    resolve(handle, "spm_encode", fn->encode, file);
    resolve(handle, "spm_free_encoding", fn->free_encoding, file);
    resolve(handle, "spm_decode_ids", fn->decode_ids, file);
    resolve(handle, "spm_decode_pieces", fn->decode_pieces, file);
    resolve(handle, "spm_train", fn->train, file);
    resolve(handle, "spm_free_string", fn->free_string, file);
  } catch (...) {
    dlclose(handle);
    throw;
  }
  return std::unique_ptr<SpmLibrary>(new SpmLibrary(file, handle, std::move(fn)));
}

std::vector<fs::path> SpmLibrary::candidates() {
  std::vector<fs::path> out;
  if (const char* env = std::getenv(kEnvVar); env && *env) {
    fs::path p(env);
    std::error_code ec;
    out.push_back(fs::is_directory(p, ec) ? p / kFileName : p);
    return out;  // an explicit setting is not second-guessed
  }
  if (const fs::path dir = executable_dir(); !dir.empty()) {
    out.push_back(dir / kFileName);
    out.push_back((dir / ".." / "lib" / "seedcanvas" / kFileName).lexically_normal());
  }
#ifdef SEEDCANVAS_SPM_BUILD_PATH
  out.emplace_back(SEEDCANVAS_SPM_BUILD_PATH);
#endif
  return out;
}

const SpmLibrary& SpmLibrary::instance() {
  static std::mutex mutex;
  static std::unique_ptr<SpmLibrary> loaded;  // kept for the life of the process
  std::lock_guard<std::mutex> lock(mutex);
  if (loaded) return *loaded;
  std::string tried;
  for (const auto& candidate : candidates()) {
    std::error_code ec;
    if (!fs::exists(candidate, ec)) {
      tried += "\n  " + candidate.string() + " (absent)";
      continue;
    }
    try {
      loaded = open(candidate);
      return *loaded;
    } catch (const Error& e) {
      tried += "\n  " + std::string(e.what());
    }
  }
  throw_error(ErrorKind::NotFound, std::string("SentencePiece plugin ") + kFileName +
                                       " not found (set " + kEnvVar + " to its path); tried:" + tried);
}

void SpmLibrary::train(const std::string& args) const {
  char* error = nullptr;
  if (fn_->train(args.c_str(), &error) != SPM_OK)
    throw_error(ErrorKind::Format, "SentencePiece training failed: " + take_error(*fn_, error));
}

// ---- SentencePieceModel -------------------------------------------------------------------

SentencePieceModel::SentencePieceModel(const SpmLibrary& lib, ::SpmModel* model, std::string name)
    : lib_(lib), model_(model), name_(std::move(name)), count_(lib.fn().piece_count(model)) {}

SentencePieceModel::~SentencePieceModel() {
  if (model_) lib_.fn().free_model(model_);
}

std::unique_ptr<SentencePieceModel> SentencePieceModel::load_file(const fs::path& file, const SpmLibrary& lib) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw_error(ErrorKind::NotFound, describe(file.string(), "file not found"));
  char* error = nullptr;
  ::SpmModel* model = lib.fn().load_file(file.c_str(), &error);
  if (!model)
    throw_format(file.string(), "not a valid SentencePiece model (" + take_error(lib.fn(), error) + ")");
  return std::unique_ptr<SentencePieceModel>(new SentencePieceModel(lib, model, file.string()));
}

std::unique_ptr<SentencePieceModel> SentencePieceModel::load_bytes(std::string_view bytes, const std::string& name,
                                                                   const SpmLibrary& lib) {
  char* error = nullptr;
  ::SpmModel* model = lib.fn().load_bytes(bytes.data(), bytes.size(), &error);
  if (!model) throw_format(name, "not a valid SentencePiece model (" + take_error(lib.fn(), error) + ")");
  return std::unique_ptr<SentencePieceModel>(new SentencePieceModel(lib, model, name));
}

void SentencePieceModel::check_id(std::int32_t id) const {
  if (id < 0 || id >= count_)
    throw_error(ErrorKind::Format, describe(name_, "token id " + std::to_string(id) + " is outside the " +
                                                       std::to_string(count_) + " SentencePiece pieces"));
}

std::int32_t SentencePieceModel::piece_to_id(std::string_view piece) const {
  return lib_.fn().piece_to_id(model_, piece.data(), piece.size());
}

std::string SentencePieceModel::id_to_piece(std::int32_t id) const {
  check_id(id);
  std::size_t size = 0;
  char* s = lib_.fn().id_to_piece(model_, id, &size);
  return take_string(lib_.fn(), s, size);
}

PieceType SentencePieceModel::type(std::int32_t id) const {
  check_id(id);
  switch (lib_.fn().piece_type(model_, id)) {
    case SPM_UNKNOWN: return PieceType::Unknown;
    case SPM_CONTROL: return PieceType::Control;
    case SPM_BYTE: return PieceType::Byte;
    case SPM_UNUSED: return PieceType::Unused;
    default: return PieceType::Normal;
  }
}

float SentencePieceModel::score(std::int32_t id) const {
  check_id(id);
  return lib_.fn().score(model_, id);
}

std::int32_t SentencePieceModel::unk_id() const { return lib_.fn().unk_id(model_); }
std::int32_t SentencePieceModel::bos_id() const { return lib_.fn().bos_id(model_); }
std::int32_t SentencePieceModel::eos_id() const { return lib_.fn().eos_id(model_); }

SentencePieceModel::Encoding SentencePieceModel::encode(std::string_view text) const {
  SpmEncoding enc{nullptr, 0, nullptr, nullptr};
  char* error = nullptr;
  if (lib_.fn().encode(model_, text.data(), text.size(), &enc, &error) != SPM_OK)
    throw_format(name_, "SentencePiece encoding failed: " + take_error(lib_.fn(), error));
  Encoding out;
  out.ids.assign(enc.ids, enc.ids + enc.count);
  out.pieces.reserve(enc.count);
  for (std::size_t i = 0; i < enc.count; ++i)
    out.pieces.emplace_back(enc.text + enc.offsets[i], enc.offsets[i + 1] - enc.offsets[i]);
  lib_.fn().free_encoding(&enc);
  return out;
}

std::string SentencePieceModel::decode_ids(const std::vector<std::int32_t>& ids) const {
  for (auto id : ids) check_id(id);
  char* text = nullptr;
  std::size_t size = 0;
  char* error = nullptr;
  if (lib_.fn().decode_ids(model_, ids.data(), ids.size(), &text, &size, &error) != SPM_OK)
    throw_format(name_, "SentencePiece decoding failed: " + take_error(lib_.fn(), error));
  return take_string(lib_.fn(), text, size);
}

std::string SentencePieceModel::decode_pieces(const std::vector<std::string>& pieces) const {
  std::string joined;
  std::vector<std::size_t> offsets(pieces.size() + 1, 0);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    joined += pieces[i];
    offsets[i + 1] = joined.size();
  }
  char* text = nullptr;
  std::size_t size = 0;
  char* error = nullptr;
  if (lib_.fn().decode_pieces(model_, joined.data(), offsets.data(), pieces.size(), &text, &size, &error) != SPM_OK)
    throw_format(name_, "SentencePiece decoding failed: " + take_error(lib_.fn(), error));
  return take_string(lib_.fn(), text, size);
}

}  // namespace seedcanvas::text
