#include "composer.h"

#include <QEvent>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QKeyEvent>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

#include "theme.h"

namespace seedcanvas::ui {

QImage readPicture(const QString& path, QString* error) {
  QImageReader reader(path);
  reader.setAutoTransform(true);
  const QString name = QFileInfo(path).fileName();
  // The engine refuses pictures over imageio::ReadOptions::max_pixels; the Qt-only UI cannot
  // include it, so the value is repeated here to say so before decoding one.
  constexpr qint64 kMaxPixels = 178956970;
  if (const QSize size = reader.size(); size.isValid() && qint64(size.width()) * size.height() > kMaxPixels) {
    if (error)
      *error = Composer::tr("%1 was not attached: %2 x %3 pixels is more than this app can read")
                   .arg(name)
                   .arg(size.width())
                   .arg(size.height());
    return {};
  }
  QImage img = reader.read();
  if (img.isNull() && error)
    *error = Composer::tr("%1 was not attached: %2").arg(name, reader.errorString());
  return img;
}

namespace {

constexpr int kThumbSide = 56;

// What a drop or paste holds: pictures already decoded (image data), local files to read, and
// one line for each entry that cannot be attached (the user should hear why nothing appeared).
struct Dropped {
  QList<QImage> images;
  QStringList files;
  QStringList errors;
};

Dropped droppedIn(const QMimeData* mime) {
  Dropped out;
  if (!mime) return out;
  if (mime->hasImage()) {
    const auto img = qvariant_cast<QImage>(mime->imageData());
    if (!img.isNull()) out.images << img;
  }
  if (out.images.isEmpty() && mime->hasUrls()) {
    for (const auto& url : mime->urls()) {
      if (url.isLocalFile()) out.files << url.toLocalFile();
      else
        out.errors << Composer::tr("%1 was not attached: only files on this computer can be attached")
                          .arg(url.toDisplayString());
    }
  }
  return out;
}

QImage thumbnailOf(const QImage& image) {
  return image.scaled(kThumbSide, kThumbSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

}  // namespace

bool PromptEdit::event(QEvent* event) {
  // Shortcuts are matched before the key reaches the widget: claim Escape first.
  if (event->type() == QEvent::ShortcutOverride && m_escapeCancels &&
      static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
    event->accept();
    return true;
  }
  return QPlainTextEdit::event(event);
}

void PromptEdit::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Escape && m_escapeCancels) {
    emit cancel();
    return;
  }
  const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
  if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
    emit submit();
    return;
  }
  QPlainTextEdit::keyPressEvent(event);
}

bool PromptEdit::canInsertFromMimeData(const QMimeData* source) const {
  return source->hasImage() || source->hasUrls() || QPlainTextEdit::canInsertFromMimeData(source);
}

void PromptEdit::insertFromMimeData(const QMimeData* source) {
  const auto dropped = droppedIn(source);
  for (const auto& img : dropped.images) emit imagePasted(img);
  if (!dropped.files.isEmpty())
    emit filesPasted(dropped.files, dropped.errors);
  else
    for (const auto& error : dropped.errors) emit attachFailed(error);
  // Files that were meant as pictures do not land in the prompt as paths.
  if (!dropped.images.isEmpty() || !dropped.files.isEmpty() || !dropped.errors.isEmpty()) return;
  QPlainTextEdit::insertFromMimeData(source);
}

