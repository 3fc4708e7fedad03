// Qt value types of a conversation. These, and only these, cross between the GUI and the
// engine adapter (app/gui/engine_controller): the ui library never sees the engine.
#pragma once

#include <QDateTime>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace seedcanvas::ui {

enum class Role { User = 0, Assistant = 1 };

// The marker the engine puts in a message's text where each image goes.
inline QString imageMarker() { return QStringLiteral("<image>"); }

struct ChatImage {
  QString file;       // stored picture (absolute path); empty until the store writes it
  QImage image;       // pixels (loaded from `file`, generated, or attached by the user)
  QList<int> codes;   // the 32 SEED codes when known
  quint64 seed = 0;   // diffusion seed of a generated picture
  QString settings;   // generation settings (JSON) that drew it
  bool loading = false;  // `image` is still being read from `file` (transient, never stored)
  QSize storedSize;      // the size it is shown from (displaySize of the file's), known while it loads
  QByteArray png;        // the picture already encoded for the store (transient; see ChatStore)
  bool reduced = false;  // `image` is a display copy of a large stored picture (see displayCopy)

  // The whole picture: `image`, or read from `file` now when only a display copy is held or the
  // pixels have not arrived yet.
  QImage pixels() const;
  // What a stored picture keeps in memory for display: itself, or when its longest side is over
  // kDisplayLimit a copy that size (a 12 MP photo is 48 MB as a QImage; cards show 300 px).
  static constexpr int kDisplayLimit = 1024;
  static QImage displayCopy(const QImage& whole);
  static QSize displaySize(QSize whole);  // the size displayCopy gives a picture of that size
};

struct GenerationOptions {
  double temperature = 1.0;  // upstream defaults: 1.0, top-k 50, top-p 0.5
  int topK = 50;
  double topP = 0.5;
  int maxNewTokens = 512;
  quint64 seed = 0;          // sampling and diffusion seed of this turn
  int steps = 20;
  double guidance = 10.0;
  QString scheduler = QStringLiteral("pndm");
  quint64 imageSeed = 0;     // diffusion seed; 0: the turn's seed
  int previewEvery = 1;
  bool forceImage = false;

  QJsonObject toJson() const;
  static GenerationOptions fromJson(const QJsonObject& o);
};

struct ChatMessage {
  qint64 id = 0;        // database id; negative while a reply is still streaming
  qint64 parentId = 0;  // 0: a first turn (the tree's roots are siblings too)
  Role role = Role::User;
  QString text;         // imageMarker() where images go (assistant); user images go first
  QList<ChatImage> images;
  QDateTime created;
  QString status = QStringLiteral("done");  // done | stopped | error
  QString settings;     // GenerationOptions JSON of an assistant turn

  // Transient streaming state (never stored).
  bool streaming = false;
  QString progress;     // "Image tokens 12/32", "Drawing 5/20"
  QImage preview;       // latest diffusion preview
  QString error;        // shown inline with what to do next
};

struct TurnRequest {
  QList<ChatMessage> history;  // the shown branch, ending with the user message to answer
  GenerationOptions options;
};

struct GenerationStats {
  double timeToFirstToken = 0;
  double tokensPerSecond = 0;
  int newTokens = 0;
  int promptTokens = 0;
  int reusedPromptTokens = 0;
  double secondsPerImage = 0;
  QString summary() const;
};

enum class FinishReason { Eos = 0, Length, Stop, Cancelled, Error };

struct ChatSummary {
  qint64 id = 0;
  QString title;
  QDateTime updated;
};

}  // namespace seedcanvas::ui

Q_DECLARE_METATYPE(seedcanvas::ui::TurnRequest)
Q_DECLARE_METATYPE(seedcanvas::ui::GenerationStats)
Q_DECLARE_METATYPE(seedcanvas::ui::ChatImage)
Q_DECLARE_METATYPE(QList<seedcanvas::ui::ChatImage>)
