// What a downloadable model pack consists of: Hugging Face repositories, the files the engine
// needs from each (with size and SHA-256 where known) and the seedcanvas-pack.json manifest to
// write once every file is in place. The shipped catalog is the resource :/seedcanvas/pack_catalog.json.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

namespace seedcanvas::gui {

struct PackFile {
  QString path;     // inside the repository, '/'-separated ("unet/config.json")
  QString sha256;   // lower-case hex; empty: take it from the server's ETag when it is one
  qint64 size = -1; // bytes; -1 unknown
  QUrl url;         // absolute source for files outside the hub (BLIP-2's ViT); empty: hub URL
};

struct PackRepo {
  QString repo;    // "AILab-CVC/seed-llama-8b-sft"
  QString folder;  // folder inside the pack ("seed-llama-8b-sft"); empty: the pack root
  QList<PackFile> files;
};

struct PackDescription {
  QString name;   // folder under <data>/packs
  QString title;  // shown to the user
  QList<PackRepo> repos;
  QJsonObject manifest;  // written as seedcanvas-pack.json (format and name added when absent)

  qint64 knownBytes() const;  // sum of the sizes the catalog gives
  int fileCount() const;
};

// Parses a catalog document ({"format":1,"packs":[...]}). Throws nothing: returns an empty
// list and sets *error (naming `origin`) on a malformed document.
QList<PackDescription> parseCatalog(const QByteArray& json, const QString& origin, QString* error);
// The catalog shipped as a resource.
QList<PackDescription> builtinCatalog();

// {base}/{repo}/resolve/main/{file}, or the file's own URL.
QUrl fileUrl(const QUrl& base, const PackRepo& repo, const PackFile& file);
// Where the file lands inside the pack folder.
QString fileTarget(const QString& packDir, const PackRepo& repo, const PackFile& file);

inline constexpr const char* kDefaultHubUrl = "https://huggingface.co";
// Present in a pack folder while a download fills it (removed once seedcanvas-pack.json is
// written): such a folder is not a pack yet.
inline constexpr const char* kDownloadMarker = "seedcanvas-download.json";

}  // namespace seedcanvas::gui
