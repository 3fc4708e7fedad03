// CLIP BPE on a hand-made vocabulary: expected ids follow from the vocabulary and merge
// ranks written below, worked out by hand (no reference run needed).
#include <ATen/ATen.h>
#include <QtTest>

#include "core/error.h"
#include "diffusion/clip_bpe.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
using diffusion::CLIPTokenizer;

namespace {

const char* kChars = "abcdefghijklmnopqrstuvwxyz0123456789!',.";

struct Fixture {
  std::unordered_map<std::string, std::int64_t> vocab;
  std::vector<std::string> merges = {"h e", "l l", "he ll", "hell o</w>"};
  Fixture() {
    std::int64_t next = 0;
    for (const char* c = kChars; *c; ++c) {
      vocab[std::string(1, *c)] = next++;
      vocab[std::string(1, *c) + "</w>"] = next++;
    }
    for (const char* m : {"he", "ll", "hell", "hello</w>", "<|startoftext|>", "<|endoftext|>"}) vocab[m] = next++;
  }
  std::int64_t id(const std::string& piece) const { return vocab.at(piece); }
  CLIPTokenizer tokenizer(std::int64_t max_length = 10) const {
    return CLIPTokenizer(vocab, merges, "<|startoftext|>", "<|endoftext|>", "!", "<|endoftext|>", max_length);
  }
};

using Ids = std::vector<std::int64_t>;

}  // namespace

class ClipBpeTest : public QObject {
  Q_OBJECT
 private slots:
  void specialIds() {
    Fixture f;
    auto tok = f.tokenizer();
    QCOMPARE(tok.bos_id, f.id("<|startoftext|>"));
    QCOMPARE(tok.eos_id, f.id("<|endoftext|>"));
    QCOMPARE(tok.pad_id, f.id("!"));
  }

  void emptyPromptIsSotEotPadding() {
    Fixture f;
    auto tok = f.tokenizer(10);
    auto ids = tok.encode_padded("");
    QCOMPARE(ids.sizes(), (at::IntArrayRef{1, 10}));
    Ids expected = {f.id("<|startoftext|>"), f.id("<|endoftext|>")};
    expected.resize(10, f.id("!"));
    SC_EXPECT_EQUAL(ids, at::tensor(expected, at::kLong).reshape({1, 10}), "\"\"");
  }

  void preTokenize_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("words");
    QTest::newRow("lower and punctuation") << "a photo of a CAT, 3 dogs!"
                                           << QStringList{"a", "photo", "of", "a", "cat", ",", "3", "dogs", "!"};
    QTest::newRow("contractions") << "it's we'll" << QStringList{"it", "'s", "we", "'ll"};
    QTest::newRow("digits one by one") << "x42" << QStringList{"x", "4", "2"};
    QTest::newRow("punctuation runs") << "wow!!! ...ok" << QStringList{"wow", "!!!", "...", "ok"};
    QTest::newRow("whitespace and controls") << QString("  A\tb\n\x01" "c ") << QStringList{"a", "b", "c"};
    QTest::newRow("unicode letters lowercased") << QString::fromUtf8("ÉCOLE Straße") << QStringList{
        QString::fromUtf8("école"), QString::fromUtf8("straße")};
    QTest::newRow("special tokens kept whole") << "<|endoftext|>hi" << QStringList{"<|endoftext|>", "hi"};
  }
  void preTokenize() {
    QFETCH(QString, text);
    QFETCH(QStringList, words);
    Fixture f;
    QStringList got;
    for (const auto& w : f.tokenizer().pre_tokenize(text.toStdString())) got << QString::fromStdString(w);
    QCOMPARE(got, words);
  }

  void bpeMergesByRank() {
    Fixture f;
    auto tok = f.tokenizer();
    // h e l l o</w> -> he l l o</w> -> he ll o</w> -> hell o</w> -> hello</w>
    QCOMPARE(tok.encode("Hello"), (Ids{f.id("hello</w>")}));
    // "hell" ends with "l</w>", so the last merge (which needs "o</w>") never applies.
    QCOMPARE(tok.encode("hell"), (Ids{f.id("he"), f.id("l"), f.id("l</w>")}));
    QCOMPARE(tok.encode("hi!!"), (Ids{f.id("h"), f.id("i</w>"), f.id("!"), f.id("!</w>")}));
    QCOMPARE(tok.encode("it's 42"), (Ids{f.id("i"), f.id("t</w>"), f.id("'"), f.id("s</w>"), f.id("4</w>"),
                                          f.id("2</w>")}));
  }

  void unknownBytesBecomeUnk() {
    Fixture f;
    // U+00E9 is the bytes C3 A9, mapped to two characters this vocabulary lacks.
    QCOMPARE(f.tokenizer().encode(QString::fromUtf8("é").toStdString()), (Ids{f.id("<|endoftext|>"), f.id("<|endoftext|>")}));
  }

  void truncatesToMaxLength() {
    Fixture f;
    auto tok = f.tokenizer(6);
    auto ids = tok.encode_padded("a b c d e f g");
    Ids expected = {f.id("<|startoftext|>"), f.id("a</w>"), f.id("b</w>"), f.id("c</w>"), f.id("d</w>"),
                    f.id("<|endoftext|>")};
    SC_EXPECT_EQUAL(ids, at::tensor(expected, at::kLong).reshape({1, 6}), "truncated");
  }

  void missingSpecialTokenIsAConfigError() {
    Fixture f;
    try {
      CLIPTokenizer(f.vocab, f.merges, "<|startoftext|>", "<|endoftext|>", "<pad>", "<|endoftext|>", 77, "tok/");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Config);
      QVERIFY(QString(e.what()).contains("<pad>"));
      QVERIFY(QString(e.what()).contains("tok/"));
    }
  }
};

QTEST_APPLESS_MAIN(ClipBpeTest)
#include "test_clip_bpe.moc"
