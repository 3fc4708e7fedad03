// SeedTokenizer properties on a model trained here through the plugin's TRAIN entry (other
// sizes and image-token layout than the fixture): the streaming decoder against decode on
// random id sequences, whitespace rules around added/special tokens, clear errors for missing
// or broken files, and a training smoke test on the fixture corpus.
#include <QtTest>

#include <fstream>
#include <random>

#include "core/error.h"
#include "support/error_of.h"
#include "support/fixtures.h"
#include "text/seed_tokenizer.h"
#include "text/spm_library.h"
#include "text/tokenizer_files.h"
#include "text/utf8.h"

using namespace seedcanvas;
using seedcanvas::test::error_of;
using text::SeedTokenizer;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary);
  out << content;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A corpus with ASCII words, accents, CJK, emoji, digits and the punctuation transformers'
// space clean-up cares about; some characters appear once only so byte fallback is exercised.
std::string make_corpus() {
  const char* words[] = {"the", "a", "cat", "dog", "sat", "on", "mat", "green", "grass", "image", "picture", "red",
                         "sky", "make", "it", "draw", "what", "is", "this", "can", "you", "don't", "it's", "we're",
                         "they've", "I'm", "n't", "'s", "café", "naïve", "東京", "猫", "🤖", "—", "2023", "3.50", "?",
                         "!", ",", ".", "'", "USER:", "ASSISTANT:"};
  std::mt19937 rng(7);
  std::string out;
  for (int line = 0; line < 1200; ++line) {
    const int n = 3 + static_cast<int>(rng() % 10);
    for (int w = 0; w < n; ++w) {
      if (w) out += (rng() % 9 == 0) ? "  " : " ";
      out += words[rng() % std::size(words)];
    }
    out += "\n";
  }
  return out;
}

std::string llama_train_args(const fs::path& corpus, const fs::path& prefix, int vocab) {
  return "--input=" + corpus.string() + " --model_prefix=" + prefix.string() + " --vocab_size=" +
         std::to_string(vocab) +
         " --model_type=bpe --byte_fallback=true --split_digits=true --add_dummy_prefix=true"
         " --remove_extra_whitespaces=false --normalization_rule_name=identity --unk_id=0 --bos_id=1 --eos_id=2"
         " --pad_id=-1 --character_coverage=0.9999 --allow_whitespace_only_pieces=true";
}

// A SEED-style tokenizer folder: the model, `codes` image tokens right after the pieces, then
// <img>, </img>; special_tokens_map.json as SEED's (<img>, </img> are additional specials).
fs::path make_tokenizer_dir(const std::string& name, const fs::path& model, int codes, const std::string& config) {
  const auto dir = test::scratch_dir(name);
  fs::copy_file(model, dir / "tokenizer.model");
  const auto sp = text::SentencePieceModel::load_file(model);
  std::string added = "{";
  int id = sp->piece_count();
  for (int c = 0; c < codes; ++c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "\"<img_%05d>\": %d, ", c, id++);
    added += buf;
  }
  added += "\"<img>\": " + std::to_string(id) + ", \"</img>\": " + std::to_string(id + 1) + "}";
  write_file(dir / "added_tokens.json", added);
  write_file(dir / "special_tokens_map.json", R"({"additional_special_tokens": ["<img>", "</img>"],
    "bos_token": {"content": "<s>", "lstrip": false, "normalized": true, "rstrip": false, "single_word": false},
    "eos_token": {"content": "</s>", "lstrip": false, "normalized": true, "rstrip": false, "single_word": false},
    "unk_token": {"content": "<unk>", "lstrip": false, "normalized": true, "rstrip": false, "single_word": false}})");
  write_file(dir / "tokenizer_config.json", config);
  return dir;
}

bool valid_utf8(const std::string& s) { return QUtf8StringView(s).isValidUtf8(); }

}  // namespace

class TextTokenizerTest : public QObject {
  Q_OBJECT
  fs::path model_;  // trained in initTestCase
  std::unique_ptr<SeedTokenizer> tok_;
  std::unique_ptr<SeedTokenizer> tok_cleanup_;

