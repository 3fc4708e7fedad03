// The engine header comes first: it declares a member named `emit`, which Qt's headers
// define as a macro.
#include "pipeline/engine_service.h"

#include <cstring>

#include "engine_controller.h"

namespace seedcanvas::gui {

namespace {

QImage toQImage(const std::shared_ptr<const RgbImage>& image) {
  if (!image || image->empty() || image->pixels.size() < static_cast<std::size_t>(image->width) * image->height * 3)
    return {};
  QImage out(image->width, image->height, QImage::Format_RGB888);  // rows are padded: copy row by row
  for (int y = 0; y < image->height; ++y) std::memcpy(out.scanLine(y), image->row(y), std::size_t(image->width) * 3);
  return out;
}

std::shared_ptr<const RgbImage> toRgb(const QImage& image) {
  const QImage src = image.convertToFormat(QImage::Format_RGB888);
  auto out = std::make_shared<RgbImage>();
  out->width = src.width();
  out->height = src.height();
  out->pixels.resize(std::size_t(src.width()) * src.height() * 3);
  for (int y = 0; y < src.height(); ++y) std::memcpy(out->row(y), src.constScanLine(y), std::size_t(src.width()) * 3);
  return out;
}

QList<int> toQCodes(const pipeline::Codes& codes) { return QList<int>(codes.begin(), codes.end()); }

ui::GenerationStats toStats(const pipeline::Stats& s) {
  ui::GenerationStats out;
  out.timeToFirstToken = s.time_to_first_token_s;
  out.tokensPerSecond = s.tokens_per_s;
  out.newTokens = s.new_tokens;
  out.promptTokens = s.prompt_tokens;
  out.reusedPromptTokens = s.reused_prompt_tokens;
  out.secondsPerImage = s.seconds_per_image;
  return out;
}

pipeline::GenerationSettings toSettings(const ui::GenerationOptions& o) {
  pipeline::GenerationSettings g;
  g.sampling.temperature = o.temperature;
  g.sampling.top_k = o.topK;
  g.sampling.top_p = o.topP;
  g.sampling.max_new_tokens = o.maxNewTokens;
  g.sampling.seed = o.seed;
  g.diffusion.steps = o.steps;
  g.diffusion.guidance = o.guidance;
  g.diffusion.scheduler = o.scheduler.toStdString();
  g.diffusion.seed = o.imageSeed ? o.imageSeed : o.seed;
  g.diffusion.preview_every = o.previewEvery;
  g.force_image = o.forceImage;
  return g;
}

}  // namespace

EngineController::EngineController(QObject* parent) : ui::Backend(parent) {
  qRegisterMetaType<ui::GenerationStats>();
  m_service = std::make_unique<pipeline::EngineService>([this](const pipeline::Event& e) { deliver(e); });
}

EngineController::~EngineController() {
  // Join the worker while this object is whole: events it posts meanwhile are dropped with it.
  if (m_service) m_service->stop();
  m_service.reset();
}

void EngineController::setPlacement(const QString& device, const QString& dtype, int threads) {
  m_device = device;
  m_dtype = dtype;
  m_threads = qMax(0, threads);
}

bool EngineController::busy() const { return m_service && m_service->busy(); }

quint64 EngineController::load(const QString& packDir) {
  pipeline::LoadRequest r;
  r.pack_dir = packDir.toStdString();
  if (!m_device.isEmpty() && m_device != QLatin1String("auto")) r.device = m_device.toStdString();
  if (!m_dtype.isEmpty() && m_dtype != QLatin1String("auto")) r.dtype = m_dtype.toStdString();
  r.threads = m_threads;
  r.gemv_choices = m_kernelChoices.toStdString();
  return m_service->load(std::move(r));
}

void EngineController::setLoadOptions(const QString& device, const QString& dtype) {
  m_device = device.isEmpty() ? QStringLiteral("auto") : device;
  m_dtype = dtype.isEmpty() ? QStringLiteral("auto") : dtype;
}

quint64 EngineController::chat(const ui::TurnRequest& request) {
  pipeline::ChatRequest r;
  r.settings = toSettings(request.options);
  for (const auto& m : request.history) {
    pipeline::Message pm;
    pm.role = m.role == ui::Role::User ? pipeline::Message::Role::User : pipeline::Message::Role::Assistant;
    pm.text = m.text.toStdString();
    for (const auto& img : m.images) {
      pipeline::ImageInput in;
      // Known codes are what the model reads; pixels only when a picture was never tokenized,
      // read (a stored one held as a display copy) and converted on the engine thread.
      if (!img.codes.isEmpty())
        in.codes.assign(img.codes.begin(), img.codes.end());
      else
        in.read_pixels = [img]() -> std::shared_ptr<const RgbImage> {
          const QImage pixels = img.pixels();
          return pixels.isNull() ? nullptr : toRgb(pixels);
        };
      pm.images.push_back(std::move(in));
    }
    r.history.push_back(std::move(pm));
  }
  m_lastRequest = std::make_unique<pipeline::ChatRequest>(r);
  return m_service->chat(std::move(r));
}

void EngineController::stop(quint64 request) {
  if (m_service) m_service->stop(request);
}

void EngineController::deliver(const pipeline::Event& e) {
  using K = pipeline::EventKind;
  const quint64 id = e.request;
  // Conversion happens here, on the worker; only Qt value types cross to the GUI thread.
  const QString text = QString::fromStdString(e.text);
  switch (e.kind) {
    case K::LoadProgress:
      QMetaObject::invokeMethod(this, [this, id, text, s = e.step, t = e.total] { emit loadProgress(id, text, s, t); },
                                Qt::QueuedConnection);
      break;
    case K::Loaded:
      QMetaObject::invokeMethod(this, [this, id, text] { emit loaded(id, text); }, Qt::QueuedConnection);
      break;
    case K::ImageTokenized:
      QMetaObject::invokeMethod(
          this, [this, id, m = e.message, i = e.index, c = toQCodes(e.codes)] { emit imageTokenized(id, m, i, c); },
          Qt::QueuedConnection);
      break;
    case K::TextDelta:
      QMetaObject::invokeMethod(this, [this, id, text] { emit textDelta(id, text); }, Qt::QueuedConnection);
      break;
    case K::ImageTokens:
      QMetaObject::invokeMethod(
          this, [this, id, i = e.index, s = e.step, t = e.total] { emit imageTokens(id, i, s, t); },
          Qt::QueuedConnection);
      break;
    case K::DiffusionStep:
      QMetaObject::invokeMethod(
          this,
          [this, id, i = e.index, s = e.step, t = e.total, img = toQImage(e.image)] { emit diffusionStep(id, i, s, t, img); },
          Qt::QueuedConnection);
      break;
    case K::ImageReady:
      QMetaObject::invokeMethod(this,
                                [this, id, i = e.index, img = toQImage(e.image), c = toQCodes(e.codes), seed = e.seed] {
                                  emit imageReady(id, i, img, c, seed);
                                },
                                Qt::QueuedConnection);
      break;
    case K::MalformedImage:
      QMetaObject::invokeMethod(this, [this, id, i = e.index, text] { emit malformedImage(id, i, text); },
                                Qt::QueuedConnection);
      break;
    case K::Finished:
      QMetaObject::invokeMethod(
          this,
          [this, id, r = static_cast<int>(e.reason), st = toStats(e.stats), text] { emit finished(id, r, st, text); },
          Qt::QueuedConnection);
      break;
    case K::Failed:
      QMetaObject::invokeMethod(this, [this, id, text] { emit failed(id, text); }, Qt::QueuedConnection);
      break;
  }
}

}  // namespace seedcanvas::gui
