// The model manager dialog on the demo pack: lists it with size, weight dtype (checked against
// the weight headers) and estimate; rejects a broken folder naming the missing file; downloads
// a pack from a loopback server into <data>/packs and lists it; "Use this pack" carries the
// device/dtype choice; every control has an accessible name.
#include <QApplication>
#include <QComboBox>
#include <QAbstractItemView>
#include <QGroupBox>
#include <QProgressBar>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "gui_support.h"
#include "http_test_server.h"
#include "io/tensor_source.h"
#include "model_manager_dialog.h"
#include "pack_download.h"
#include "pipeline/model_pack.h"

using seedcanvas::gui::ModelManagerDialog;
using seedcanvas::gui::PackDownloader;

class TestModelManager : public QObject {
  Q_OBJECT
  QString m_demo;
  QTemporaryDir m_data;

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // QSettings away from the user's
    QString why;
    m_demo = seedcanvas::test::demoPack(&why);
    QVERIFY2(!m_demo.isEmpty(), qPrintable(why));
  }

  void listsTheDemoPack() {
    ModelManagerDialog dialog(m_data.path());
    QVERIFY(dialog.selectPack(m_demo));  // the build tree's demo pack is always a candidate
    seedcanvas::gui::PackSummary demo;
    for (const auto& s : dialog.packs())
      if (QFileInfo(s.dir).canonicalFilePath() == QFileInfo(m_demo).canonicalFilePath()) demo = s;
    QVERIFY2(demo.valid, qPrintable(demo.error));
    QVERIFY(demo.randomWeights);
    QVERIFY(demo.diskBytes > 0);
    const auto pack = seedcanvas::pipeline::find_pack(m_demo.toStdString());
    const auto llm = seedcanvas::io::open_checkpoint(pack.llm);
    const auto* embed = llm->find("model.embed_tokens.weight");
    QVERIFY(embed);
    QVERIFY2(demo.weightDtype.startsWith(QString::fromStdString(seedcanvas::io::dtype_name(embed->dtype))),
             qPrintable(demo.weightDtype));
    QVERIFY(demo.estimateBytes > 0);
  }

  void brokenFolderIsRejectedNamingTheFile() {
    QTemporaryDir scratch;
    const QString copy = scratch.filePath("broken");
    QVERIFY(QDir().mkpath(copy));
    for (const auto& entry : QDir(m_demo).entryList(QDir::AllEntries | QDir::NoDotAndDotDot))
      QVERIFY(QFile::link(QDir(m_demo).filePath(entry), QDir(copy).filePath(entry)));
    // Replace the LLM folder link by a copy without config.json.
    QFile::remove(QDir(copy).filePath("llm"));
    QDir().mkpath(QDir(copy).filePath("llm"));
    for (const auto& f : QDir(QDir(m_demo).filePath("llm")).entryList(QDir::Files))
      if (f != "config.json") QVERIFY(QFile::link(QDir(m_demo).filePath("llm/" + f), QDir(copy).filePath("llm/" + f)));
    ModelManagerDialog dialog(m_data.path());
    QString error;
    QVERIFY(!dialog.addPackFolder(copy, &error));
    QVERIFY2(error.contains("config.json"), qPrintable(error));
    QVERIFY(!dialog.selectPack(copy));
  }

  void downloadsIntoDataAndUses() {
    QTemporaryDir serve;
    QVERIFY(QFile::link(m_demo, serve.filePath("demo")));
    seedcanvas::test::HttpTestServer server(serve.path());
    QVERIFY(server.listen());
    seedcanvas::gui::PackDescription pack;
    pack.name = "fetched";
    pack.title = "Fetched demo";
    QFile manifest(QDir(m_demo).filePath("seedcanvas-pack.json"));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    pack.manifest = QJsonDocument::fromJson(manifest.readAll()).object();
    for (const auto& folder : QDir(m_demo).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
      seedcanvas::gui::PackRepo repo{"demo/" + folder, folder, {}};
      QDirIterator it(QDir(m_demo).filePath(folder), QDir::Files, QDirIterator::Subdirectories);
      while (it.hasNext()) repo.files.append({QDir(QDir(m_demo).filePath(folder)).relativeFilePath(it.next()), {}, -1, {}});
      pack.repos.append(repo);
    }
    ModelManagerDialog dialog(m_data.path());
    dialog.setCatalog({pack});
    auto* url = dialog.findChild<QLineEdit*>();
    QVERIFY(url);
    url->setText(server.baseUrl());
    dialog.startDownload();
    QVERIFY(seedcanvas::test::waitUntil([&] { return dialog.downloader()->state() != PackDownloader::State::Running; },
                                        120000));
    QCOMPARE(dialog.downloader()->state(), PackDownloader::State::Finished);
    const QString target = QDir(m_data.path()).filePath("packs/fetched");
    QCOMPARE(dialog.selectedPack(), QFileInfo(target).canonicalFilePath());

    auto combos = dialog.findChildren<QComboBox*>();
    for (auto* c : combos)
      if (c->accessibleName() == "Device") c->setCurrentIndex(c->findData("cpu"));
    QVERIFY(dialog.selectPack(target));
    QSignalSpy use(&dialog, &ModelManagerDialog::usePackRequested);
    QPushButton* useButton = nullptr;
    for (auto* b : dialog.findChildren<QPushButton*>())
      if (b->accessibleName() == "Use the selected pack") useButton = b;
    QVERIFY(useButton && useButton->isEnabled());
    useButton->click();
    QCOMPARE(use.count(), 1);
    QCOMPARE(use.first().at(0).toString(), QFileInfo(target).canonicalFilePath());
    QCOMPARE(use.first().at(1).toString(), QStringLiteral("cpu"));
  }

  void everyControlHasAnAccessibleName() {
    ModelManagerDialog dialog(m_data.path());
    QStringList unnamed;
    for (auto* w : dialog.findChildren<QWidget*>()) {
      const bool control = qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) ||
                           qobject_cast<QLineEdit*>(w) || qobject_cast<QAbstractItemView*>(w) ||
                           qobject_cast<QProgressBar*>(w) || qobject_cast<QGroupBox*>(w);
      // Parts of a composite control (a combo box's popup, a tree's header) share its name.
      bool part = false;
      for (QWidget* p = w->parentWidget(); p && p != &dialog; p = p->parentWidget())
        part |= qobject_cast<QComboBox*>(p) || qobject_cast<QAbstractItemView*>(p);
      if (control && !part && w->accessibleName().isEmpty())
        unnamed << QString::fromLatin1(w->metaObject()->className());
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(", ")));
  }
};

QTEST_MAIN(TestModelManager)
#include "test_model_manager.moc"
