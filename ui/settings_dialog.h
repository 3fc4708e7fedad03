// Settings: generation defaults (sampling and image), engine placement, theme, language and
// the data folder, with "Restore defaults". The generation part can instead be saved as the
// current chat's override ("Only for this chat"). The caller persists what settings() returns.
#pragma once

#include <QDialog>

#include "app_settings.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QGroupBox;
class QLabel;
class QDialogButtonBox;
class QPushButton;
class QFormLayout;

namespace seedcanvas::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT
 public:
  // `current`: what the widgets start with (the chat's effective options when chatAvailable).
  SettingsDialog(const AppSettings& current, bool chatAvailable, bool chatHasOverrides, QWidget* parent = nullptr);

  AppSettings settings() const;
  void setSettings(const AppSettings& s);
  bool chatOnly() const;  // save the generation settings as the current chat's override

 public slots:
  void restoreDefaults();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  static void describe(QWidget* w, const QString& name, const QString& description);

  QGroupBox* m_sampling;
  QGroupBox* m_image;
  QGroupBox* m_engine;
  QGroupBox* m_appearance;
  QFormLayout* m_samplingForm;
  QFormLayout* m_imageForm;
  QFormLayout* m_engineForm;
  QFormLayout* m_appearanceForm;
  QDoubleSpinBox* m_temperature;
  QDoubleSpinBox* m_topP;
  QSpinBox* m_topK;
  QSpinBox* m_maxTokens;
  QLineEdit* m_seed;
  QSpinBox* m_steps;
  QDoubleSpinBox* m_guidance;
  QComboBox* m_scheduler;
  QLineEdit* m_imageSeed;
  QSpinBox* m_threads;
  QComboBox* m_device;
  QComboBox* m_dtype;
  QComboBox* m_theme;
  QComboBox* m_language;
  QLineEdit* m_dataFolder;
  QPushButton* m_browse;
  QCheckBox* m_chatOnly;
  QDialogButtonBox* m_buttons;
  QPushButton* m_defaults;
  GenerationOptions m_base;  // fields the dialog does not edit (preview cadence, force image)
};

}  // namespace seedcanvas::ui
