// The message composer: multi-line text (Enter sends, Shift+Enter breaks the line), attached
// pictures as thumbnails with remove buttons (file dialog, paste, or drop on the window), a
// "Draw" toggle that forces a picture, and a Send button that turns into Stop while busy.
#pragma once

#include <QFrame>
#include <QHash>
#include <QImage>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QThreadPool>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QToolButton;

namespace seedcanvas::ui {

// Reads a picture the user attaches (EXIF orientation applied); on failure a null image and,
// in *error, one translated line naming the file and the reason.
QImage readPicture(const QString& path, QString* error);

class PromptEdit : public QPlainTextEdit {
  Q_OBJECT
 public:
  using QPlainTextEdit::QPlainTextEdit;
  // While set, Escape is the prompt's (cancel), not the window's (stop generating).
  void setEscapeCancels(bool on) { m_escapeCancels = on; }
 signals:
  void submit();
  void cancel();
  void imagePasted(const QImage& image);
  void filesPasted(const QStringList& paths, const QStringList& refused);  // local files, not read yet
  void attachFailed(const QString& message);

 protected:
  bool event(QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  bool canInsertFromMimeData(const QMimeData* source) const override;
  void insertFromMimeData(const QMimeData* source) override;

 private:
  bool m_escapeCancels = false;
};

class Composer : public QFrame {
  Q_OBJECT
 public:
  explicit Composer(QWidget* parent = nullptr);

  QString text() const;
  void setText(const QString& text);
  QList<QImage> images() const { return m_images; }
  void addImage(const QImage& image);
  void removeImage(int index);
  bool drawEnabled() const;
  void setDrawEnabled(bool on);
  void setBusy(bool busy);
  void clear();
  // Editing an earlier turn: a banner says so; sending creates a sibling branch. What the user
  // was writing is set aside and comes back when the edit is sent or cancelled (also Escape).
  void beginEdit(int row, const QString& text, const QList<QImage>& images);
  void cancelEdit();
  int editingRow() const { return m_editRow; }
  void focusPrompt();
  PromptEdit* prompt() const { return m_edit; }
  // Adds pictures from a drop or a paste: image data at once, local files through
  // attachFiles. Returns how many were taken (images plus files being read).
  int addFromMimeData(const class QMimeData* mime);
  // Reads the files on a worker thread; each picture appears when read, and each file that cannot
  // be read is named by attachFailed. A send asked for meanwhile waits for them.
  void attachFiles(const QStringList& paths);
  bool reading() const { return m_reading > 0; }

 signals:
  void sendRequested(const QString& text, const QList<QImage>& images, bool draw);
  void editSendRequested(int row, const QString& text, const QList<QImage>& images, bool draw);
  void stopRequested();
  void attachFailed(const QString& message);  // one line: which picture and why
  void picturesRead();                         // the last file being read is in

 public slots:
  void attachFromDialog();
  void trySend();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void attachFiles(const QStringList& paths, const QStringList& refused);  // refused: reported with them
  void rebuildThumbnails();
  void retranslate();
  PromptEdit* m_edit;
  QLabel* m_editLabel;
  QPushButton* m_editCancel;
  QWidget* m_thumbs;
  QHBoxLayout* m_thumbLayout;
  QToolButton* m_attach;
  QToolButton* m_draw;
  QPushButton* m_send;
  QFrame* m_editBanner;
  QList<QImage> m_images;
  QString m_draftText;  // set aside while editing an earlier turn
  QList<QImage> m_draftImages;
  QHash<qint64, QPixmap> m_thumbCache;  // by QImage::cacheKey: a rebuild does not rescale photos
  int m_editRow = -1;
  bool m_busy = false;
  int m_reading = 0;  // batches of files still being read
  bool m_sendWhenRead = false;
  QThreadPool m_reader;  // its destructor waits for a read in flight (which touches no member)
};

}  // namespace seedcanvas::ui
