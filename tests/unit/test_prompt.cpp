// Prompt builder (spec 3.4: exact strings and the slow-tokenizer chunking of both templates,
// multi-turn) and the output parser (spec 3.6: images of 32 codes, malformed spans reported).
#include <QtTest>

#include "core/error.h"
#include "llm/output_parser.h"
#include "llm/prompt.h"

using namespace seedcanvas;
using namespace seedcanvas::llm;

namespace {

// SEED-LLaMA's ids; the builder must not assume them, so one test also uses other values.
TokenIds seed_ids() {
  TokenIds t;
  t.bos = 1;
  t.eos = 2;
  t.image_shift = 32000;
  t.image_count = 8192;
  t.boi = 40192;
  t.eoi = 40193;
  return t;
}

// A stand-in for SentencePiece: records each chunk it is asked to encode and returns one id
// per chunk (-1, -2, ...), so the test sees exactly how the prompt was split.
struct RecordingEncoder {
  std::shared_ptr<std::vector<std::string>> chunks = std::make_shared<std::vector<std::string>>();
  TextEncoder fn() {
    auto c = chunks;
    return [c](const std::string& text) {
      c->push_back(text);
      return std::vector<std::int64_t>{-static_cast<std::int64_t>(c->size())};
    };
  }
};

std::vector<std::int64_t> codes(std::int64_t first) {
  std::vector<std::int64_t> c;
  for (std::int64_t i = 0; i < 32; ++i) c.push_back((first + i * 7) % 8192);
  return c;
}

Message user(std::vector<Segment> s) { return {Role::User, std::move(s)}; }
Message assistant(std::vector<Segment> s) { return {Role::Assistant, std::move(s)}; }

std::vector<std::int64_t> image_ids(const TokenIds& t, const std::vector<std::int64_t>& c) {
  std::vector<std::int64_t> out = {t.boi};
  for (auto x : c) out.push_back(t.image_shift + x);
  out.push_back(t.eoi);
  return out;
}

std::vector<std::int64_t> cat(std::initializer_list<std::vector<std::int64_t>> parts) {
  std::vector<std::int64_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

class PromptTest : public QObject {
  Q_OBJECT
 private slots:
  void imageString() {
    const auto s = PromptBuilder::image_string(codes(42));
    QVERIFY(s.rfind("<img><img_00042><img_00049>", 0) == 0);
    QVERIFY(s.size() == 5 + 32 * 11 + 6);
    QVERIFY(s.substr(s.size() - 6) == "</img>");
  }

  void template8bSingleTurn() {
    RecordingEncoder enc;
    PromptBuilder b(PromptTemplate::Seed8B, seed_ids(), enc.fn());
    const auto img = codes(5);
    const std::vector<Message> conv = {user({Segment::of_image(img), Segment::of_text("What is this?")})};
    QCOMPARE(b.render(conv), "<s>USER: " + PromptBuilder::image_string(img) + "What is this?\nASSISTANT:");
    const auto ids = b.encode(conv);
    // "USER: " before <img> loses its space; the text after </img> is its own chunk.
    QCOMPARE(*enc.chunks, (std::vector<std::string>{"USER:", "What is this?\nASSISTANT:"}));
    QCOMPARE(ids, cat({{1, -1}, image_ids(seed_ids(), img), {-2}}));
  }

  void template8bTextToImage() {
    RecordingEncoder enc;
    PromptBuilder b(PromptTemplate::Seed8B, seed_ids(), enc.fn());
    const std::vector<Message> conv = {user({Segment::of_text("Can you generate an image of a dog?")})};
    QCOMPARE(b.render(conv), std::string("<s>USER: Can you generate an image of a dog?\nASSISTANT:"));
    QCOMPARE(b.encode(conv), (std::vector<std::int64_t>{1, -1}));
    QCOMPARE(*enc.chunks, (std::vector<std::string>{"USER: Can you generate an image of a dog?\nASSISTANT:"}));
  }

  void template14bSingleTurn() {
    RecordingEncoder enc;
    PromptBuilder b(PromptTemplate::Seed14B, seed_ids(), enc.fn());
    const auto img = codes(9);
    const std::vector<Message> conv = {user({Segment::of_image(img), Segment::of_text("Describe it.")})};
    QCOMPARE(b.render(conv), "<s>[INST] " + PromptBuilder::image_string(img) + "Describe it. [/INST]\n");
    const auto ids = b.encode(conv);
    QCOMPARE(*enc.chunks, (std::vector<std::string>{"[INST]", "Describe it. [/INST]\n"}));
    QCOMPARE(ids, cat({{1, -1}, image_ids(seed_ids(), img), {-2}}));
  }

  void forcedImageStripsTheNewline() {
    RecordingEncoder enc;
    PromptBuilder b(PromptTemplate::Seed14B, seed_ids(), enc.fn());
    const std::vector<Message> conv = {user({Segment::of_text("Draw a cat.")})};
    QCOMPARE(b.render(conv, true), std::string("<s>[INST] Draw a cat. [/INST]\n<img>"));
    QCOMPARE(b.encode(conv, true), (std::vector<std::int64_t>{1, -1, 40192}));
    QCOMPARE(*enc.chunks, (std::vector<std::string>{"[INST] Draw a cat. [/INST]"}));  // "\n" stripped before <img>
  }

  void multiTurn8b() {
    RecordingEncoder enc;
    PromptBuilder b(PromptTemplate::Seed8B, seed_ids(), enc.fn());
    const auto src = codes(1), out = codes(2);
    const std::vector<Message> conv = {
        user({Segment::of_image(src), Segment::of_text("Add sunglasses.")}),
        assistant({Segment::of_text("Sure."), Segment::of_image(out)}),
        user({Segment::of_text("Now make it red.")}),
    };
    QCOMPARE(b.render(conv), "<s>USER: " + PromptBuilder::image_string(src) + "Add sunglasses.\nASSISTANT: Sure." +
                                 PromptBuilder::image_string(out) + "\nUSER: Now make it red.\nASSISTANT:");
    const auto ids = b.encode(conv);
    QCOMPARE(*enc.chunks, (std::vector<std::string>{"USER:", "Add sunglasses.\nASSISTANT: Sure.",
                                                    "USER: Now make it red.\nASSISTANT:"}));
    QCOMPARE(ids, cat({{1, -1}, image_ids(seed_ids(), src), {-2}, image_ids(seed_ids(), out), {-3}}));
    QCOMPARE(std::count(ids.begin(), ids.end(), 1), 1L);  // one <s> for the whole conversation
  }

  void multiTurn14b() {
    RecordingEncoder enc;
    PromptBuilder b(PromptTemplate::Seed14B, seed_ids(), enc.fn());
    const std::vector<Message> conv = {
        user({Segment::of_text("Hi")}),
        assistant({Segment::of_text("Hello!")}),
        user({Segment::of_text("Draw a boat")}),
    };
    QCOMPARE(b.render(conv), std::string("<s>[INST] Hi [/INST]\nHello!\n[INST] Draw a boat [/INST]\n"));
    QCOMPARE(b.encode(conv), (std::vector<std::int64_t>{1, -1}));
  }

  void idsComeFromTokenIds() {
    TokenIds t = seed_ids();
    t.bos = 7;
    t.image_shift = 512;
    t.image_count = 64;
    t.boi = 600;
    t.eoi = 601;
    RecordingEncoder enc;
    PromptBuilder b(PromptTemplate::Seed8B, t, enc.fn());
    std::vector<std::int64_t> c(32, 63);
    const auto ids = b.encode({user({Segment::of_image(c)})});
    QCOMPARE(ids, cat({{7, -1}, image_ids(t, c), {-2}}));
    QCOMPARE(*enc.chunks, (std::vector<std::string>{"USER:", "ASSISTANT:"}));  // "\nASSISTANT:" lstripped
  }

  void rejectsBadImages() {
    RecordingEncoder enc;
    PromptBuilder b(PromptTemplate::Seed8B, seed_ids(), enc.fn());
    QVERIFY_THROWS_EXCEPTION(Error, b.encode({user({Segment::of_image({1, 2, 3})})}));
    auto c = codes(0);
    c[3] = 8192;
    QVERIFY_THROWS_EXCEPTION(Error, b.encode({user({Segment::of_image(c)})}));
    QVERIFY_THROWS_EXCEPTION(Error, parse_template("7b"));
  }

  // ---- output parser ----
  void parsesTextAndImages() {
    const auto t = seed_ids();
    const auto img = codes(3);
    const auto ids = cat({{100, 101}, image_ids(t, img), {102, 2, 103}});
    const auto p = parse_output(ids, t);
    QCOMPARE(p.segments.size(), std::size_t{3});
    QCOMPARE(p.segments[0].kind, OutputSegment::Text);
    QCOMPARE(p.segments[0].ids, (std::vector<std::int64_t>{100, 101}));
    QCOMPARE(p.segments[1].kind, OutputSegment::Image);
    QCOMPARE(p.segments[1].codes, img);
    QCOMPARE(p.segments[2].ids, (std::vector<std::int64_t>{102}));  // ids after </s> ignored
    QVERIFY(p.ended_with_eos);
    QCOMPARE(p.image_count(), std::size_t{1});
    QCOMPARE(p.malformed_count(), std::size_t{0});
  }

  void reportsMalformedSpans_data() {
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("problem");
    QTest::newRow("short span") << 0 << "has 31 codes";
    QTest::newRow("long span") << 1 << "has 33 codes";
    QTest::newRow("text inside") << 2 << "non-image token";
    QTest::newRow("unterminated") << 3 << "not closed";
    QTest::newRow("stray </img>") << 4 << "without <img>";
    QTest::newRow("stray codes") << 5 << "outside";
    QTest::newRow("nested <img>") << 6 << "not closed";
  }
  void reportsMalformedSpans() {
    QFETCH(int, which);
    QFETCH(QString, problem);
    const auto t = seed_ids();
    auto c = codes(0);
    std::vector<std::int64_t> ids;
    switch (which) {
      case 0: c.pop_back(); ids = image_ids(t, c); break;
      case 1: c.push_back(5); ids = image_ids(t, c); break;
      case 2: ids = image_ids(t, c); ids[5] = 300; break;
      case 3: ids = image_ids(t, c); ids.pop_back(); break;
      case 4: ids = {100, t.eoi, 101}; break;
      case 5: ids = {100, t.image_shift + 1, t.image_shift + 2, 101}; break;
      case 6: ids = cat({{t.boi, t.image_shift}, image_ids(t, c)}); break;
    }
    const auto p = parse_output(ids, t);
    QCOMPARE(p.malformed_count(), std::size_t{1});
    const auto it = std::find_if(p.segments.begin(), p.segments.end(),
                                 [](const OutputSegment& s) { return s.kind == OutputSegment::Malformed; });
    QVERIFY2(QString::fromStdString(it->problem).contains(problem), it->problem.c_str());
    QCOMPARE(p.image_count(), std::size_t{which == 6 ? 1 : 0});
  }
};

QTEST_APPLESS_MAIN(PromptTest)
#include "test_prompt.moc"
