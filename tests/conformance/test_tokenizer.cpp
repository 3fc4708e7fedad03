// SeedTokenizer reproduces transformers' slow LlamaTokenizer + SEED image tokens exactly:
// every case of tokenizer/cases.json (tokens, ids, ids_with_bos, decode, decode_skip_special,
// decode_with_bos, raw SentencePiece encode/decode), the vocabulary layout of config.json and
// the piece table of cases.json's meta. Tolerance: exact.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"
#include "support/fixtures.h"
#include "text/seed_tokenizer.h"
#include "text/spm_library.h"

using namespace seedcanvas;
using text::SeedTokenizer;

namespace {

template <typename T>
std::string show(const std::vector<T>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    if constexpr (std::is_same_v<T, std::string>)
      s += "'" + v[i] + "'";
    else
      s += std::to_string(v[i]);
  }
  return s + "]";
}

std::string stream_all(const SeedTokenizer& tok, const std::vector<std::int64_t>& ids, bool skip) {
  SeedTokenizer::StreamingDecoder dec(tok, skip);
  std::string out;
  for (auto id : ids) out += dec.push(id);
  return out + dec.flush();
}

// Tokenizer folders of the fixture (any sub-folder holding tokenizer.model) with their cases.
struct Variant {
  std::filesystem::path dir, cases, config;
};
std::vector<Variant> variants() {
  const auto root = test::fixture("tokenizer");
  std::vector<Variant> out;
  for (const auto& name : test::subfolders(root)) {
    const auto dir = root / name;
    if (!std::filesystem::exists(dir / "tokenizer.model")) continue;
    Variant v{dir, dir / "cases.json", dir / "config.json"};
    if (!std::filesystem::exists(v.cases)) v.cases = root / "cases.json";
    if (!std::filesystem::exists(v.config)) v.config = root / "config.json";
    out.push_back(v);
  }
  return out;
}

}  // namespace

