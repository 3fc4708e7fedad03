// SentencePiece through the plugin (engine/spm_plugin): finding and dlopen()ing
// libseedcanvas_spm.so, and a C++ face for one model living in it. The engine never links
// sentencepiece (its protobuf crashes next to LibTorch's, platform notes #2).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct SpmModel;  // the plugin's opaque model (engine/text/spm_c_api.h)

namespace seedcanvas::text {

struct SpmFunctions;  // resolved entry points (spm_library.cpp)

// The loaded plugin. Loaded once per process and never unloaded (models may outlive callers).
class SpmLibrary {
 public:
  static constexpr const char* kFileName = "libseedcanvas_spm.so";
  static constexpr const char* kEnvVar = "SEEDCANVAS_SPM_PLUGIN";

  // The process-wide plugin: $SEEDCANVAS_SPM_PLUGIN (a file or a folder; when set it is the only
  // place looked at), else beside the running executable, ../lib/seedcanvas/ relative to it,
  // and the build tree. Throws Error(NotFound) listing every place tried. Failures are not
  // cached, so a later call may succeed.
  static const SpmLibrary& instance();
  // Loads the plugin from exactly `file` (a new handle each call; for tests and tools).
  static std::unique_ptr<SpmLibrary> open(const std::filesystem::path& file);
  // The places instance() tries, in order.
  static std::vector<std::filesystem::path> candidates();

  ~SpmLibrary();
  SpmLibrary(const SpmLibrary&) = delete;
  SpmLibrary& operator=(const SpmLibrary&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const SpmFunctions& fn() const { return *fn_; }

  // sentencepiece::SentencePieceTrainer::Train(args); throws Error(Format) with its message.
  void train(const std::string& args) const;

 private:
  SpmLibrary(std::filesystem::path path, void* handle, std::unique_ptr<SpmFunctions> fn);
  std::filesystem::path path_;
  void* handle_ = nullptr;
  std::unique_ptr<SpmFunctions> fn_;
};

enum class PieceType { Normal, Unknown, Control, Byte, Unused };

// One SentencePiece model (a tokenizer.model). Errors name `name` (usually the file).
class SentencePieceModel {
 public:
  static std::unique_ptr<SentencePieceModel> load_file(const std::filesystem::path& file,
                                                       const SpmLibrary& lib = SpmLibrary::instance());
  static std::unique_ptr<SentencePieceModel> load_bytes(std::string_view bytes, const std::string& name,
                                                        const SpmLibrary& lib = SpmLibrary::instance());
  ~SentencePieceModel();
  SentencePieceModel(const SentencePieceModel&) = delete;
  SentencePieceModel& operator=(const SentencePieceModel&) = delete;

  const std::string& name() const { return name_; }
  std::int32_t piece_count() const { return count_; }
  std::int32_t piece_to_id(std::string_view piece) const;  // unk id for unknown pieces
  std::string id_to_piece(std::int32_t id) const;           // throws for ids out of range
  PieceType type(std::int32_t id) const;
  bool is_byte(std::int32_t id) const { return type(id) == PieceType::Byte; }
  bool is_control(std::int32_t id) const { return type(id) == PieceType::Control; }
  bool is_unknown(std::int32_t id) const { return type(id) == PieceType::Unknown; }
  float score(std::int32_t id) const;
  std::int32_t unk_id() const;
  std::int32_t bos_id() const;  // -1 when the model has none
  std::int32_t eos_id() const;

  struct Encoding {
    std::vector<std::int32_t> ids;
    std::vector<std::string> pieces;
  };
  // Plain SentencePiece encoding (its own dummy prefix; no added-token handling).
  Encoding encode(std::string_view text) const;
  std::string decode_ids(const std::vector<std::int32_t>& ids) const;
  // Decodes piece strings; unknown strings decode to themselves (as SentencePiece does).
  std::string decode_pieces(const std::vector<std::string>& pieces) const;

 private:
  SentencePieceModel(const SpmLibrary& lib, ::SpmModel* model, std::string name);
  void check_id(std::int32_t id) const;
  const SpmLibrary& lib_;
  ::SpmModel* model_ = nullptr;
  std::string name_;
  std::int32_t count_ = 0;
};

}  // namespace seedcanvas::text