  // Random sequences over the whole vocabulary, biased to byte pieces and specials.
  std::vector<std::int64_t> random_ids(std::mt19937& rng, const SeedTokenizer& t, int n) {
    std::vector<std::int64_t> byte_ids, all;
    for (std::int64_t i = 0; i < t.sp_piece_count(); ++i)
      if (t.sentencepiece().is_byte(static_cast<std::int32_t>(i))) byte_ids.push_back(i);
    std::vector<std::int64_t> ids;
    for (int k = 0; k < n; ++k) {
      const auto r = rng() % 10;
      if (r < 3) {  // a whole multi-byte character as byte pieces (sometimes cut short)
        const std::string ch = (rng() % 2) ? "\xF0\x9D\x94\x98" : "\xEA\x99\xAE";
        const std::size_t keep = (rng() % 4 == 0) ? 1 + rng() % (ch.size() - 1) : ch.size();
        for (std::size_t b = 0; b < keep; ++b)
          ids.push_back(t.sentencepiece().piece_to_id(
              QString::asprintf("<0x%02X>", static_cast<unsigned char>(ch[b])).toStdString()));
      } else if (r < 4) {
        ids.push_back(byte_ids[rng() % byte_ids.size()]);
      } else if (r < 5) {
        const std::int64_t pick[] = {t.bos_id(), t.eos_id(), t.unk_id(), t.boi_id(), t.eoi_id(),
                                     t.image_id_shift() + static_cast<std::int64_t>(rng() % t.image_code_count())};
        ids.push_back(pick[rng() % std::size(pick)]);
      } else {
        ids.push_back(static_cast<std::int64_t>(rng() % t.sp_piece_count()));
      }
    }
    return ids;
  }

  void check_stream(const SeedTokenizer& t, const std::vector<std::int64_t>& ids, bool skip) {
    SeedTokenizer::StreamingDecoder dec(t, skip);
    std::string all;
    for (auto id : ids) {
      const std::string delta = dec.push(id);
      QVERIFY2(valid_utf8(delta), "a delta is not valid UTF-8");
      all += delta;
    }
    const std::string tail = dec.flush();
    QVERIFY(valid_utf8(tail));
    all += tail;
    const std::string want = t.decode(ids, skip);
    QVERIFY2(all == want, qPrintable(QString("skip=%1\n   got '%2'\n  want '%3'")
                                         .arg(skip)
                                         .arg(QString::fromStdString(all), QString::fromStdString(want))));
  }

 private slots:
  void initTestCase() {
    const auto dir = test::scratch_dir("unit_text_tokenizer");
    write_file(dir / "corpus.txt", make_corpus());
    text::SpmLibrary::instance().train(llama_train_args(dir / "corpus.txt", dir / "m", 400));
    model_ = dir / "m.model";
    QVERIFY(fs::exists(model_));
    const auto base = make_tokenizer_dir("unit_text_tok", model_, 24, R"({"add_bos_token": true, "legacy": null})");
    tok_ = SeedTokenizer::load(base);
    const auto clean = make_tokenizer_dir("unit_text_tok_clean", model_, 24,
                                          R"({"clean_up_tokenization_spaces": true})");
    tok_cleanup_ = SeedTokenizer::load(clean);
  }

  void layoutComesFromTheFiles() {
    const auto& t = *tok_;
    QCOMPARE(t.sp_piece_count(), static_cast<std::int64_t>(400));
    QCOMPARE(t.image_id_shift(), t.sp_piece_count());
    QCOMPARE(t.image_code_count(), static_cast<std::int64_t>(24));
    QCOMPARE(t.boi_id(), t.image_id_shift() + 24);
    QCOMPARE(t.eoi_id(), t.image_id_shift() + 25);
    QCOMPARE(t.vocab_size(), t.sp_piece_count() + 26);
    QCOMPARE(t.bos_id(), static_cast<std::int64_t>(t.sentencepiece().bos_id()));
    QCOMPARE(t.eos_id(), static_cast<std::int64_t>(t.sentencepiece().eos_id()));
    QCOMPARE(t.unk_id(), static_cast<std::int64_t>(t.sentencepiece().unk_id()));
  }

