// A zoomable picture viewer: wheel or buttons zoom, drag pans, "fit" shows it whole.
#pragma once

#include <QDialog>
#include <QImage>

class QGraphicsView;
class QGraphicsPixmapItem;

namespace seedcanvas::ui {

class ImageViewer : public QDialog {
  Q_OBJECT
 public:
  explicit ImageViewer(const QImage& image, QWidget* parent = nullptr);
  void zoomBy(double factor);
  void fit();
  double scale() const;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  QGraphicsView* m_view;
  QGraphicsPixmapItem* m_item;
};

}  // namespace seedcanvas::ui
