// ChatSession on a small random LLaMA with a toy vocabulary (text ids, image codes, <img>,
// </img>) and a stand-in tokenizer: history, cache reuse across turns, forced images with the
// image-span rule, cancellation keeps the partial reply.
#include <ATen/ATen.h>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "llm/chat_session.h"

using namespace seedcanvas;
using namespace seedcanvas::llm;

namespace {

// 64 text ids (0 unk, 1 <s>, 2 </s>), 8 image codes at 64.., <img> 72, </img> 73.
TokenIds toy_ids() {
  TokenIds t;
  t.bos = 1;
  t.eos = 2;
  t.image_shift = 64;
  t.image_count = 8;
  t.boi = 72;
  t.eoi = 73;
  return t;
}

std::vector<std::int64_t> encode(const std::string& s) {
  std::vector<std::int64_t> out;
  for (unsigned char c : s) out.push_back(3 + c % 61);
  return out;
}

std::string decode(const std::vector<std::int64_t>& ids) {
  std::string s;
  for (auto id : ids) s += static_cast<char>('a' + id % 26);
  return s;
}

ChatOptions options(bool force_image) {
  ChatOptions o;
  o.sampling.seed = 3;
  o.sampling.top_p = 0.9;
  o.max_new_tokens = 40;
  o.force_image = force_image;
  o.context = 512;
  return o;
}

}  // namespace

class ChatSessionTest : public QObject {
  Q_OBJECT
  std::unique_ptr<LlamaForCausalLM> model_;

 private slots:
  void initTestCase() {
    auto config = LlamaConfig::from_json(nlohmann::json::parse(R"({"vocab_size":74,"hidden_size":32,
        "intermediate_size":48,"num_hidden_layers":2,"num_attention_heads":4,"max_position_embeddings":512})"),
                                         "toy.json");
    model_ = LlamaForCausalLM::random(config, at::kFloat, 0.3, 5);
  }

  void forcedImageIsWellFormed() {
    ChatSession chat(*model_, toy_ids(), encode, decode, options(true));
    std::int64_t last_progress = -1;
    bool saw_image = false, monotonic = true;
    auto turn = chat.send({Role::User, {Segment::of_text("draw")}}, [&](const GenerationStep& s) {
      if (s.in_image) {
        saw_image = true;
        monotonic = monotonic && s.image_progress >= last_progress;
        last_progress = s.image_progress;
      }
      return true;
    });
    QVERIFY(saw_image);
    QVERIFY(monotonic);
    QCOMPARE(last_progress, TokenIds::kCodesPerImage);
    QVERIFY(turn.parsed.image_count() >= 1);
    QCOMPARE(turn.parsed.malformed_count(), std::size_t{0});
    QCOMPARE(chat.history().size(), std::size_t{2});
    const auto& reply = chat.history().back();
    QCOMPARE(reply.role, Role::Assistant);
    QVERIFY(std::any_of(reply.segments.begin(), reply.segments.end(), [](const Segment& s) { return s.is_image(); }));
  }

  void secondTurnReusesTheCache() {
    ChatSession chat(*model_, toy_ids(), encode, decode, options(false));
    auto first = chat.send({Role::User, {Segment::of_text("hello there")}});
    QCOMPARE(first.generation.reused_tokens, std::int64_t{0});
    auto second = chat.send({Role::User, {Segment::of_text("and again")}});
    // At least the whole first prompt is still cached; only the rest is computed.
    QVERIFY2(second.generation.reused_tokens >= first.generation.prompt_tokens,
             qPrintable(QString("reused %1 of first prompt %2")
                            .arg(second.generation.reused_tokens)
                            .arg(first.generation.prompt_tokens)));
    QCOMPARE(chat.history().size(), std::size_t{4});
    chat.reset();
    QVERIFY(chat.history().empty());
    QCOMPARE(chat.cache().length(), std::int64_t{0});
  }

  void cancelledTurnKeepsThePartialReply() {
    ChatSession chat(*model_, toy_ids(), encode, decode, options(false));
    std::atomic<bool> cancel{false};
    int steps = 0;
    auto turn = chat.send({Role::User, {Segment::of_text("talk")}}, [&](const GenerationStep&) {
      if (++steps == 4) cancel = true;
      return true;
    }, &cancel);
    QCOMPARE(turn.generation.finish, FinishReason::Cancelled);
    QCOMPARE(turn.generation.ids.size(), std::size_t{4});
    QCOMPARE(chat.history().size(), std::size_t{2});
    auto next = chat.send({Role::User, {Segment::of_text("go on")}});
    QVERIFY(next.generation.finish != FinishReason::Cancelled);
  }
};

QTEST_APPLESS_MAIN(ChatSessionTest)
#include "test_chat_session.moc"
