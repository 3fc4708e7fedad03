#include "settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

namespace seedcanvas::ui {

namespace {

void setComboData(QComboBox* box, const QString& data) {
  const int i = box->findData(data);
  box->setCurrentIndex(i >= 0 ? i : 0);
}

void setFormLabel(QFormLayout* form, QWidget* field, const QString& text) {
  if (auto* label = qobject_cast<QLabel*>(form->labelForField(field))) label->setText(text);
}

}  // namespace

void SettingsDialog::describe(QWidget* w, const QString& name, const QString& description) {
  w->setAccessibleName(name);
  w->setAccessibleDescription(description);
  w->setToolTip(description);
}

SettingsDialog::SettingsDialog(const AppSettings& current, bool chatAvailable, bool chatHasOverrides, QWidget* parent)
    : QDialog(parent), m_base(current.generation) {
  setObjectName(QStringLiteral("settingsDialog"));
  auto* layout = new QVBoxLayout(this);
  auto* columns = new QHBoxLayout;
  auto* left = new QVBoxLayout;
  auto* right = new QVBoxLayout;
  columns->addLayout(left);
  columns->addLayout(right);
  layout->addLayout(columns);

  m_sampling = new QGroupBox(this);
  m_samplingForm = new QFormLayout(m_sampling);
  m_temperature = new QDoubleSpinBox(m_sampling);
  m_temperature->setRange(0.0, 5.0);
  m_temperature->setSingleStep(0.05);
  m_temperature->setDecimals(2);
  m_topP = new QDoubleSpinBox(m_sampling);
  m_topP->setRange(0.0, 1.0);
  m_topP->setSingleStep(0.05);
  m_topP->setDecimals(2);
  m_topK = new QSpinBox(m_sampling);
  m_topK->setRange(0, 100000);  // 0: off
  m_maxTokens = new QSpinBox(m_sampling);
  m_maxTokens->setRange(1, 32768);
  // Seeds are 64-bit: a spin box (int) cannot hold them, so digits in a line edit.
  auto* digits = new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{0,20}")), this);
  m_seed = new QLineEdit(m_sampling);
  m_seed->setValidator(digits);
  for (QWidget* w : {static_cast<QWidget*>(m_temperature), static_cast<QWidget*>(m_topP),
                     static_cast<QWidget*>(m_topK), static_cast<QWidget*>(m_maxTokens), static_cast<QWidget*>(m_seed)})
    m_samplingForm->addRow(new QLabel(m_sampling), w);
  left->addWidget(m_sampling);

  m_image = new QGroupBox(this);
  m_imageForm = new QFormLayout(m_image);
  m_steps = new QSpinBox(m_image);
  m_steps->setRange(1, 1000);
  m_guidance = new QDoubleSpinBox(m_image);
  m_guidance->setRange(0.0, 50.0);
  m_guidance->setSingleStep(0.5);
  m_guidance->setDecimals(1);
  m_scheduler = new QComboBox(m_image);
  m_scheduler->addItem(QStringLiteral("PNDM"), QStringLiteral("pndm"));
  m_scheduler->addItem(QStringLiteral("DDIM"), QStringLiteral("ddim"));
  m_scheduler->addItem(QStringLiteral("DPM-Solver++"), QStringLiteral("dpmpp"));
  m_imageSeed = new QLineEdit(m_image);
  m_imageSeed->setValidator(digits);
  for (QWidget* w : {static_cast<QWidget*>(m_steps), static_cast<QWidget*>(m_guidance),
                     static_cast<QWidget*>(m_scheduler), static_cast<QWidget*>(m_imageSeed)})
    m_imageForm->addRow(new QLabel(m_image), w);
  m_chatOnly = new QCheckBox(this);
  m_chatOnly->setEnabled(chatAvailable);
  m_chatOnly->setChecked(chatAvailable && chatHasOverrides);
  left->addWidget(m_image);
  left->addWidget(m_chatOnly);

  m_engine = new QGroupBox(this);
  m_engineForm = new QFormLayout(m_engine);
  m_threads = new QSpinBox(m_engine);
  m_threads->setRange(0, 256);
  m_device = new QComboBox(m_engine);
  m_device->addItem(QString(), QStringLiteral("auto"));
  m_device->addItem(QStringLiteral("CPU"), QStringLiteral("cpu"));
  m_device->addItem(QStringLiteral("CUDA"), QStringLiteral("cuda"));
  m_dtype = new QComboBox(m_engine);
  m_dtype->addItem(QString(), QStringLiteral("auto"));
  m_dtype->addItem(QStringLiteral("fp32"), QStringLiteral("fp32"));
  m_dtype->addItem(QStringLiteral("bf16"), QStringLiteral("bf16"));
  m_dtype->addItem(QStringLiteral("fp16"), QStringLiteral("fp16"));
  for (QWidget* w : {static_cast<QWidget*>(m_threads), static_cast<QWidget*>(m_device), static_cast<QWidget*>(m_dtype)})
    m_engineForm->addRow(new QLabel(m_engine), w);
  right->addWidget(m_engine);

  m_appearance = new QGroupBox(this);
  m_appearanceForm = new QFormLayout(m_appearance);
  m_theme = new QComboBox(m_appearance);
  m_theme->addItem(QString(), QStringLiteral("system"));
  m_theme->addItem(QString(), QStringLiteral("light"));
  m_theme->addItem(QString(), QStringLiteral("dark"));
  m_language = new QComboBox(m_appearance);
  m_language->addItem(QString(), QStringLiteral("system"));
  // Language names are written in their own language, so they are never translated.
  m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
  m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
  m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
  auto* folderRow = new QWidget(m_appearance);
  auto* fl = new QHBoxLayout(folderRow);
  fl->setContentsMargins(0, 0, 0, 0);
  m_dataFolder = new QLineEdit(folderRow);
  m_browse = new QPushButton(folderRow);
  fl->addWidget(m_dataFolder, 1);
  fl->addWidget(m_browse);
  connect(m_browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, m_dataFolder->accessibleName(), m_dataFolder->text());
    if (!dir.isEmpty()) m_dataFolder->setText(dir);
  });
  m_appearanceForm->addRow(new QLabel(m_appearance), m_theme);
  m_appearanceForm->addRow(new QLabel(m_appearance), m_language);
  m_appearanceForm->addRow(new QLabel(m_appearance), folderRow);
  right->addWidget(m_appearance);
  right->addStretch(1);

  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  m_defaults = m_buttons->addButton(QDialogButtonBox::RestoreDefaults);
  connect(m_defaults, &QPushButton::clicked, this, &SettingsDialog::restoreDefaults);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(m_buttons);

  retranslate();
  setSettings(current);
}

