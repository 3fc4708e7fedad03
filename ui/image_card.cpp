#include "image_card.h"

#include <QApplication>
#include <QDir>
#include <QDrag>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageWriter>
#include <QLabel>
#include <QMimeData>
#include <QMouseEvent>
#include <QStandardPaths>
#include <QToolButton>
#include <QUrl>
#include <QUuid>
#include <QVBoxLayout>

#include "theme.h"

namespace seedcanvas::ui {

namespace {

QToolButton* actionButton(QWidget* parent, const QString& iconName, const QString& text) {
  auto* b = new QToolButton(parent);
  b->setIcon(icon(iconName));
  b->setToolTip(text);
  b->setAccessibleName(text);
  b->setAccessibleDescription(text);  // the label already says what the button does
  b->setAutoRaise(true);
  return b;
}

}  // namespace

ImageCard::ImageCard(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("imageCard"));
  setAccessibleName(tr("Picture"));
  setAccessibleDescription(tr("Click to open, drag to another app"));
  setCursor(Qt::PointingHandCursor);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 4);
  layout->setSpacing(2);
  m_picture = new QLabel(this);
  m_picture->setAlignment(Qt::AlignCenter);
  m_picture->setMinimumSize(64, 64);
  m_picture->setAccessibleName(tr("Picture preview"));
  layout->addWidget(m_picture);
  auto* row = new QHBoxLayout;
  row->setSpacing(0);
  const struct {
    ImageAction action;
    const char* icon;
    QString text;
  } buttons[] = {{ImageAction::Open, "zoom-in", tr("Full view")},  // clicking the picture does it too
                 {ImageAction::Save, "save", tr("Save as…")},
                 {ImageAction::Copy, "copy", tr("Copy picture")},
                 {ImageAction::UseAsInput, "use-input", tr("Use as input")},
                 {ImageAction::ShowCodes, "codes", tr("Show SEED codes")},
                 {ImageAction::Variations, "variations", tr("Variations")}};
  for (const auto& spec : buttons) {
    auto* b = actionButton(this, QString::fromLatin1(spec.icon), spec.text);
    const auto action = spec.action;
    connect(b, &QToolButton::clicked, this, [this, action] { emit actionRequested(action); });
    if (action == ImageAction::Open) b->setObjectName(QStringLiteral("fullViewButton"));
    if (action == ImageAction::ShowCodes) m_codesButton = b;
    if (action == ImageAction::Variations) m_variationsButton = b;
    row->addWidget(b);
  }
  row->addStretch();
  layout->addLayout(row);
  setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void ImageCard::setPicture(const ChatImage& picture, bool canVary) {
  const QImage& image = picture.image;
  m_image = image;
  m_file = picture.file;
  m_codesButton->setVisible(!picture.codes.isEmpty());
  m_variationsButton->setVisible(canVary);
  if (image.isNull()) {
    m_shownKey = 0;
    m_picture->setText(picture.loading ? tr("Loading picture…") : tr("(picture missing)"));
    // The size the picture will be shown at (it is scaled to fit the square), so nothing moves.
    const QSize box(kDisplaySize, kDisplaySize);
    const QSize expected = picture.storedSize;
    if (picture.loading) m_picture->setFixedSize(expected.isValid() ? expected.scaled(box, Qt::KeepAspectRatio) : box);
    return;
  }
  const qreal dpr = devicePixelRatioF();
  // A streaming row is refreshed every frame: scale each picture once, not on every refresh.
  if (image.cacheKey() == m_shownKey && dpr == m_shownDpr) return;
  m_shownKey = image.cacheKey();
  m_shownDpr = dpr;
  QPixmap pm = QPixmap::fromImage(
      image.scaled(QSize(kDisplaySize, kDisplaySize) * dpr, Qt::KeepAspectRatio, Qt::SmoothTransformation));
  pm.setDevicePixelRatio(dpr);
  m_picture->setPixmap(pm);
  m_picture->setFixedSize(pm.deviceIndependentSize().toSize());
}

void ImageCard::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) {
    m_pressPos = event->position().toPoint();
    m_pressed = true;
  }
  QFrame::mousePressEvent(event);
}

void ImageCard::mouseMoveEvent(QMouseEvent* event) {
  if (!m_pressed || m_image.isNull() ||
      (event->position().toPoint() - m_pressPos).manhattanLength() < QApplication::startDragDistance())
    return;
  m_pressed = false;
  auto* drag = new QDrag(this);
  drag->setMimeData(dragData());
  drag->setPixmap(QPixmap::fromImage(m_image.scaled(96, 96, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
  drag->exec(Qt::CopyAction);
}

QMimeData* ImageCard::dragData() const {
  // Other apps take either pixels or a file; offer both (the file lives in the temp folder).
  auto* mime = new QMimeData;
  mime->setImageData(m_image);
  const bool stored = !m_file.isEmpty() && QFileInfo::exists(m_file);
  const QString suffix = stored ? QFileInfo(m_file).suffix() : QStringLiteral("png");
  const QString file = QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation))
                           .filePath(QStringLiteral("seedcanvas-%1.%2")
                                         .arg(QUuid::createUuid().toString(QUuid::Id128).left(8), suffix));
  const bool written = stored ? QFile::copy(m_file, file) : m_image.save(file, "PNG");
  if (written) mime->setUrls({QUrl::fromLocalFile(file)});
  return mime;
}

void ImageCard::mouseReleaseEvent(QMouseEvent* event) {
  if (m_pressed && event->button() == Qt::LeftButton && m_picture->geometry().contains(event->position().toPoint()))
    emit actionRequested(ImageAction::Open);
  m_pressed = false;
  QFrame::mouseReleaseEvent(event);
}

QString saveImageWithMetadata(const QImage& image, const QString& path, const QList<int>& codes, quint64 seed,
                              const QString& settings) {
  QImageWriter writer(path);
  const bool jpeg = path.endsWith(QStringLiteral(".jpg"), Qt::CaseInsensitive) ||
                    path.endsWith(QStringLiteral(".jpeg"), Qt::CaseInsensitive);
  writer.setFormat(jpeg ? "jpeg" : "png");
  if (jpeg) writer.setQuality(92);
  QStringList codeText;
  for (int c : codes) codeText << QString::number(c);
  writer.setText(QStringLiteral("Software"), QStringLiteral("SeedCanvas"));
  if (!codes.isEmpty()) writer.setText(QStringLiteral("SEED-codes"), codeText.join(QLatin1Char(' ')));
  if (seed) writer.setText(QStringLiteral("SEED-seed"), QString::number(seed));
  if (!settings.isEmpty()) writer.setText(QStringLiteral("SEED-settings"), settings);
  if (!writer.write(jpeg ? image.convertToFormat(QImage::Format_RGB888) : image))
    return QObject::tr("%1: %2").arg(path, writer.errorString());
  return {};
}

}  // namespace seedcanvas::ui
