#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include "chat_controller.h"
#include "chat_sidebar.h"
#include "composer.h"
#include "conversation_view.h"
#include "image_viewer.h"
#include "theme.h"

namespace seedcanvas::ui {

MainWindow::MainWindow(ChatController* controller, QWidget* parent) : QMainWindow(parent), m_controller(controller) {
  setWindowTitle(tr("SeedCanvas"));
  setWindowIcon(icon(QStringLiteral("app")));
  setAccessibleName(tr("SeedCanvas"));
  setAcceptDrops(true);

  auto* splitter = new QSplitter(this);
  splitter->setAccessibleName(tr("Chats and conversation"));
  m_sidebar = new ChatSidebar(controller, splitter);
  auto* right = new QWidget(splitter);
  auto* rl = new QVBoxLayout(right);
  rl->setContentsMargins(8, 8, 8, 8);

  m_banner = new QFrame(right);
  m_banner->setObjectName(QStringLiteral("packBanner"));
  m_banner->setAccessibleName(tr("Model pack notice"));
  auto* bl = new QHBoxLayout(m_banner);
  m_bannerText = new QLabel(m_banner);
  m_bannerText->setObjectName(QStringLiteral("bannerText"));
  m_bannerText->setAccessibleName(tr("Model pack notice text"));
  m_bannerText->setWordWrap(true);
  m_bannerText->setTextFormat(Qt::RichText);
  m_bannerText->setOpenExternalLinks(true);
  m_bannerButton = new QPushButton(tr("Generate demo pack"), m_banner);
  m_bannerButton->setAccessibleName(tr("Generate demo pack"));
  m_bannerButton->hide();
  connect(m_bannerButton, &QPushButton::clicked, this, &MainWindow::generateDemoPackRequested);
  bl->addWidget(m_bannerText, 1);
  bl->addWidget(m_bannerButton);
  m_banner->hide();
  rl->addWidget(m_banner);

  m_view = new ConversationView(controller->conversation(), right);
  rl->addWidget(m_view, 1);
  m_composer = new Composer(right);
  rl->addWidget(m_composer);
  splitter->addWidget(m_sidebar);
  splitter->addWidget(right);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({230, 800});
  setCentralWidget(splitter);

  m_packStatus = new QLabel(tr("No model loaded"), this);
  m_packStatus->setObjectName(QStringLiteral("packStatus"));
  m_packStatus->setAccessibleName(tr("Model status"));
  m_loadBar = new QProgressBar(this);
  m_loadBar->setAccessibleName(tr("Loading progress"));
  m_loadBar->setMaximumWidth(160);
  m_loadBar->hide();
  m_stats = new QLabel(this);
  m_stats->setObjectName(QStringLiteral("statsLabel"));
  m_stats->setAccessibleName(tr("Generation statistics"));
  statusBar()->addWidget(m_packStatus);
  statusBar()->addWidget(m_loadBar);
  statusBar()->addPermanentWidget(m_stats);

  // Menus.
  auto* file = menuBar()->addMenu(tr("&File"));
  file->addAction(icon(QStringLiteral("new-chat")), tr("&New chat"), QKeySequence::New, controller,
                  &ChatController::newChat);
  file->addAction(icon(QStringLiteral("attach")), tr("&Attach pictures…"), m_composer, &Composer::attachFromDialog);
  file->addAction(icon(QStringLiteral("export")), tr("&Export chat as Markdown…"), this, &MainWindow::exportChat);
  file->addAction(tr("&Model packs…"), this, &MainWindow::modelManagerRequested);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  auto* view = menuBar()->addMenu(tr("&View"));
  m_darkAction = view->addAction(tr("&Dark theme"));
  m_darkAction->setCheckable(true);
  connect(m_darkAction, &QAction::toggled, this, [this](bool on) {
    applyTheme(on);
    emit darkThemeToggled(on);
  });
  auto* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About SeedCanvas"), this, &MainWindow::showAbout);

  auto* stop = new QShortcut(QKeySequence(Qt::Key_Escape), this);
  connect(stop, &QShortcut::activated, controller, &ChatController::stop);

  // Wiring.
  connect(m_composer, &Composer::sendRequested, controller, &ChatController::send);
  connect(m_composer, &Composer::editSendRequested, controller, &ChatController::editAndSend);
  connect(m_composer, &Composer::stopRequested, controller, &ChatController::stop);
  connect(controller, &ChatController::busyChanged, m_composer, &Composer::setBusy);
  connect(controller, &ChatController::chatChanged, this, [this] {
    m_composer->cancelEdit();
    m_composer->focusPrompt();
  });
  connect(m_view, &ConversationView::siblingRequested, controller, &ChatController::showSibling);
  connect(m_view, &ConversationView::regenerateRequested, controller, &ChatController::regenerate);
  connect(m_view, &ConversationView::editRequested, this, [this](int row) {
    const auto* m = m_controller->conversation()->messageAt(row);
    if (!m) return;
    QList<QImage> images;
    for (const auto& i : m->images) images << i.image;
    m_composer->beginEdit(row, m->text, images);
  });
  connect(m_view, &ConversationView::imageActionRequested, this, &MainWindow::onImageAction);
  connect(m_view, &ConversationView::examplePicked, this, [this](const QString& p) {
    m_composer->setText(p);
    m_composer->focusPrompt();
  });
  connect(controller, &ChatController::loadProgress, this, [this](const QString& stage, int step, int total) {
    m_packStatus->setText(tr("Loading: %1").arg(stage));
    m_loadBar->setRange(0, qMax(total, 1));
    m_loadBar->setValue(step);
    m_loadBar->setVisible(step < total);
  });
  connect(controller, &ChatController::generationFinished, this,
          [this](const GenerationStats& s, const QString& why) { m_stats->setText(why + QStringLiteral(" · ") + s.summary()); });
  connect(controller, &ChatController::errorMessage, this,
          [this](const QString& msg) { statusBar()->showMessage(msg, 10000); });
  resize(1100, 760);
}

void MainWindow::setPackInfo(const QString& description, bool randomWeights, const QString& packsFolder) {
  m_loadBar->hide();
  m_packStatus->setText(description);
  m_packStatus->setToolTip(description);
  m_bannerButton->hide();
  if (randomWeights) {
    m_bannerText->setText(
        tr("<b>Demo pack: random weights.</b> Answers and pictures are noise; this only shows how the app works. "
           "Real SEED-LLaMA packs come from <a href=\"https://huggingface.co/AILab-CVC\">huggingface.co/AILab-CVC</a> "
           "(seed-llama-8b-sft or -14b-sft, seed-tokenizer-2) and "
           "<a href=\"https://huggingface.co/stabilityai/stable-diffusion-2-1-unclip\">stable-diffusion-2-1-unclip</a>; "
           "put them in <code>%1</code> or start with <code>--pack DIR</code>.")
            .arg(packsFolder.toHtmlEscaped()));
    m_banner->show();
  } else {
    m_banner->hide();
  }
}

void MainWindow::setPackMissing(const QString& message, const QString& packsFolder) {
  m_packStatus->setText(tr("No model loaded"));
  m_bannerText->setText(tr("<b>No model pack.</b> %1 Put a SEED-LLaMA pack in <code>%2</code>, start with "
                           "<code>--pack DIR</code>, or generate the small demo pack (random weights) to try the app.")
                            .arg(message.toHtmlEscaped(), packsFolder.toHtmlEscaped()));
  m_bannerButton->show();
  m_banner->show();
}

void MainWindow::setDarkTheme(bool dark) {
  if (m_darkAction->isChecked() != dark) m_darkAction->setChecked(dark);
  else applyTheme(dark);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasImage() || event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  if (m_composer->addFromMimeData(event->mimeData()) > 0) event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  m_controller->stop();
  m_controller->purgeDeleted();
  QMainWindow::closeEvent(event);
}

void MainWindow::onImageAction(int row, int imageIndex, ImageAction action) {
  const auto* m = m_controller->conversation()->messageAt(row);
  if (!m || imageIndex < 0 || imageIndex >= m->images.size()) return;
  const ChatImage img = m->images[imageIndex];
  switch (action) {
    case ImageAction::Open: {
      auto* viewer = new ImageViewer(img.image, this);
      viewer->setAttribute(Qt::WA_DeleteOnClose);
      viewer->show();
      break;
    }
    case ImageAction::Save: {
      const QString path = QFileDialog::getSaveFileName(this, tr("Save picture"), QStringLiteral("seedcanvas.png"),
                                                        tr("PNG (*.png);;JPEG (*.jpg *.jpeg)"));
      if (path.isEmpty()) return;
      const QString error = saveImageWithMetadata(img.image, path, img.codes, img.seed, img.settings);
      statusBar()->showMessage(error.isEmpty() ? tr("Saved %1").arg(path) : error, 6000);
      break;
    }
    case ImageAction::Copy:
      QApplication::clipboard()->setImage(img.image);
      statusBar()->showMessage(tr("Picture copied"), 3000);
      break;
    case ImageAction::UseAsInput:
      m_composer->addImage(img.image);
      m_composer->focusPrompt();
      break;
    case ImageAction::ShowCodes: {
      QStringList codes;
      for (int c : img.codes) codes << QString::number(c);
      QDialog dialog(this);
      dialog.setWindowTitle(tr("SEED codes"));
      dialog.setAccessibleName(tr("SEED codes"));
      auto* layout = new QVBoxLayout(&dialog);
      auto* label = new QLabel(tr("The %1 SEED codes this picture was drawn from (seed %2):")
                                   .arg(img.codes.size())
                                   .arg(img.seed),
                               &dialog);
      auto* text = new QPlainTextEdit(codes.join(QLatin1Char(' ')), &dialog);
      text->setReadOnly(true);
      text->setAccessibleName(tr("Codes"));
      auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
      auto* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
      connect(copy, &QPushButton::clicked, &dialog,
              [codes] { QApplication::clipboard()->setText(codes.join(QLatin1Char(' '))); });
      connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
      layout->addWidget(label);
      layout->addWidget(text);
      layout->addWidget(buttons);
      dialog.exec();
      break;
    }
    case ImageAction::Variations:
      m_controller->variation(row);
      break;
  }
}

void MainWindow::exportChat() {
  if (m_controller->conversation()->rowCount() == 0) return;
  const QString path = QFileDialog::getSaveFileName(this, tr("Export chat as Markdown"), QStringLiteral("chat.md"),
                                                    tr("Markdown (*.md)"));
  if (path.isEmpty()) return;
  if (m_controller->exportChat(path)) statusBar()->showMessage(tr("Exported %1").arg(path), 6000);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About SeedCanvas"),
                     tr("<h3>SeedCanvas %1</h3><p>Runs SEED-LLaMA locally: chat about pictures, draw and edit them "
                        "over many turns.</p><p>Qt %2 &middot; LibTorch %3</p><p>%4</p>")
                         .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                              qApp->property("seedcanvas.libtorchVersion").toString(),
                              m_packStatus->text().toHtmlEscaped()));
}

}  // namespace seedcanvas::ui