void SettingsDialog::retranslate() {
  setWindowTitle(tr("Settings"));
  setAccessibleName(tr("Settings"));
  m_sampling->setTitle(tr("Sampling"));
  m_image->setTitle(tr("Pictures"));
  m_engine->setTitle(tr("Engine (applies at the next model load)"));
  m_appearance->setTitle(tr("Appearance and storage"));
  setFormLabel(m_samplingForm, m_temperature, tr("&Temperature:"));
  setFormLabel(m_samplingForm, m_topP, tr("Top-&p:"));
  setFormLabel(m_samplingForm, m_topK, tr("Top-&k:"));
  setFormLabel(m_samplingForm, m_maxTokens, tr("&Max new tokens:"));
  setFormLabel(m_samplingForm, m_seed, tr("&Seed:"));
  setFormLabel(m_imageForm, m_steps, tr("S&teps:"));
  setFormLabel(m_imageForm, m_guidance, tr("&Guidance:"));
  setFormLabel(m_imageForm, m_scheduler, tr("Sc&heduler:"));
  setFormLabel(m_imageForm, m_imageSeed, tr("&Picture seed:"));
  setFormLabel(m_engineForm, m_threads, tr("T&hreads:"));
  setFormLabel(m_engineForm, m_device, tr("&Device:"));
  setFormLabel(m_engineForm, m_dtype, tr("&Number format:"));
  setFormLabel(m_appearanceForm, m_theme, tr("T&heme:"));
  setFormLabel(m_appearanceForm, m_language, tr("&Language:"));
  setFormLabel(m_appearanceForm, m_dataFolder->parentWidget(), tr("Data &folder:"));
  m_device->setItemText(0, tr("Automatic"));
  m_dtype->setItemText(0, tr("Automatic"));
  m_theme->setItemText(0, tr("Follow the system"));
  m_theme->setItemText(1, tr("Light"));
  m_theme->setItemText(2, tr("Dark"));
  m_language->setItemText(0, tr("Follow the system"));
  m_threads->setSpecialValueText(tr("Automatic"));
  m_seed->setPlaceholderText(tr("Random"));
  m_imageSeed->setPlaceholderText(tr("Same as the answer"));
  m_dataFolder->setPlaceholderText(tr("Default app data folder"));
  m_browse->setText(tr("Browse…"));
  m_chatOnly->setText(tr("Use the sampling and picture settings for this chat only"));
  m_defaults->setText(tr("Restore defaults"));
  describe(m_temperature, tr("Temperature"), tr("Higher values make answers more varied; 0 always picks the likeliest token."));
  describe(m_topP, tr("Top-p"), tr("Sample only from the smallest set of tokens whose probabilities add up to this."));
  describe(m_topK, tr("Top-k"), tr("Sample only from this many likeliest tokens; 0 turns it off."));
  describe(m_maxTokens, tr("Maximum new tokens"), tr("The longest answer, in tokens (a picture takes 34)."));
  describe(m_seed, tr("Seed"), tr("The same seed and settings give the same answer; empty or 0 picks a new one each turn."));
  describe(m_steps, tr("Denoising steps"), tr("More steps draw finer pictures and take longer."));
  describe(m_guidance, tr("Guidance"), tr("How strongly pictures follow the image codes (classifier-free guidance)."));
  describe(m_scheduler, tr("Scheduler"), tr("The diffusion sampler: PNDM, DDIM or DPM-Solver++."));
  describe(m_imageSeed, tr("Picture seed"), tr("The diffusion noise seed; empty or 0 uses the answer's seed."));
  describe(m_threads, tr("Threads"), tr("CPU threads the engine uses; Automatic uses one per physical core."));
  describe(m_device, tr("Device"), tr("Where the model runs: the CPU or a CUDA graphics card."));
  describe(m_dtype, tr("Number format"), tr("The weights' number format; smaller formats need less memory."));
  describe(m_theme, tr("Theme"), tr("Light, dark, or the system's choice."));
  describe(m_language, tr("Language"), tr("The language of the app; it changes at once."));
  describe(m_dataFolder, tr("Data folder"), tr("Where chats, pictures, packs and logs are kept (used at the next start)."));
  describe(m_browse, tr("Choose the data folder"), tr("Opens a folder picker for the data folder."));
  describe(m_chatOnly, tr("Only for this chat"),
           tr("When checked, the sampling and picture settings are stored with the current chat and leave the "
              "defaults unchanged."));
  describe(m_defaults, tr("Restore defaults"), tr("Puts every setting back to its default value."));
  if (auto* ok = m_buttons->button(QDialogButtonBox::Ok)) {
    ok->setText(tr("OK"));
    describe(ok, tr("OK"), tr("Saves the settings and closes the dialog."));
  }
  if (auto* cancel = m_buttons->button(QDialogButtonBox::Cancel)) {
    cancel->setText(tr("Cancel"));
    describe(cancel, tr("Cancel"), tr("Closes the dialog without saving."));
  }
}

