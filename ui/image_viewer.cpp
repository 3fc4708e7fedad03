#include "image_viewer.h"

#include <QGraphicsPixmapItem>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <functional>

#include "theme.h"

namespace seedcanvas::ui {

ImageViewer::ImageViewer(const QImage& image, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Picture (%1 × %2)").arg(image.width()).arg(image.height()));
  setAccessibleName(tr("Picture viewer"));
  auto* scene = new QGraphicsScene(this);
  m_item = scene->addPixmap(QPixmap::fromImage(image));
  m_item->setTransformationMode(Qt::SmoothTransformation);
  m_view = new QGraphicsView(scene, this);
  m_view->setAccessibleName(tr("Zoomable picture"));
  m_view->setAccessibleDescription(tr("Drag to move the picture; the mouse wheel zooms."));
  m_view->setDragMode(QGraphicsView::ScrollHandDrag);
  m_view->setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  m_view->viewport()->installEventFilter(this);
  auto* bar = new QHBoxLayout;
  const struct {
    const char* icon;
    QString text;
    std::function<void()> fn;
  } buttons[] = {{"zoom-out", tr("Zoom out"), [this] { zoomBy(1 / 1.25); }},
                 {"zoom-in", tr("Zoom in"), [this] { zoomBy(1.25); }},
                 {"fit", tr("Fit to window"), [this] { fit(); }}};
  for (const auto& spec : buttons) {
    auto* b = new QToolButton(this);
    b->setIcon(icon(QString::fromLatin1(spec.icon)));
    b->setToolTip(spec.text);
    b->setAccessibleName(spec.text);
    b->setAccessibleDescription(spec.text);
    connect(b, &QToolButton::clicked, this, spec.fn);
    bar->addWidget(b);
  }
  auto* actual = new QToolButton(this);
  actual->setText(tr("100%"));
  actual->setAccessibleName(tr("Actual size"));
  actual->setAccessibleDescription(tr("Shows the picture at one screen pixel per picture pixel."));
  connect(actual, &QToolButton::clicked, this, [this] { m_view->resetTransform(); });
  bar->addWidget(actual);
  bar->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(m_view);
  resize(720, 720);
}

void ImageViewer::zoomBy(double factor) {
  const double next = scale() * factor;
  if (next < 0.05 || next > 32) return;
  m_view->scale(factor, factor);
}

double ImageViewer::scale() const { return m_view->transform().m11(); }

void ImageViewer::fit() { m_view->fitInView(m_item, Qt::KeepAspectRatio); }

void ImageViewer::showEvent(QShowEvent* event) {
  QDialog::showEvent(event);
  fit();
}

bool ImageViewer::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_view->viewport() && event->type() == QEvent::Wheel) {
    const auto* wheel = static_cast<QWheelEvent*>(event);
    zoomBy(wheel->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
    return true;
  }
  return QDialog::eventFilter(watched, event);
}

}  // namespace seedcanvas::ui