  void whitespaceAroundTokens() {
    const auto& t = *tok_;
    auto cat = [](std::vector<std::int64_t> a, const std::vector<std::int64_t>& b) {
      a.insert(a.end(), b.begin(), b.end());
      return a;
    };
    const std::int64_t code = t.image_id_shift() + 3;
    // Image tokens eat the whitespace on both sides; each text chunk gets its own dummy prefix.
    QCOMPARE(t.encode("USER: <img> \n<img_00003></img>\t what"),
             cat(cat(t.encode("USER:"), {t.boi_id(), code, t.eoi_id()}), t.encode("what")));
    // <s>, </s> (AddedToken, no strip flags) keep it.
    QCOMPARE(t.encode("a <s> b"), cat(cat(t.encode("a "), {t.bos_id()}), t.encode(" b")));
    QCOMPARE(t.encode_with_bos("x"), cat({t.bos_id()}, t.encode("x")));
    // Longest match, and near-misses are plain text.
    QCOMPARE(t.encode("<img_00003>"), std::vector<std::int64_t>{code});
    const auto raw = t.sentencepiece().encode("<img_99999>").ids;
    QCOMPARE(t.encode("<img_99999>"), std::vector<std::int64_t>(raw.begin(), raw.end()));
    // Skipping specials drops <s>, </s>, <unk>, <img>, </img> (SEED's additional specials) but
    // keeps the code tokens.
    const std::vector<std::int64_t> ids = {t.bos_id(), t.boi_id(), code, t.eoi_id(), t.eos_id()};
    QCOMPARE(t.decode(ids, true), std::string("<img_00003>"));
    QCOMPARE(t.decode(ids, false), std::string("<s> <img> <img_00003> </img> </s>"));
    // Text round-trips through encode/decode.
    for (const std::string s : {"the cat sat on the mat.", "東京 🤖 naïve", "what is this? ꙮ 𝔘"})
      QCOMPARE(t.decode(t.encode(s), false), s);
  }

  void pythonWhitespace() {
    QCOMPARE(std::string(text::lstrip_python("\xE3\x80\x80\t x ")), std::string("x "));
    QCOMPARE(std::string(text::rstrip_python(" x\xC2\xA0\n")), std::string(" x"));
    QCOMPARE(std::string(text::rstrip_python("x\xE2\x96\x81")), std::string("x\xE2\x96\x81"));  // '▁' is no space
    QCOMPARE(text::incomplete_utf8_tail("a\xF0\x9D\x94"), std::size_t(3));
    QCOMPARE(text::incomplete_utf8_tail("a\xF0\x9D\x94\x98"), std::size_t(0));
    QCOMPARE(text::incomplete_utf8_tail("\xE6\x41"), std::size_t(0));
    QCOMPARE(text::incomplete_utf8_tail("\xED\xA0"), std::size_t(0));  // would be a surrogate
  }

  void streamingHoldsBytesUntilTheCharacterCompletes() {
    const auto& t = *tok_;
    SeedTokenizer::StreamingDecoder dec(t);
    std::string out = dec.push(t.encode("hi")[0]);
    const std::string ch = "\xF0\x9D\x94\x98";  // 𝔘, 4 byte pieces
    for (std::size_t b = 0; b < ch.size(); ++b) {
      const auto id = t.sentencepiece().piece_to_id(QString::asprintf("<0x%02X>", (unsigned char)ch[b]).toStdString());
      QVERIFY(t.sentencepiece().is_byte(id));
      const std::string delta = dec.push(id);
      if (b + 1 < ch.size()) QCOMPARE(delta, std::string());
      else QVERIFY(delta.find(ch) != std::string::npos);
      out += delta;
    }
    // A lead byte followed by a non-continuation becomes U+FFFD at once.
    out += dec.push(t.sentencepiece().piece_to_id("<0xE6>"));
    const std::string after = dec.push(t.sentencepiece().piece_to_id("<0x41>"));
    QCOMPARE(after, std::string("\xEF\xBF\xBD" "A"));
    out += after + dec.flush();
    QCOMPARE(out, t.decode(dec.ids(), true));
  }

  void streamingEqualsDecodeOnRandomSequences() {
    std::mt19937 rng(1234);
    for (const auto* t : {tok_.get(), tok_cleanup_.get()})
      for (int round = 0; round < 300; ++round) {
        // Long ones too, so the decoder's window moves (it re-anchors every few dozen ids).
        const int n = round % 10 == 0 ? 200 + static_cast<int>(rng() % 300) : 1 + static_cast<int>(rng() % 40);
        const auto ids = random_ids(rng, *t, n);
        check_stream(*t, ids, true);
        check_stream(*t, ids, false);
      }
  }

  void streamingWithSpaceCleanUp() {
    // Pieces that make " ." / " n't" / " ' " / " 's" patterns appear and disappear.
    const auto& t = *tok_cleanup_;
    std::vector<std::int64_t> pool;
    for (const char* s : {"▁", "n", "'", "t", "s", "m", "v", "e", "r", ".", "?", "!", ",", "a", "▁a", "▁n", "▁the"}) {
      const auto id = t.sentencepiece().piece_to_id(s);
      if (t.id_to_piece(id) == s) pool.push_back(id);
    }
    QVERIFY(pool.size() >= 10);
    std::mt19937 rng(99);
    for (int round = 0; round < 500; ++round) {
      std::vector<std::int64_t> ids(round % 10 == 0 ? 300 : 1 + rng() % 30);
      for (auto& id : ids) id = pool[rng() % pool.size()];
      check_stream(t, ids, true);
    }
    QCOMPARE(t.decode(t.encode("it is n't ."), false), std::string("it isn't."));
  }

