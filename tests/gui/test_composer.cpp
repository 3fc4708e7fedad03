// The composer's attachments: pictures from files, drops and pastes are added; a broken, huge
// or remote one is refused with one line that names it, and never lands in the prompt as text.
#include <QClipboard>
#include <QGuiApplication>
#include <QImageWriter>
#include <QLabel>
#include <QMimeData>
#include <QSignalSpy>
#include <QtEndian>
#include <QtTest>

#include "composer.h"
#include "support/fixtures.h"

using namespace seedcanvas;
using namespace seedcanvas::ui;

namespace {

QByteArray pngChunk(const char* type, const QByteArray& data) {
  QByteArray out(4, '\0');
  qToBigEndian<quint32>(quint32(data.size()), out.data());
  const QByteArray body = QByteArray(type, 4) + data;
  QByteArray crc(4, '\0');
  // CRC-32 of type + data, as the PNG format requires (polynomial 0xEDB88320).
  quint32 c = 0xffffffffu;
  for (const char ch : body) {
    c ^= quint8(ch);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  qToBigEndian<quint32>(c ^ 0xffffffffu, crc.data());
  return out + body + crc;
}

}  // namespace

class ComposerTest : public QObject {
  Q_OBJECT
  QString m_dir, m_good, m_truncated, m_huge, m_text;

 private slots:
  void initTestCase() {
    m_dir = QString::fromStdString(test::scratch_dir("gui_composer").string());
    QImage img(48, 32, QImage::Format_RGB32);
    img.fill(QColor(200, 40, 10));
    m_good = m_dir + "/good.png";
    QVERIFY(img.save(m_good));
    QFile good(m_good);
    QVERIFY(good.open(QIODevice::ReadOnly));
    const QByteArray bytes = good.readAll();
    m_truncated = m_dir + "/truncated.png";
    QFile t(m_truncated);
    QVERIFY(t.open(QIODevice::WriteOnly));
    t.write(bytes.left(bytes.size() / 2));
    t.close();
    // A valid header declaring 100000 x 100000 pixels, no pixel data worth the name.
    QByteArray ihdr(13, '\0');
    qToBigEndian<quint32>(100000, ihdr.data());
    qToBigEndian<quint32>(100000, ihdr.data() + 4);
    ihdr[8] = 8, ihdr[9] = 2;
    m_huge = m_dir + "/huge.png";
    QFile h(m_huge);
    QVERIFY(h.open(QIODevice::WriteOnly));
    const QByteArray idat = qCompress(QByteArray(1000, '\0')).mid(4);  // a zlib stream, as PNG wants
    h.write(QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", idat) +
            pngChunk("IEND", {}));
    h.close();
    m_text = m_dir + "/notes.txt";
    QFile n(m_text);
    QVERIFY(n.open(QIODevice::WriteOnly));
    n.write("not a picture\n");
  }

  void readPictureSaysWhy() {
    QString error;
    const QImage good = readPicture(m_good, &error);
    QCOMPARE(good.size(), QSize(48, 32));
    QVERIFY(error.isEmpty());
    QVERIFY(readPicture(m_truncated, &error).isNull());
    QVERIFY2(error.startsWith("truncated.png was not attached: "), qPrintable(error));
    QVERIFY(readPicture(m_huge, &error).isNull());
    QVERIFY2(error.contains("huge.png") && error.contains("100000 x 100000"), qPrintable(error));
  }

  void dropAddsGoodPicturesAndNamesTheRest() {
    Composer composer;
    QSignalSpy failed(&composer, &Composer::attachFailed);
    QSignalSpy read(&composer, &Composer::picturesRead);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_truncated), QUrl::fromLocalFile(m_good), QUrl::fromLocalFile(m_huge),
                  QUrl("https://example.org/cat.png"), QUrl::fromLocalFile(m_text)});
    QCOMPARE(composer.addFromMimeData(&mime), 4);  // the local files, read on a worker
    QCOMPARE(failed.size(), 0);  // the web address is refused with the files, in one go
    QVERIFY(composer.reading());
    QVERIFY(composer.images().isEmpty());
    QVERIFY2(composer.findChild<QLabel*>("readingNote"), "the composer says it is reading");
    QVERIFY(read.wait(10000));
    QVERIFY(!composer.reading());
    QVERIFY(!composer.findChild<QLabel*>("readingNote"));
    QCOMPARE(composer.images().size(), 1);
    QCOMPARE(composer.images().first().size(), QSize(48, 32));
    QCOMPARE(failed.size(), 4);
    QStringList lines;
    for (const auto& call : failed) lines << call.at(0).toString();
    for (const char* name : {"truncated.png", "huge.png", "https://example.org/cat.png", "notes.txt"})
      QVERIFY2(lines.filter(name).size() == 1, qPrintable(lines.join('\n')));
    for (const auto& line : lines) QVERIFY2(!line.contains('\n'), qPrintable(line));
  }

  void pasteOfABrokenFileLeavesThePromptAlone() {
    Composer composer;
    QSignalSpy failed(&composer, &Composer::attachFailed);
    composer.setText("keep me");
    auto* mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(m_truncated)});
    QGuiApplication::clipboard()->setMimeData(mime);  // the clipboard owns it
    composer.prompt()->selectAll();
    composer.prompt()->paste();
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(composer.text(), QString("keep me"));
    QVERIFY(composer.images().isEmpty());
    // A good picture pasted the same way is attached, and the text still stays.
    auto* good = new QMimeData;
    good->setUrls({QUrl::fromLocalFile(m_good)});
    QGuiApplication::clipboard()->setMimeData(good);
    composer.prompt()->paste();
    QTRY_COMPARE(composer.images().size(), 1);
    QCOMPARE(composer.text(), QString("keep me"));
  }

  // Enter right after dropping a photo: the message goes once the photo is in, with it, once.
  void sendWaitsForPicturesBeingRead() {
    Composer composer;
    QSignalSpy sent(&composer, &Composer::sendRequested);
    QSignalSpy read(&composer, &Composer::picturesRead);
    composer.setText("what is this?");
    composer.attachFiles({m_good});
    composer.trySend();
    QCOMPARE(sent.size(), 0);
    const auto* note = composer.findChild<QLabel*>("readingNote");
    QVERIFY(note && note->text().contains("sent"));
    QVERIFY(read.wait(10000));
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().at(0).toString(), QString("what is this?"));
    const auto images = sent.first().at(1).value<QList<QImage>>();
    QCOMPARE(images.size(), 1);
    QCOMPARE(images.first().size(), QSize(48, 32));
    QVERIFY(composer.images().isEmpty());
    QVERIFY(composer.text().isEmpty());

    // Enter while editing an earlier turn, then Cancel edit: nothing is sent when the read ends.
    QSignalSpy editSent(&composer, &Composer::editSendRequested);
    composer.beginEdit(3, "edited", {});
    composer.attachFiles({m_good});
    composer.trySend();
    composer.cancelEdit();
    QVERIFY(read.wait(10000));
    QCOMPARE(sent.size(), 1);
    QCOMPARE(editSent.size(), 0);
    QCOMPARE(composer.images().size(), 1);  // the picture stays attached to the draft
  }
};

QTEST_MAIN(ComposerTest)
#include "test_composer.moc"
