// One picture in the conversation, shown as a card: click opens the zoomable viewer, drag
// takes the picture out to other apps (pixels and a PNG file), and a button row offers
// full view (the keyboard's way to the viewer), save as, copy, use as input, show codes and
// variations.
#pragma once

#include <QFrame>
#include <QImage>

#include "chat_types.h"

class QLabel;
class QMimeData;

namespace seedcanvas::ui {

enum class ImageAction { Open, Save, Copy, UseAsInput, ShowCodes, Variations };

class ImageCard : public QFrame {
  Q_OBJECT
 public:
  explicit ImageCard(QWidget* parent = nullptr);
  // Shows `picture` (Show codes when it has codes, Variations when `canVary`). One still loading
  // keeps its place meanwhile, shaped like its storedSize when that is known.
  void setPicture(const ChatImage& picture, bool canVary);
  QImage image() const { return m_image; }
  // What a drag out of the card carries: the pixels shown, and a file of the whole picture in
  // the temp folder (a copy of the stored file when there is one: a large photo is held only as a
  // display copy, and copying a file needs no encoding). The caller owns the result.
  QMimeData* dragData() const;
  static constexpr int kDisplaySize = 300;

 signals:
  void actionRequested(seedcanvas::ui::ImageAction action);

 protected:
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  QLabel* m_picture;
  QWidget* m_codesButton;
  QWidget* m_variationsButton;
  QImage m_image;
  QString m_file;  // the stored picture, when stored
  qint64 m_shownKey = 0;  // cacheKey() of the image the pixmap was scaled from
  qreal m_shownDpr = 0;
  QPoint m_pressPos;
  bool m_pressed = false;
};

// Writes `image` as PNG or JPEG (by suffix) with the SEED codes, seed and settings as text
// metadata. Returns an error message, empty on success.
QString saveImageWithMetadata(const QImage& image, const QString& path, const QList<int>& codes, quint64 seed,
                              const QString& settings);

}  // namespace seedcanvas::ui