  void streamingRejectsOutOfRangeIds() {
    SeedTokenizer::StreamingDecoder dec(*tok_);
    QVERIFY(error_of([&] { dec.push(tok_->vocab_size()); }).contains("outside the vocabulary"));
    QVERIFY(error_of([&] { dec.push(-5); }).contains("outside the vocabulary"));
    QVERIFY(dec.ids().empty());
    QVERIFY(error_of([&] { tok_->decode({0, 1, 999999}, false); }).contains("999999"));
  }

  void streamingCost() {
    // Each push re-decodes the sequence: report the cost of a long answer.
    std::mt19937 rng(5);
    const auto ids = tok_->encode(make_corpus().substr(0, 6000));
    QElapsedTimer timer;
    timer.start();
    SeedTokenizer::StreamingDecoder dec(*tok_);
    std::string out;
    for (auto id : ids) out += dec.push(id);
    out += dec.flush();
    qInfo("streamed %zu ids in %lld ms", ids.size(), static_cast<long long>(timer.elapsed()));
    QCOMPARE(out, tok_->decode(ids, true));
  }

  void missingAndBrokenFiles() {
    const auto good = make_tokenizer_dir("unit_text_broken", model_, 4, "{}");
    QVERIFY(error_of([&] { SeedTokenizer::load(good / "nope"); }).contains("nope"));

    auto variant = [&](const std::string& name, const std::function<void(const fs::path&)>& edit) {
      const auto dir = test::scratch_dir("unit_text_broken_" + name);
      for (const auto& e : fs::directory_iterator(good)) fs::copy_file(e.path(), dir / e.path().filename());
      edit(dir);
      return error_of([&] { SeedTokenizer::load(dir); });
    };
    QString e = variant("nomodel", [](const fs::path& d) { fs::remove(d / "tokenizer.model"); });
    QVERIFY2(e.contains("tokenizer.model") && e.contains("not found"), qPrintable(e));
    e = variant("noadded", [](const fs::path& d) { fs::remove(d / "added_tokens.json"); });
    QVERIFY2(e.contains("added_tokens.json"), qPrintable(e));
    e = variant("garbage", [](const fs::path& d) { write_file(d / "tokenizer.model", "this is not a protobuf\x01\xff"); });
    QVERIFY2(e.contains("tokenizer.model") && e.contains("not a valid SentencePiece model"), qPrintable(e));
    e = variant("truncated", [](const fs::path& d) {
      const std::string bytes = read_file(d / "tokenizer.model");
      write_file(d / "tokenizer.model", bytes.substr(0, bytes.size() / 3));
    });
    QVERIFY2(e.contains("tokenizer.model"), qPrintable(e));
    e = variant("empty", [](const fs::path& d) { write_file(d / "tokenizer.model", ""); });
    QVERIFY2(e.contains("tokenizer.model") && e.contains("empty"), qPrintable(e));
    e = variant("legacyfalse", [](const fs::path& d) { write_file(d / "tokenizer_config.json", R"({"legacy": false})"); });
    QVERIFY2(e.contains("legacy"), qPrintable(e));
    e = variant("badspecial", [](const fs::path& d) {
      write_file(d / "special_tokens_map.json", R"({"additional_special_tokens": ["<nothing>"]})");
    });
    QVERIFY2(e.contains("<nothing>"), qPrintable(e));
  }