class TokenizerConformance : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    // A missing fixture root fails: conformance without fixtures checks nothing.
    QVERIFY2(std::filesystem::exists(test::fixture("tokenizer")),
             qPrintable("no tokenizer fixtures at " + QString::fromStdString(test::fixture("tokenizer").string()) +
                        " (set SEEDCANVAS_FIXTURES)"));
    QVERIFY2(!variants().empty(), "no folder with tokenizer.model under fixtures/tokenizer");
  }

  void vocabularyLayout() {
    for (const auto& v : variants()) {
      auto tok = SeedTokenizer::load(v.dir);
      const auto config = read_json_file(v.config);
      const auto meta = read_json_file(v.cases).at("meta");
      const std::string where = v.dir.string();
      for (const auto* j : {&config, &meta}) {
        QCOMPARE(tok->sp_piece_count(), j->at("text_vocab_size").get<std::int64_t>());
        QCOMPARE(tok->vocab_size(), j->at("total_vocab_size").get<std::int64_t>());
        QCOMPARE(tok->image_id_shift(), j->at("image_token_id_shift").get<std::int64_t>());
        QCOMPARE(tok->image_code_count(), j->at("num_image_codes").get<std::int64_t>());
        QCOMPARE(tok->boi_id(), j->at("boi_id").get<std::int64_t>());
        QCOMPARE(tok->eoi_id(), j->at("eoi_id").get<std::int64_t>());
        QCOMPARE(tok->bos_id(), j->at("bos_id").get<std::int64_t>());
        QCOMPARE(tok->eos_id(), j->at("eos_id").get<std::int64_t>());
        QCOMPARE(tok->unk_id(), j->at("unk_id").get<std::int64_t>());
        QCOMPARE(tok->id_to_piece(tok->boi_id()), j->at("boi_token").get<std::string>());
        QCOMPARE(tok->id_to_piece(tok->eoi_id()), j->at("eoi_token").get<std::string>());
      }
      // Every code token sits at shift + code.
      for (std::int64_t c = 0; c < tok->image_code_count(); ++c) {
        char name[32];
        std::snprintf(name, sizeof name, "<img_%05lld>", static_cast<long long>(c));
        QCOMPARE(tok->id_to_piece(tok->image_id_shift() + c), std::string(name));
        QCOMPARE(tok->encode(name), std::vector<std::int64_t>{tok->image_id_shift() + c});
      }
      // The piece table and scores of the SentencePiece model.
      const auto pieces = meta.at("pieces").get<std::vector<std::string>>();
      const auto scores = meta.at("scores").get<std::vector<double>>();
      QCOMPARE(static_cast<std::int64_t>(pieces.size()), tok->sp_piece_count());
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        QVERIFY2(tok->id_to_piece(static_cast<std::int64_t>(i)) == pieces[i],
                 qPrintable(QString("%1: piece %2").arg(where.c_str()).arg(i)));
        QVERIFY(std::abs(tok->sentencepiece().score(static_cast<std::int32_t>(i)) - scores[i]) <= 1e-6);
      }
      QVERIFY_EXCEPTION_THROWN(tok->id_to_piece(tok->vocab_size()), Error);
      QVERIFY_EXCEPTION_THROWN(tok->decode({-1}, false), Error);
    }
  }

  void everyCase() {
    std::size_t checked = 0;
    for (const auto& v : variants()) {
      auto tok = SeedTokenizer::load(v.dir);
      const auto cases = read_json_file(v.cases).at("cases");
      QVERIFY(!cases.empty());
      for (const auto& c : cases) {
        const auto text = c.at("text").get<std::string>();
        const auto ids = c.at("ids").get<std::vector<std::int64_t>>();
        const auto ids_bos = c.at("ids_with_bos").get<std::vector<std::int64_t>>();
        const auto tokens = c.at("tokens").get<std::vector<std::string>>();
        const auto raw_ids = c.at("sp_encode_ids_raw").get<std::vector<std::int32_t>>();
        auto fail = [&](const std::string& what, const std::string& got, const std::string& want) {
          return "case '" + text + "' " + what + ":\n   got " + got + "\n  want " + want;
        };
        const auto got_tokens = tok->tokenize(text);
        QVERIFY2(got_tokens == tokens, fail("tokens", show(got_tokens), show(tokens)).c_str());
        const auto got_ids = tok->encode(text);
        QVERIFY2(got_ids == ids, fail("ids", show(got_ids), show(ids)).c_str());
        const auto got_bos = tok->encode_with_bos(text);
        QVERIFY2(got_bos == ids_bos, fail("ids_with_bos", show(got_bos), show(ids_bos)).c_str());
        const std::pair<const char*, std::string> decodes[] = {
            {"decode", tok->decode(ids, false)},
            {"decode_skip_special", tok->decode(ids, true)},
            {"decode_with_bos", tok->decode(ids_bos, false)}};
        for (const auto& [key, got] : decodes) {
          const auto want = c.at(key).get<std::string>();
          QVERIFY2(got == want, fail(key, "'" + got + "'", "'" + want + "'").c_str());
        }
        const auto raw = tok->sentencepiece().encode(text);
        QVERIFY2(raw.ids == raw_ids, fail("sp_encode_ids_raw", show(raw.ids), show(raw_ids)).c_str());
        const auto raw_text = tok->sentencepiece().decode_ids(raw_ids);
        QVERIFY2(raw_text == c.at("sp_decode_raw").get<std::string>(), fail("sp_decode_raw", raw_text, "").c_str());
        // The streaming decoder ends with exactly decode's text.
        for (bool skip : {false, true})
          for (const auto* seq : {&ids, &ids_bos})
            QVERIFY2(stream_all(*tok, *seq, skip) == tok->decode(*seq, skip), fail("streaming", "", "").c_str());
        ++checked;
      }
    }
    qInfo("%zu cases reproduced exactly", checked);
  }
};

QTEST_APPLESS_MAIN(TokenizerConformance)
#include "test_tokenizer.moc"