Composer::Composer(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("composerFrame"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(10, 8, 10, 8);

  m_editBanner = new QFrame(this);
  m_editBanner->setObjectName(QStringLiteral("editBanner"));
  auto* eb = new QHBoxLayout(m_editBanner);
  eb->setContentsMargins(0, 0, 0, 0);
  m_editLabel = new QLabel(m_editBanner);
  m_editCancel = new QPushButton(m_editBanner);
  m_editCancel->setObjectName(QStringLiteral("cancelEditButton"));
  connect(m_editCancel, &QPushButton::clicked, this, &Composer::cancelEdit);
  eb->addWidget(m_editLabel, 1);
  eb->addWidget(m_editCancel);
  m_editBanner->hide();
  layout->addWidget(m_editBanner);

  m_thumbs = new QWidget(this);
  m_thumbs->setObjectName(QStringLiteral("attachments"));
  m_thumbLayout = new QHBoxLayout(m_thumbs);
  m_thumbLayout->setContentsMargins(0, 0, 0, 0);
  m_thumbs->hide();
  layout->addWidget(m_thumbs);
  m_reader.setMaxThreadCount(1);  // one file at a time: the engine may be using every other core

  m_edit = new PromptEdit(this);
  m_edit->setObjectName(QStringLiteral("promptEdit"));
  m_edit->setFrameShape(QFrame::NoFrame);
  m_edit->setTabChangesFocus(true);
  m_edit->setFixedHeight(72);
  layout->addWidget(m_edit);
  connect(m_edit, &PromptEdit::submit, this, &Composer::trySend);
  connect(m_edit, &PromptEdit::cancel, this, &Composer::cancelEdit);
  connect(m_edit, &PromptEdit::imagePasted, this, &Composer::addImage);
  connect(m_edit, &PromptEdit::filesPasted, this,
          [this](const QStringList& paths, const QStringList& refused) { attachFiles(paths, refused); });
  connect(m_edit, &PromptEdit::attachFailed, this, &Composer::attachFailed);

  auto* row = new QHBoxLayout;
  m_attach = new QToolButton(this);
  m_attach->setIcon(icon(QStringLiteral("attach")));
  connect(m_attach, &QToolButton::clicked, this, &Composer::attachFromDialog);
  m_draw = new QToolButton(this);
  m_draw->setObjectName(QStringLiteral("drawToggle"));
  m_draw->setIcon(icon(QStringLiteral("draw")));
  m_draw->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  m_draw->setCheckable(true);
  m_send = new QPushButton(icon(QStringLiteral("send")), QString(), this);
  m_send->setObjectName(QStringLiteral("sendButton"));
  connect(m_send, &QPushButton::clicked, this, [this] {
    if (m_busy) emit stopRequested();
    else trySend();
  });
  row->addWidget(m_attach);
  row->addWidget(m_draw);
  row->addStretch();
  row->addWidget(m_send);
  layout->addLayout(row);
  retranslate();
}

void Composer::retranslate() {
  setAccessibleName(tr("Message composer"));
  setAccessibleDescription(tr("Write a message, attach pictures and send it."));
  m_editLabel->setText(tr("Editing an earlier message: sending starts a new branch; the old one stays."));
  m_editLabel->setAccessibleName(tr("Editing notice"));
  m_editCancel->setText(tr("Cancel edit"));
  m_editCancel->setAccessibleName(tr("Cancel edit"));
  m_editCancel->setAccessibleDescription(tr("Leaves the earlier message as it was."));
  m_thumbs->setAccessibleName(tr("Attached pictures"));
  m_edit->setAccessibleName(tr("Message"));
  m_edit->setAccessibleDescription(tr("Enter sends, Shift+Enter adds a line; paste or drop pictures here."));
  m_edit->setPlaceholderText(tr("Message SeedCanvas — Enter sends, Shift+Enter adds a line"));
  m_attach->setToolTip(tr("Attach pictures…"));
  m_attach->setAccessibleName(tr("Attach pictures"));
  m_attach->setAccessibleDescription(tr("Opens a file picker to add pictures to the message."));
  m_draw->setText(tr("Draw"));
  m_draw->setToolTip(tr("Always answer with a picture"));
  m_draw->setAccessibleName(tr("Draw a picture"));
  m_draw->setAccessibleDescription(tr("Always answer with a picture"));
  setBusy(m_busy);
}

void Composer::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QFrame::changeEvent(event);
}

QString Composer::text() const { return m_edit->toPlainText(); }
void Composer::setText(const QString& text) { m_edit->setPlainText(text); }
bool Composer::drawEnabled() const { return m_draw->isChecked(); }
void Composer::setDrawEnabled(bool on) { m_draw->setChecked(on); }
void Composer::focusPrompt() { m_edit->setFocus(); }

void Composer::addImage(const QImage& image) {
  if (image.isNull()) return;
  m_images.append(image);
  rebuildThumbnails();
}

void Composer::removeImage(int index) {
  if (index < 0 || index >= m_images.size()) return;
  m_images.removeAt(index);
  rebuildThumbnails();
}

int Composer::addFromMimeData(const QMimeData* mime) {
  const auto dropped = droppedIn(mime);
  for (const auto& img : dropped.images) addImage(img);
  // Refusals known now wait for the files' own, so that one drop still gives one status line.
  if (dropped.files.isEmpty())
    for (const auto& error : dropped.errors) emit attachFailed(error);
  else
    attachFiles(dropped.files, dropped.errors);
  return static_cast<int>(dropped.images.size() + dropped.files.size());
}

void Composer::attachFiles(const QStringList& paths) { attachFiles(paths, {}); }

void Composer::attachFiles(const QStringList& paths, const QStringList& refused) {
  if (paths.isEmpty()) return;
  struct Read {
    QList<QImage> images, thumbs;
    QStringList errors;
  };
  ++m_reading;
  rebuildThumbnails();
  auto* watcher = new QFutureWatcher<Read>(this);
  connect(watcher, &QFutureWatcher<Read>::finished, this, [this, watcher] {
    const Read read = watcher->result();
    watcher->deleteLater();
    --m_reading;
    for (qsizetype i = 0; i < read.images.size(); ++i) {
      m_thumbCache.insert(read.images[i].cacheKey(), QPixmap::fromImage(read.thumbs[i]));
      m_images.append(read.images[i]);
    }
    rebuildThumbnails();
    for (const auto& error : read.errors) emit attachFailed(error);
    if (m_reading > 0) return;
    emit picturesRead();
    if (std::exchange(m_sendWhenRead, false)) trySend();
  });
  // Decoding a large photo takes a noticeable moment: the window stays responsive meanwhile.
  watcher->setFuture(QtConcurrent::run(&m_reader, [paths, refused] {
    Read read;
    read.errors = refused;
    for (const auto& path : paths) {
      QString error;
      QImage img = readPicture(path, &error);
      if (img.isNull()) {
        read.errors << error;
        continue;
      }
      read.thumbs << thumbnailOf(img);
      read.images << std::move(img);
    }
    return read;
  }));
}

