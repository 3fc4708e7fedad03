// The SEED-LLaMA pipeline end to end on the demo pack: understand, generate, edit, multi-turn
// prompts that carry earlier images as their codes, reproducibility by seed.
#include <ATen/ATen.h>
#include <QtTest>

#include <algorithm>
#include <thread>

#include "core/error.h"
#include "core/json_file.h"
#include "demo_pack_fixture.h"
#include "imageio/image_io.h"
#include "pipeline/seed_pipeline.h"
#include "support/fixtures.h"
#include "text/seed_tokenizer.h"

using namespace seedcanvas;
using namespace seedcanvas::pipeline;

namespace {

struct Run {
  std::vector<Event> events;
  std::string text;
  std::vector<Event> images;
  Event finished;
  int count(EventKind k) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const Event& e) { return e.kind == k; }));
  }
};

RgbImage gradient(int w, int h, int shift) {
  RgbImage img;
  img.width = w;
  img.height = h;
  img.pixels.resize(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = img.row(y) + x * 3;
      p[0] = static_cast<std::uint8_t>((x * 255) / w);
      p[1] = static_cast<std::uint8_t>((y * 255) / h);
      p[2] = static_cast<std::uint8_t>((x + y + shift) % 256);
    }
  return img;
}

GenerationSettings quick(std::uint64_t seed, int max_new_tokens = 12) {
  GenerationSettings s;
  s.sampling.seed = seed;
  s.sampling.max_new_tokens = max_new_tokens;
  s.diffusion.steps = 3;
  return s;
}

// Token ids of one image span as the prompt must contain it.
std::vector<std::int64_t> span_ids(const text::SeedTokenizer& tok, const Codes& codes) {
  std::vector<std::int64_t> ids{tok.boi_id()};
  for (auto c : codes) ids.push_back(tok.image_id_shift() + c);
  ids.push_back(tok.eoi_id());
  return ids;
}