void SettingsDialog::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QDialog::changeEvent(event);
}

void SettingsDialog::setSettings(const AppSettings& s) {
  const GenerationOptions& g = s.generation;
  m_temperature->setValue(g.temperature);
  m_topP->setValue(g.topP);
  m_topK->setValue(g.topK);
  m_maxTokens->setValue(g.maxNewTokens);
  m_seed->setText(g.seed ? QString::number(g.seed) : QString());
  m_steps->setValue(g.steps);
  m_guidance->setValue(g.guidance);
  setComboData(m_scheduler, g.scheduler);
  m_imageSeed->setText(g.imageSeed ? QString::number(g.imageSeed) : QString());
  m_threads->setValue(s.threads);
  setComboData(m_device, s.device);
  setComboData(m_dtype, s.dtype);
  setComboData(m_theme, s.theme);
  setComboData(m_language, s.language);
  m_dataFolder->setText(s.dataFolder);
}

AppSettings SettingsDialog::settings() const {
  AppSettings s;
  GenerationOptions& g = s.generation;
  g = m_base;
  g.temperature = m_temperature->value();
  g.topP = m_topP->value();
  g.topK = m_topK->value();
  g.maxNewTokens = m_maxTokens->value();
  g.seed = m_seed->text().toULongLong();
  g.steps = m_steps->value();
  g.guidance = m_guidance->value();
  g.scheduler = m_scheduler->currentData().toString();
  g.imageSeed = m_imageSeed->text().toULongLong();
  s.threads = m_threads->value();
  s.device = m_device->currentData().toString();
  s.dtype = m_dtype->currentData().toString();
  s.theme = m_theme->currentData().toString();
  s.language = m_language->currentData().toString();
  s.dataFolder = m_dataFolder->text().trimmed();
  return s;
}

bool SettingsDialog::chatOnly() const { return m_chatOnly->isEnabled() && m_chatOnly->isChecked(); }

void SettingsDialog::restoreDefaults() {
  setSettings(AppSettings::defaults());
  m_chatOnly->setChecked(false);
}

}  // namespace seedcanvas::ui