void Composer::rebuildThumbnails() {
  while (auto* item = m_thumbLayout->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  for (int i = 0; i < m_images.size(); ++i) {
    auto* box = new QFrame(m_thumbs);
    box->setObjectName(QStringLiteral("attachmentThumb"));
    box->setAccessibleName(tr("Attached picture %1").arg(i + 1));
    auto* bl = new QHBoxLayout(box);
    bl->setContentsMargins(0, 0, 0, 0);
    bl->setSpacing(0);
    auto* pic = new QLabel(box);
    auto cached = m_thumbCache.constFind(m_images[i].cacheKey());
    if (cached == m_thumbCache.constEnd())
      cached = m_thumbCache.insert(m_images[i].cacheKey(), QPixmap::fromImage(thumbnailOf(m_images[i])));
    pic->setPixmap(*cached);
    pic->setAccessibleName(tr("Thumbnail %1").arg(i + 1));
    auto* remove = new QToolButton(box);
    remove->setIcon(icon(QStringLiteral("remove")));
    remove->setIconSize({12, 12});
    remove->setToolTip(tr("Remove this picture"));
    remove->setAccessibleName(tr("Remove picture %1").arg(i + 1));
    connect(remove, &QToolButton::clicked, this, [this, i] { removeImage(i); });
    bl->addWidget(pic);
    bl->addWidget(remove, 0, Qt::AlignTop);
    m_thumbLayout->addWidget(box);
  }
  if (m_reading > 0) {
    auto* note = new QLabel(m_sendWhenRead ? tr("Reading pictures… the message is sent once they are in")
                                           : tr("Reading pictures…"),
                            m_thumbs);
    note->setObjectName(QStringLiteral("readingNote"));
    m_thumbLayout->addWidget(note);
  }
  m_thumbLayout->addStretch();
  m_thumbs->setVisible(!m_images.isEmpty() || m_reading > 0);
  // Thumbnails of pictures no longer attached (nor set aside with a draft) are let go.
  for (auto it = m_thumbCache.begin(); it != m_thumbCache.end();) {
    const auto key = it.key();
    auto same = [key](const QImage& img) { return img.cacheKey() == key; };
    if (std::any_of(m_images.begin(), m_images.end(), same) ||
        std::any_of(m_draftImages.begin(), m_draftImages.end(), same))
      ++it;
    else
      it = m_thumbCache.erase(it);
  }
}

void Composer::attachFromDialog() {
  const auto files = QFileDialog::getOpenFileNames(this, tr("Attach pictures"), {},
                                                   tr("Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)"));
  attachFiles(files);
}

void Composer::setBusy(bool busy) {
  m_busy = busy;
  m_edit->setEscapeCancels(m_editRow >= 0 && !busy);  // while busy, Escape stops
  m_send->setText(busy ? tr("Stop") : tr("Send"));
  m_send->setIcon(icon(busy ? QStringLiteral("stop") : QStringLiteral("send")));
  m_send->setAccessibleName(busy ? tr("Stop") : tr("Send"));
  m_send->setToolTip(busy ? tr("Stop generating (Esc)") : tr("Send (Enter)"));
  m_send->setAccessibleDescription(m_send->toolTip());
}

void Composer::trySend() {
  if (m_busy) return;
  if (m_reading > 0) {  // Enter right after a drop: send once the dropped pictures are in
    m_sendWhenRead = true;
    rebuildThumbnails();
    return;
  }
  const QString t = text().trimmed();
  if (t.isEmpty() && m_images.isEmpty()) return;
  if (m_editRow >= 0) emit editSendRequested(m_editRow, t, m_images, drawEnabled());
  else emit sendRequested(t, m_images, drawEnabled());
  clear();
}

void Composer::clear() {
  m_edit->clear();
  m_images.clear();
  rebuildThumbnails();
  cancelEdit();
}

void Composer::beginEdit(int row, const QString& text, const QList<QImage>& images) {
  m_sendWhenRead = false;
  if (m_editRow < 0) {  // another edit keeps the draft set aside by the first
    m_draftText = m_edit->toPlainText();
    m_draftImages = m_images;
  }
  m_editRow = row;
  m_edit->setPlainText(text);
  m_images = images;
  rebuildThumbnails();
  m_editBanner->show();
  m_edit->setEscapeCancels(!m_busy);
  m_edit->setFocus();
}

void Composer::cancelEdit() {
  m_sendWhenRead = false;  // a send asked for while editing was for the edit
  if (m_editRow < 0) return;
  m_editRow = -1;
  m_editBanner->hide();
  m_edit->setEscapeCancels(false);
  m_edit->setPlainText(m_draftText);
  m_edit->moveCursor(QTextCursor::End);
  m_images = m_draftImages;
  m_draftText.clear();
  m_draftImages.clear();
  rebuildThumbnails();
}

}  // namespace seedcanvas::ui