bool contains(const std::vector<std::int64_t>& haystack, const std::vector<std::int64_t>& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace

class PipelineDemoTest : public QObject {
  Q_OBJECT
  std::unique_ptr<SeedPipeline> p;

  Run chat(ChatRequest& request) {
    Run run;
    std::atomic<bool> cancel{false};
    p->chat(request, cancel, [&](Event e) {
      if (e.kind == EventKind::TextDelta) run.text += e.text;
      if (e.kind == EventKind::ImageReady) run.images.push_back(e);
      if (e.kind == EventKind::Finished) run.finished = e;
      run.events.push_back(std::move(e));
    });
    return run;
  }

 private slots:
  void initTestCase() {
    LoadRequest request;
    request.pack_dir = test::demo_pack().string();
    request.threads = 2;
    std::vector<std::string> stages;
    p = SeedPipeline::load(request, [&](const std::string& stage, int, int) {
      if (stages.empty() || stages.back() != stage) stages.push_back(stage);
      return true;
    });
    QVERIFY(p->pack().random_weights);
    QVERIFY2(QString::fromStdString(p->description()).contains("RANDOM"), p->description().c_str());
    QVERIFY(p->images_supported());
    QVERIFY2(stages.size() >= 4, "load reports each component");
  }

  void askReturnsTextAboutAnImage() {
    ChatRequest request;
    request.history.push_back({Message::Role::User, "What is in this image?", {{{}, std::make_shared<RgbImage>(gradient(64, 48, 0))}}});
    request.settings = quick(1, 16);
    auto run = chat(request);
    QCOMPARE(run.count(EventKind::ImageTokenized), 1);
    QCOMPARE(request.history[0].images[0].codes.size(), std::size_t(32));  // kept by the caller for later turns
    QCOMPARE(run.count(EventKind::Finished), 1);
    QVERIFY(run.finished.stats.new_tokens > 0);
    QVERIFY2(!run.text.empty() || run.finished.stats.images > 0, "the answer has content");
    // The prompt holds the image's codes as one span, before the question.
    QVERIFY(contains(p->last_prompt_ids(), span_ids(p->tokenizer(), request.history[0].images[0].codes)));
    QCOMPARE(p->last_prompt_ids().front(), p->tokenizer().bos_id());
  }

  // A caller may hand over a picture as a reader the engine thread calls (the app: a stored photo
  // read from disk there); one that cannot be read is named, with what to do.
  void picturesCanBeReadOnTheEngineThread() {
    const auto caller = std::this_thread::get_id();
    std::thread::id reader;
    ChatRequest request;
    ImageInput lazy;
    lazy.read_pixels = [&] {
      reader = std::this_thread::get_id();
      return std::make_shared<const RgbImage>(gradient(64, 48, 0));
    };
    request.history.push_back({Message::Role::User, "What is in this image?", {lazy}});
    request.settings = quick(1, 4);
    std::atomic<bool> cancel{false};
    std::vector<Event> events;
    std::thread engine([&] { p->chat(request, cancel, [&](Event e) { events.push_back(std::move(e)); }); });
    engine.join();
    QVERIFY(reader != std::thread::id() && reader != caller);
    QCOMPARE(request.history[0].images[0].codes.size(), std::size_t(32));
    // The same picture given as pixels gets the same codes.
    ChatRequest direct;
    direct.history.push_back({Message::Role::User, "What is in this image?", {{{}, std::make_shared<RgbImage>(gradient(64, 48, 0))}}});
    direct.settings = quick(1, 4);
    chat(direct);
    QCOMPARE(request.history[0].images[0].codes, direct.history[0].images[0].codes);

    ChatRequest missing;
    ImageInput gone;
    gone.read_pixels = [] { return std::shared_ptr<const RgbImage>(); };
    missing.history.push_back({Message::Role::User, "And this one?", {gone}});
    missing.settings = quick(1, 4);
    QString error;
    try {
      chat(missing);
    } catch (const std::exception& e) {
      error = e.what();
    }
    QVERIFY2(error.contains("image 1 of message 1 could not be read") && error.contains("attach the picture again"),
             qPrintable(error));
  }

  void generateWithForcedImageDrawsAtDecoderSize() {
    ChatRequest request;
    request.history.push_back({Message::Role::User, "Draw a red fox in the snow.", {}});
    request.settings = quick(7, 40);
    request.settings.force_image = true;
    auto run = chat(request);
    QCOMPARE(run.images.size(), std::size_t(1));
    const auto& img = *run.images[0].image;
    // The decoder's size: the UNet's sample_size times the VAE's upsampling (2 per block after
    // the first), read from the pack's own configs.
    const auto unet = read_json_file(p->pack().unclip / "unet" / "config.json");
    const auto vae = read_json_file(p->pack().unclip / "vae" / "config.json");
    const int side = unet.at("sample_size").get<int>() << (vae.at("block_out_channels").size() - 1);
    QCOMPARE(img.width, side);
    QCOMPARE(img.height, side);
    QCOMPARE(run.images[0].codes.size(), std::size_t(32));
    QVERIFY(run.count(EventKind::ImageTokens) >= 32);
    QVERIFY(run.count(EventKind::DiffusionStep) >= 3);
    QVERIFY(QString::fromStdString(run.finished.text).contains("<image>"));
    // The prompt ends with <img>: the forced span.
    QCOMPARE(p->last_prompt_ids().back(), p->tokenizer().boi_id());
    // Written as a PNG of that size with its codes in the metadata.
    const auto out = test::scratch_dir("e2e_generate") / "fox.png";
    imageio::write_image(out, img, {{{"seedcanvas:seed", std::to_string(run.images[0].seed)}}});
    const auto back = imageio::read_image(out);
    QCOMPARE(back.width, side);
    QVERIFY(back.pixels == img.pixels);
  }

  void editPutsTheSourceCodesIntoThePrompt() {
    auto source = std::make_shared<RgbImage>(gradient(80, 80, 40));
    const auto codes = p->tokenize_image(*source);
    ChatRequest request;
    request.history.push_back({Message::Role::User, "<image>Make it look like winter.", {{{}, source}}});
    request.settings = quick(3, 40);
    request.settings.force_image = true;
    auto run = chat(request);
    QCOMPARE(request.history[0].images[0].codes, codes);  // tokenizing is deterministic
    QVERIFY(contains(p->last_prompt_ids(), span_ids(p->tokenizer(), codes)));
    QCOMPARE(run.images.size(), std::size_t(1));
  }

  void thirdTurnCarriesTheFirstImageAsCodes() {
    auto photo = std::make_shared<RgbImage>(gradient(50, 70, 99));
    ChatRequest request;
    request.settings = quick(11, 8);
    request.history.push_back({Message::Role::User, "<image>Describe this photo.", {{{}, photo}}});
    auto turn1 = chat(request);
    const auto codes1 = request.history[0].images[0].codes;
    QCOMPARE(codes1.size(), std::size_t(32));
    // Turn 2: the assistant's answer, then a new request; turn 3 refers back to the photo.
    request.history.push_back({Message::Role::Assistant, turn1.finished.text, {}});
    request.history.push_back({Message::Role::User, "Now draw it at night.", {}});
    request.settings.force_image = true;
    request.settings.sampling.max_new_tokens = 40;
    auto turn2 = chat(request);
    QCOMPARE(turn2.images.size(), std::size_t(1));
    request.history.push_back({Message::Role::Assistant, turn2.finished.text, {{turn2.images[0].codes, {}}}});
    request.history.push_back({Message::Role::User, "Compare it with the first photo.", {}});
    request.settings.force_image = false;
    request.settings.sampling.max_new_tokens = 8;
    auto turn3 = chat(request);
    const auto& ids = p->last_prompt_ids();
    QVERIFY2(contains(ids, span_ids(p->tokenizer(), codes1)), "turn 3 sends the turn-1 image as its codes");
    QVERIFY2(contains(ids, span_ids(p->tokenizer(), turn2.images[0].codes)), "and the generated image as its codes");
    QCOMPARE(std::count(ids.begin(), ids.end(), p->tokenizer().bos_id()), std::ptrdiff_t(1));
    QVERIFY2(turn3.finished.stats.reused_prompt_tokens > 0, "earlier turns come from the KV cache");
    // The prompt is exactly what the template builds from the history.
    QCOMPARE(ids, p->prompt_ids(request.history, false));
  }

  void sameSeedSameIdsAndPixels() {
    auto once = [&](std::uint64_t seed) {
      ChatRequest request;
      request.history.push_back({Message::Role::User, "A lighthouse at dusk.", {}});
      request.settings = quick(seed, 40);
      request.settings.force_image = true;
      p->reset_session();  // reproducibility is defined from the same cache state
      auto run = chat(request);
      return std::make_pair(p->last_generated_ids(), run.images.at(0).image->pixels);
    };
    const auto a = once(42), b = once(42), c = once(43);
    QCOMPARE(a.first, b.first);
    QVERIFY(a.second == b.second);
    QVERIFY(a.first != c.first);
    QVERIFY(a.second != c.second);
  }

  void conversationTooLongIsAClearError() {
    ChatRequest request;
    std::string long_text;
    for (int i = 0; i < 600; ++i) long_text += "word" + std::to_string(i) + " ";
    request.history.push_back({Message::Role::User, long_text, {}});
    request.settings = quick(1);
    std::atomic<bool> cancel{false};
    try {
      p->chat(request, cancel, [](Event) {});
      QFAIL("expected an error");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Resource);
      QVERIFY(QString::fromStdString(e.what()).contains("context"));
    }
  }
};

QTEST_APPLESS_MAIN(PipelineDemoTest)
#include "test_pipeline_demo.moc"