  void addedTokensValidation_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    // 10 SentencePiece pieces: added ids must be 10, 11, ...
    QTest::newRow("ok") << R"({"<img_00000>": 10, "<img>": 11})" << "";
    QTest::newRow("not json") << "{nope" << "invalid JSON";
    QTest::newRow("array") << "[1, 2]" << "must be a JSON object";
    QTest::newRow("gap") << R"({"<img_00000>": 10, "<img>": 12})" << "must take ids 10..11";
    QTest::newRow("inside sp") << R"({"<img_00000>": 3})" << "must take ids 10..10";
    QTest::newRow("duplicate") << R"({"a": 10, "b": 10})" << "given to both";
    QTest::newRow("string id") << R"({"a": "10"})" << "not an integer";
    QTest::newRow("float id") << R"({"a": 10.5})" << "not an integer";
    QTest::newRow("empty name") << R"({"": 10})" << "empty string";
  }
  void addedTokensValidation() {
    QFETCH(QString, json);
    QFETCH(QString, expected);
    const QString err = error_of([&] { text::parse_added_tokens(json.toStdString(), "added_tokens.json", 10); });
    if (expected.isEmpty()) {
      QVERIFY2(err.isEmpty(), qPrintable(err));
    } else {
      QVERIFY2(err.contains(expected), qPrintable("got: " + err));
      QVERIFY(err.contains("added_tokens.json"));
    }
    QVERIFY(error_of([] { text::parse_added_tokens(std::string(text::kAddedTokensMaxBytes + 1, ' '), "big.json", 0); })
                .contains("too large"));
  }

  void imageTokenLayoutIsChecked() {
    auto load_with = [&](const std::string& name, const std::string& added) {
      const auto dir = make_tokenizer_dir("unit_text_layout_" + name, model_, 2, "{}");
      write_file(dir / "added_tokens.json", added);
      return error_of([&] { SeedTokenizer::load(dir); });
    };
    const std::string n = std::to_string(tok_->sp_piece_count());
    const std::string n1 = std::to_string(tok_->sp_piece_count() + 1), n2 = std::to_string(tok_->sp_piece_count() + 2),
                      n3 = std::to_string(tok_->sp_piece_count() + 3);
    QString e = load_with("swapped", "{\"<img_00001>\": " + n + ", \"<img_00000>\": " + n1 + ", \"<img>\": " + n2 +
                                         ", \"</img>\": " + n3 + "}");
    QVERIFY2(e.contains("breaks the layout"), qPrintable(e));
    e = load_with("badname", "{\"<img_0>\": " + n + ", \"<img_00001>\": " + n1 + ", \"<img>\": " + n2 +
                                 ", \"</img>\": " + n3 + "}");
    QVERIFY2(e.contains("<img_0>") || e.contains("<img_00000>"), qPrintable(e));
    e = load_with("noboi", "{\"<img_00000>\": " + n + ", \"<img_00001>\": " + n1 + ", \"</img>\": " + n2 + "}");
    QVERIFY2(e.contains("<img>"), qPrintable(e));
    e = load_with("nocodes", "{\"<img>\": " + n + ", \"</img>\": " + n1 + "}");
    QVERIFY2(e.contains("no image tokens"), qPrintable(e));
    e = load_with("clash", "{\"<img_00000>\": " + n + ", \"<s>\": " + n1 + ", \"<img>\": " + n2 + ", \"</img>\": " +
                               n3 + "}");
    QVERIFY2(e.contains("already SentencePiece piece"), qPrintable(e));
  }

  void trainerSmokeOnFixtureCorpus() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    const auto corpus = test::fixture("tokenizer/training_corpus.txt");
    // The corpus comes with the fixtures: without them this check would silently check nothing.
    QVERIFY2(fs::exists(corpus), qPrintable("no " + QString::fromStdString(corpus.string()) + " (set SEEDCANVAS_FIXTURES)"));
    const auto dir = test::scratch_dir("unit_text_trainer");
    text::SpmLibrary::instance().train(llama_train_args(corpus, dir / "llama_like", 500));
    const auto sp = text::SentencePieceModel::load_file(dir / "llama_like.model");
    QCOMPARE(sp->piece_count(), 500);
    QCOMPARE(sp->unk_id(), 0);
    QCOMPARE(sp->bos_id(), 1);
    QCOMPARE(sp->eos_id(), 2);
    QVERIFY(sp->is_byte(3) && sp->id_to_piece(3) == "<0x00>");  // byte fallback pieces follow the specials
    for (const std::string s : {"Hello world", "Café naïve 東京 🤖 ꙮ", "  two  spaces\tand\nlines 1234"}) {
      const auto enc = sp->encode(s);
      QCOMPARE(sp->decode_ids(enc.ids), s);
      QCOMPARE(sp->decode_pieces(enc.pieces), s);
    }
    QVERIFY(error_of([&] { text::SpmLibrary::instance().train("--input=/nonexistent --model_prefix=x --vocab_size=50"); })
                .contains("training failed"));
  }
};

QTEST_APPLESS_MAIN(TextTokenizerTest)
#include "test_text_tokenizer.moc"
