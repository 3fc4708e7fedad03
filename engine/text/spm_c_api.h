/* The narrow C interface of the SentencePiece plugin (engine/spm_plugin, libseedcanvas_spm.so).
 *
 * Why a plugin: Debian's libsentencepiece carries its own protobuf, which crashes next to
 * LibTorch's in one process image (docs: platform-notes #2). The engine never links
 * sentencepiece; it dlopen()s this library with RTLD_LOCAL | RTLD_DEEPBIND and resolves the
 * functions below by name (engine/text/spm_library.*).
 *
 * Rules across the boundary: plain C types only, no C++ exceptions (the plugin catches
 * everything), errors come back as a nonzero status plus a message string. Every buffer the
 * plugin returns (strings, id arrays, piece lists) is owned by the caller and released with
 * the matching spm_free_* function of the same plugin.
 */
#ifndef SEEDCANVAS_SPM_C_API_H
#define SEEDCANVAS_SPM_C_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEEDCANVAS_SPM_ABI_VERSION 1

typedef struct SpmModel SpmModel; /* opaque SentencePieceProcessor */

/* An encoded text: `count` ids and the matching pieces, piece i being
 * text[offsets[i] .. offsets[i + 1]) (offsets has count + 1 entries; pieces may hold any byte). */
typedef struct SpmEncoding {
  int32_t* ids;
  size_t count;
  char* text;
  size_t* offsets;
} SpmEncoding;

/* Status codes: 0 ok, otherwise the call failed and *error (if error != NULL) holds a message. */
enum { SPM_OK = 0, SPM_ERROR = 1 };

/* Piece kinds as SentencePiece's ModelProto.SentencePiece.Type. */
enum { SPM_NORMAL = 1, SPM_UNKNOWN = 2, SPM_CONTROL = 3, SPM_USER_DEFINED = 4, SPM_BYTE = 6, SPM_UNUSED = 5 };

uint32_t spm_abi_version(void);

/* Loading. Return NULL on failure (with *error set). */
SpmModel* spm_load_file(const char* path, char** error);
SpmModel* spm_load_bytes(const void* data, size_t size, char** error);
void spm_free_model(SpmModel* model);

/* Vocabulary. Ids outside [0, piece count) give -1 / 0 / NULL; spm_piece_to_id gives the unk id
 * for unknown pieces. spm_id_to_piece copies the piece into a new string (length in *size). */
int32_t spm_piece_count(const SpmModel* model);
int32_t spm_piece_to_id(const SpmModel* model, const char* piece, size_t size);
char* spm_id_to_piece(const SpmModel* model, int32_t id, size_t* size);
int spm_piece_type(const SpmModel* model, int32_t id); /* SPM_* kind, 0 when out of range */
int spm_is_byte(const SpmModel* model, int32_t id);
int spm_is_control(const SpmModel* model, int32_t id);
int spm_is_unknown(const SpmModel* model, int32_t id);
float spm_score(const SpmModel* model, int32_t id);
int32_t spm_unk_id(const SpmModel* model);
int32_t spm_bos_id(const SpmModel* model); /* -1 when the model has none */
int32_t spm_eos_id(const SpmModel* model);

/* Encoding (plain SentencePiece: dummy prefix and normaliser as the model says). */
int spm_encode(const SpmModel* model, const char* text, size_t size, SpmEncoding* out, char** error);
void spm_free_encoding(SpmEncoding* encoding); /* frees the arrays, not the struct */

/* Decoding of ids, or of piece strings (pieces given like SpmEncoding: text + count + 1 offsets;
 * unknown piece strings decode to themselves, as SentencePiece does). */
int spm_decode_ids(const SpmModel* model, const int32_t* ids, size_t count, char** text, size_t* size,
                   char** error);
int spm_decode_pieces(const SpmModel* model, const char* pieces, const size_t* offsets, size_t count, char** text,
                      size_t* size, char** error);

/* Training: sentencepiece::SentencePieceTrainer::Train with spm_train-style arguments
 * ("--input=... --model_prefix=... --vocab_size=..."). Writes <model_prefix>.model/.vocab. */
int spm_train(const char* args, char** error);

void spm_free_string(char* text);

/* Function pointer types, for dlsym. */
typedef uint32_t (*spm_abi_version_fn)(void);
typedef SpmModel* (*spm_load_file_fn)(const char*, char**);
typedef SpmModel* (*spm_load_bytes_fn)(const void*, size_t, char**);
typedef void (*spm_free_model_fn)(SpmModel*);
typedef int32_t (*spm_piece_count_fn)(const SpmModel*);
typedef int32_t (*spm_piece_to_id_fn)(const SpmModel*, const char*, size_t);
typedef char* (*spm_id_to_piece_fn)(const SpmModel*, int32_t, size_t*);
typedef int (*spm_id_predicate_fn)(const SpmModel*, int32_t);
typedef float (*spm_score_fn)(const SpmModel*, int32_t);
typedef int32_t (*spm_special_id_fn)(const SpmModel*);
typedef int (*spm_encode_fn)(const SpmModel*, const char*, size_t, SpmEncoding*, char**);
typedef void (*spm_free_encoding_fn)(SpmEncoding*);
typedef int (*spm_decode_ids_fn)(const SpmModel*, const int32_t*, size_t, char**, size_t*, char**);
typedef int (*spm_decode_pieces_fn)(const SpmModel*, const char*, const size_t*, size_t, char**, size_t*, char**);
typedef int (*spm_train_fn)(const char*, char**);
typedef void (*spm_free_string_fn)(char*);

#ifdef __cplusplus
}
#endif

#endif /* SEEDCANVAS_SPM_C_API_H */
