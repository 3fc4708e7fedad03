<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>PackSummary</name>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Image chat</source>
        <translation>Bild-Chat</translation>
    </message>
    <message>
        <source>%1 tokens, %2 tok/s, first token %3 s</source>
        <translation>%1 Token, %2 Token/s, erstes Token nach %3 s</translation>
    </message>
    <message>
        <source>, %1 prompt tokens reused</source>
        <translation>, %1 Prompt-Token wiederverwendet</translation>
    </message>
    <message>
        <source>, %1 s per image</source>
        <translation>, %1 s pro Bild</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Chat with SEED-LLaMA about pictures and draw new ones, locally.</source>
        <translation>Mit SEED-LLaMA lokal über Bilder chatten und neue zeichnen.</translation>
    </message>
    <message>
        <source>Keep chats in DIR (default: $SEEDCANVAS_DATA_DIR, else the app data folder).</source>
        <translation>Chats in DIR ablegen (Standard: $SEEDCANVAS_DATA_DIR, sonst der Datenordner der App).</translation>
    </message>
    <message>
        <source>Load the model pack in DIR (or $SEEDCANVAS_PACK).</source>
        <translation>Das Modellpaket in DIR laden (oder $SEEDCANVAS_PACK).</translation>
    </message>
    <message>
        <source>Use the dark theme.</source>
        <translation>Das dunkle Design verwenden.</translation>
    </message>
    <message>
        <source>Send TEXT as soon as the window opens.</source>
        <translation>TEXT senden, sobald sich das Fenster öffnet.</translation>
    </message>
    <message>
        <source>With --prompt: ask for a picture.</source>
        <translation>Mit --prompt: um ein Bild bitten.</translation>
    </message>
    <message>
        <source>Quit after N milliseconds (tests).</source>
        <translation>Nach N Millisekunden beenden (Tests).</translation>
    </message>
    <message>
        <source>With --prompt: quit once the answer is finished (tests).</source>
        <translation>Mit --prompt: beenden, sobald die Antwort fertig ist (Tests).</translation>
    </message>
    <message>
        <source>Print engine events on stdout (tests).</source>
        <translation>Engine-Ereignisse auf stdout ausgeben (Tests).</translation>
    </message>
    <message>
        <source>SeedCanvas</source>
        <translation>SeedCanvas</translation>
    </message>
    <message>
        <source>The chat database could not be opened.
%1
Start with --data-dir DIR to use another folder.</source>
        <translation>Die Chat-Datenbank konnte nicht geöffnet werden.
%1
Mit --data-dir DIR starten, um einen anderen Ordner zu verwenden.</translation>
    </message>
</context>
<context>
    <name>seedcanvas::gui::AppSession</name>
    <message>
        <source>No pack was found (looked in %1).</source>
        <translation>Kein Paket gefunden (gesucht in %1).</translation>
    </message>
    <message>
        <source>seedcanvas-cli was not found beside the app, so the demo pack cannot be made here.</source>
        <translation>seedcanvas-cli liegt nicht neben der App, daher kann das Demopaket hier nicht erstellt werden.</translation>
    </message>
    <message>
        <source>Making the demo pack in %1…</source>
        <translation>Demopaket wird in %1 erstellt…</translation>
    </message>
    <message>
        <source>Making the demo pack failed: %1</source>
        <translation>Erstellen des Demopakets fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>seedcanvas::gui::ModelManagerDialog</name>
    <message>
        <source>Model packs</source>
        <translation>Modellpakete</translation>
    </message>
    <message>
        <source>Installed model packs</source>
        <translation>Installierte Modellpakete</translation>
    </message>
    <message>
        <source>Packs found on this machine with size, weight type, memory estimate and location</source>
        <translation>Auf diesem Rechner gefundene Pakete mit Größe, Gewichtstyp, geschätztem Speicherbedarf und Speicherort</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <source>Needs</source>
        <translation>Bedarf</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Speicherort</translation>
    </message>
    <message>
        <source>Pack details</source>
        <translation>Paketdetails</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA-GPU</translation>
    </message>
    <message>
        <source>Weight precision</source>
        <translation>Gewichtsgenauigkeit</translation>
    </message>
    <message>
        <source>32-bit float</source>
        <translation>32-Bit-Gleitkomma</translation>
    </message>
    <message>
        <source>bfloat16</source>
        <translation>bfloat16</translation>
    </message>
    <message>
        <source>float16</source>
        <translation>float16</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>&amp;Gerät:</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>&amp;Präzision:</translation>
    </message>
    <message>
        <source>&amp;Add from folder…</source>
        <translation>Aus Ordner &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add a pack from a folder</source>
        <translation>Ein Paket aus einem Ordner hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Use this pack</source>
        <translation>Dieses Paket &amp;verwenden</translation>
    </message>
    <message>
        <source>Use the selected pack</source>
        <translation>Das ausgewählte Paket verwenden</translation>
    </message>
    <message>
        <source>Download a pack</source>
        <translation>Ein Paket herunterladen</translation>
    </message>
    <message>
        <source>Pack to download</source>
        <translation>Herunterzuladendes Paket</translation>
    </message>
    <message>
        <source>Download server</source>
        <translation>Download-Server</translation>
    </message>
    <message>
        <source>Base URL of a Hugging Face compatible server</source>
        <translation>Basis-URL eines Hugging-Face-kompatiblen Servers</translation>
    </message>
    <message>
        <source>Pack:</source>
        <translation>Paket:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Current file progress</source>
        <translation>Fortschritt der aktuellen Datei</translation>
    </message>
    <message>
        <source>Total download progress</source>
        <translation>Gesamtfortschritt des Downloads</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>Gesamt:</translation>
    </message>
    <message>
        <source>Download status</source>
        <translation>Download-Status</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <source>Start the download</source>
        <translation>Download starten</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Pause or resume the download</source>
        <translation>Download anhalten oder fortsetzen</translation>
    </message>
    <message>
        <source>Dialog buttons</source>
        <translation>Dialogschaltflächen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Downloading %1 (file %2 of %3)…</source>
        <translation>%1 wird heruntergeladen (Datei %2 von %3)…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Finished: %1</source>
        <translation>Fertig: %1</translation>
    </message>
    <message>
        <source>%1 (random weights)</source>
        <translation>%1 (Zufallsgewichte)</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 bei %2</translation>
    </message>
    <message>
        <source>Choose a model pack folder</source>
        <translation>Ordner eines Modellpakets wählen</translation>
    </message>
    <message>
        <source>Not a usable model pack</source>
        <translation>Kein verwendbares Modellpaket</translation>
    </message>
    <message>
        <source>%1 cannot be used:
%2</source>
        <translation>%1 kann nicht verwendet werden:
%2</translation>
    </message>
    <message>
        <source>This pack cannot be used: %1</source>
        <translation>Dieses Paket kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>Needs about %1 at %2; free memory unknown.</source>
        <translation>Benötigt etwa %1 bei %2; freier Speicher unbekannt.</translation>
    </message>
    <message>
        <source>Needs about %1 at %2; %3 free: fits.</source>
        <translation>Benötigt etwa %1 bei %2; %3 frei: passt.</translation>
    </message>
    <message>
        <source>Needs about %1 at %2 but only %3 are free: it will not fit; try a smaller precision.</source>
        <translation>Benötigt etwa %1 bei %2, aber nur %3 sind frei: passt nicht; versuchen Sie eine geringere Präzision.</translation>
    </message>
    <message>
        <source>The language model has no image tokens: text only.</source>
        <translation>Das Sprachmodell hat keine Bild-Token: nur Text.</translation>
    </message>
    <message>
        <source>Random weights: answers and pictures are noise.</source>
        <translation>Zufallsgewichte: Antworten und Bilder sind Rauschen.</translation>
    </message>
    <message>
        <source>The server address %1 is not an http(s) URL.</source>
        <translation>Die Serveradresse %1 ist keine http(s)-URL.</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
</context>
<context>
    <name>seedcanvas::gui::PackDownloader</name>
    <message>
        <source>Not enough free disk space in %1: the pack needs %2 more, %3 are free.</source>
        <translation>Nicht genug freier Speicherplatz in %1: Das Paket benötigt %2 mehr, %3 sind frei.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht erstellt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>The server answered the resume request for %1 with the wrong range (%2).</source>
        <translation>Der Server hat die Fortsetzungsanfrage für %1 mit dem falschen Bereich (%2) beantwortet.</translation>
    </message>
    <message>
        <source>Not enough free disk space in %1 for %2: it needs %3, %4 are free.</source>
        <translation>Nicht genug freier Speicherplatz in %1 für %2: benötigt werden %3, %4 sind frei.</translation>
    </message>
    <message>
        <source>The server offers %1 with %2 bytes; the catalog says %3.</source>
        <translation>Der Server bietet %1 mit %2 Bytes an; laut Katalog sind es %3.</translation>
    </message>
    <message>
        <source>Download of %1 timed out: %2 sent no data for %3 s. Resume to try again.</source>
        <translation>Zeitüberschreitung beim Download von %1: %2 hat %3 s lang keine Daten gesendet. Fortsetzen, um es erneut zu versuchen.</translation>
    </message>
    <message>
        <source>The server redirected %1 without saying where to.</source>
        <translation>Der Server hat %1 umgeleitet, ohne ein Ziel anzugeben.</translation>
    </message>
    <message>
        <source>Too many redirects while downloading %1.</source>
        <translation>Zu viele Umleitungen beim Herunterladen von %1.</translation>
    </message>
    <message>
        <source>Refusing to follow a redirect from HTTPS to %1 for %2.</source>
        <translation>Umleitung von HTTPS nach %1 für %2 wird nicht gefolgt.</translation>
    </message>
    <message>
        <source>Downloading %1 failed: the server answered HTTP %2 for %3.</source>
        <translation>Herunterladen von %1 fehlgeschlagen: Der Server antwortete mit HTTP %2 für %3.</translation>
    </message>
    <message>
        <source>Downloading %1 failed: %2</source>
        <translation>Herunterladen von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 has %2 bytes instead of %3; the partial file was removed.</source>
        <translation>%1 hat %2 Bytes statt %3; die unvollständige Datei wurde entfernt.</translation>
    </message>
    <message>
        <source>%1 failed its SHA-256 check (expected %2, got %3); the file was removed.</source>
        <translation>%1 hat die SHA-256-Prüfung nicht bestanden (erwartet %2, erhalten %3); die Datei wurde entfernt.</translation>
    </message>
    <message>
        <source>Cannot move %1 into place.</source>
        <translation>%1 kann nicht an seinen Zielort verschoben werden.</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ChatController</name>
    <message>
        <source>Thinking…</source>
        <translation>Denke nach…</translation>
    </message>
    <message>
        <source>Image %1: image tokens %2/%3</source>
        <translation>Bild %1: Bild-Token %2/%3</translation>
    </message>
    <message>
        <source>Image %1: drawing, step %2/%3</source>
        <translation>Bild %1: wird gezeichnet, Schritt %2/%3</translation>
    </message>
    <message>
        <source>Image %1 could not be drawn: %2</source>
        <translation>Bild %1 konnte nicht gezeichnet werden: %2</translation>
    </message>
    <message>
        <source>The answer could not be saved: %1</source>
        <translation>Die Antwort konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ChatListModel</name>
    <message>
        <source>%1 — last message %2</source>
        <translation>%1 — letzte Nachricht %2</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ChatSidebar</name>
    <message>
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Start a new chat (Ctrl+N)</source>
        <translation>Einen neuen Chat beginnen (Strg+N)</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>Chats durchsuchen</translation>
    </message>
    <message>
        <source>Search all chats</source>
        <translation>Alle Chats durchsuchen</translation>
    </message>
    <message>
        <source>Chat list</source>
        <translation>Chatliste</translation>
    </message>
    <message>
        <source>Deleted chat</source>
        <translation>Gelöschter Chat</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>Löschen rückgängig machen</translation>
    </message>
    <message>
        <source>Deleted “%1”</source>
        <translation>„%1“ gelöscht</translation>
    </message>
    <message>
        <source>Chat actions</source>
        <translation>Chat-Aktionen</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Shows only the chats whose title or messages contain this text.</source>
        <translation>Zeigt nur die Chats, deren Titel oder Nachrichten diesen Text enthalten.</translation>
    </message>
    <message>
        <source>Your chats, newest first. Double-click to rename; right-click for more.</source>
        <translation>Ihre Chats, die neuesten zuerst. Doppelklick zum Umbenennen; Rechtsklick für mehr.</translation>
    </message>
    <message>
        <source>Brings the deleted chat back.</source>
        <translation>Holt den gelöschten Chat zurück.</translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation>Suche leeren</translation>
    </message>
    <message>
        <source>Empties the search field and shows every chat.</source>
        <translation>Leert das Suchfeld und zeigt alle Chats.</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ChatStore</name>
    <message>
        <source>%1: cannot create the data folder</source>
        <translation>%1: Der Datenordner kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>%1: cannot open the database: %2</source>
        <translation>%1: Die Datenbank kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1: cannot switch the database to WAL mode</source>
        <translation>%1: Die Datenbank kann nicht in den WAL-Modus geschaltet werden</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: cannot write the picture</source>
        <translation>%1: Das Bild kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>%1: cannot store the message: %2</source>
        <translation>%1: Die Nachricht kann nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>%1: cannot create the picture folder</source>
        <translation>%1: Der Bilderordner kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>**You:**</source>
        <translation>**Sie:**</translation>
    </message>
    <message>
        <source>**SeedCanvas:**</source>
        <translation>**SeedCanvas:**</translation>
    </message>
    <message>
        <source>%1: cannot write the Markdown file</source>
        <translation>%1: Die Markdown-Datei kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::Composer</name>
    <message>
        <source>Message composer</source>
        <translation>Nachrichteneingabe</translation>
    </message>
    <message>
        <source>Editing an earlier message: sending starts a new branch; the old one stays.</source>
        <translation>Sie bearbeiten eine frühere Nachricht: Senden beginnt einen neuen Zweig; der alte bleibt erhalten.</translation>
    </message>
    <message>
        <source>Editing notice</source>
        <translation>Bearbeitungshinweis</translation>
    </message>
    <message>
        <source>Cancel edit</source>
        <translation>Bearbeiten abbrechen</translation>
    </message>
    <message>
        <source>Attached pictures</source>
        <translation>Angehängte Bilder</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Message SeedCanvas — Enter sends, Shift+Enter adds a line</source>
        <translation>Nachricht an SeedCanvas — Eingabe sendet, Umschalt+Eingabe fügt eine Zeile ein</translation>
    </message>
    <message>
        <source>Attach pictures…</source>
        <translation>Bilder anhängen…</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>Bilder anhängen</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>Zeichnen</translation>
    </message>
    <message>
        <source>Always answer with a picture</source>
        <translation>Immer mit einem Bild antworten</translation>
    </message>
    <message>
        <source>Draw a picture</source>
        <translation>Ein Bild zeichnen</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Attached picture %1</source>
        <translation>Angehängtes Bild %1</translation>
    </message>
    <message>
        <source>Thumbnail %1</source>
        <translation>Vorschaubild %1</translation>
    </message>
    <message>
        <source>Remove this picture</source>
        <translation>Dieses Bild entfernen</translation>
    </message>
    <message>
        <source>Remove picture %1</source>
        <translation>Bild %1 entfernen</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Stop generating (Esc)</source>
        <translation>Erzeugen anhalten (Esc)</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>Senden (Eingabe)</translation>
    </message>
    <message>
        <source>Write a message, attach pictures and send it.</source>
        <translation>Eine Nachricht schreiben, Bilder anhängen und senden.</translation>
    </message>
    <message>
        <source>Leaves the earlier message as it was.</source>
        <translation>Lässt die frühere Nachricht, wie sie war.</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line; paste or drop pictures here.</source>
        <translation>Eingabe sendet, Umschalt+Eingabe fügt eine Zeile ein; Bilder hier einfügen oder ablegen.</translation>
    </message>
    <message>
        <source>Opens a file picker to add pictures to the message.</source>
        <translation>Öffnet eine Dateiauswahl, um der Nachricht Bilder hinzuzufügen.</translation>
    </message>
    <message>
        <source>%1 was not attached: %2 x %3 pixels is more than this app can read</source>
        <translation>%1 wurde nicht angehängt: %2 x %3 Pixel sind mehr, als diese App lesen kann</translation>
    </message>
    <message>
        <source>%1 was not attached: %2</source>
        <translation>%1 wurde nicht angehängt: %2</translation>
    </message>
    <message>
        <source>%1 was not attached: only files on this computer can be attached</source>
        <translation>%1 wurde nicht angehängt: Nur Dateien auf diesem Computer können angehängt werden</translation>
    </message>
    <message>
        <source>Reading pictures… the message is sent once they are in</source>
        <translation>Bilder werden gelesen… die Nachricht wird gesendet, sobald sie da sind</translation>
    </message>
    <message>
        <source>Reading pictures…</source>
        <translation>Bilder werden gelesen…</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ConversationModel</name>
    <message>
        <source>You: %1</source>
        <translation>Sie: %1</translation>
    </message>
    <message>
        <source>SeedCanvas: %1</source>
        <translation>SeedCanvas: %1</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ConversationView</name>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>SeedCanvas logo</source>
        <translation>SeedCanvas-Logo</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>Willkommen</translation>
    </message>
    <message>
        <source>&lt;h2&gt;What shall we make?&lt;/h2&gt;&lt;p&gt;Describe a picture, drop images here to talk about them, or turn on &lt;b&gt;Draw&lt;/b&gt; to always get a picture back.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Was sollen wir machen?&lt;/h2&gt;&lt;p&gt;Beschreiben Sie ein Bild, ziehen Sie Bilder hierher, um über sie zu sprechen, oder schalten Sie &lt;b&gt;Zeichnen&lt;/b&gt; ein, um immer ein Bild zu erhalten.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Draw a lighthouse on a cliff at sunset</source>
        <translation>Zeichne einen Leuchtturm auf einer Klippe bei Sonnenuntergang</translation>
    </message>
    <message>
        <source>A watercolor fox sleeping in the snow</source>
        <translation>Ein Aquarell-Fuchs, der im Schnee schläft</translation>
    </message>
    <message>
        <source>Describe the picture I attached</source>
        <translation>Beschreibe das Bild, das ich angehängt habe</translation>
    </message>
    <message>
        <source>Example prompt: %1</source>
        <translation>Beispiel-Eingabe: %1</translation>
    </message>
    <message>
        <source>Puts this example into the message box.</source>
        <translation>Übernimmt dieses Beispiel in das Nachrichtenfeld.</translation>
    </message>
    <message>
        <source>The messages of the open chat, oldest first.</source>
        <translation>Die Nachrichten des offenen Chats, die ältesten zuerst.</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ImageCard</name>
    <message>
        <source>Picture</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Click to open, drag to another app</source>
        <translation>Zum Öffnen klicken, in eine andere App ziehen</translation>
    </message>
    <message>
        <source>Picture preview</source>
        <translation>Bildvorschau</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <source>Copy picture</source>
        <translation>Bild kopieren</translation>
    </message>
    <message>
        <source>Use as input</source>
        <translation>Als Eingabe verwenden</translation>
    </message>
    <message>
        <source>Show SEED codes</source>
        <translation>SEED-Codes anzeigen</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>Variationen</translation>
    </message>
    <message>
        <source>(picture missing)</source>
        <translation>(Bild fehlt)</translation>
    </message>
    <message>
        <source>Full view</source>
        <translation>Vollansicht</translation>
    </message>
    <message>
        <source>Loading picture…</source>
        <translation>Bild wird geladen…</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ImageViewer</name>
    <message>
        <source>Picture (%1 × %2)</source>
        <translation>Bild (%1 × %2)</translation>
    </message>
    <message>
        <source>Picture viewer</source>
        <translation>Bildbetrachter</translation>
    </message>
    <message>
        <source>Zoomable picture</source>
        <translation>Zoombares Bild</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Fit to window</source>
        <translation>An Fenster anpassen</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100 %</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <source>Drag to move the picture; the mouse wheel zooms.</source>
        <translation>Ziehen verschiebt das Bild; das Mausrad zoomt.</translation>
    </message>
    <message>
        <source>Shows the picture at one screen pixel per picture pixel.</source>
        <translation>Zeigt das Bild mit einem Bildschirmpixel pro Bildpixel.</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::MainWindow</name>
    <message>
        <source>Loading: %1</source>
        <translation>Wird geladen: %1</translation>
    </message>
    <message>
        <source>SeedCanvas</source>
        <translation>SeedCanvas</translation>
    </message>
    <message>
        <source>Chat with SEED-LLaMA about pictures and draw new ones.</source>
        <translation>Mit SEED-LLaMA über Bilder chatten und neue zeichnen.</translation>
    </message>
    <message>
        <source>Chats and conversation</source>
        <translation>Chats und Unterhaltung</translation>
    </message>
    <message>
        <source>The chat list beside the open conversation.</source>
        <translation>Die Chatliste neben der offenen Unterhaltung.</translation>
    </message>
    <message>
        <source>Model pack notice</source>
        <translation>Hinweis zum Modellpaket</translation>
    </message>
    <message>
        <source>What to do about the model pack.</source>
        <translation>Was mit dem Modellpaket zu tun ist.</translation>
    </message>
    <message>
        <source>Model pack notice text</source>
        <translation>Text des Hinweises zum Modellpaket</translation>
    </message>
    <message>
        <source>Explains the state of the model pack.</source>
        <translation>Erklärt den Zustand des Modellpakets.</translation>
    </message>
    <message>
        <source>Generate demo pack</source>
        <translation>Demopaket erzeugen</translation>
    </message>
    <message>
        <source>Makes a small pack with random weights to try the app.</source>
        <translation>Erstellt ein kleines Paket mit Zufallsgewichten, um die App auszuprobieren.</translation>
    </message>
    <message>
        <source>Model status</source>
        <translation>Modellstatus</translation>
    </message>
    <message>
        <source>The loaded model pack, or loading progress.</source>
        <translation>Das geladene Modellpaket oder der Ladefortschritt.</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>Ladefortschritt</translation>
    </message>
    <message>
        <source>How far loading the model pack has come.</source>
        <translation>Wie weit das Laden des Modellpakets ist.</translation>
    </message>
    <message>
        <source>Menu bar</source>
        <translation>Menüleiste</translation>
    </message>
    <message>
        <source>The File, View and Help menus.</source>
        <translation>Die Menüs Datei, Ansicht und Hilfe.</translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation>Statusleiste</translation>
    </message>
    <message>
        <source>Model, device, speed and memory.</source>
        <translation>Modell, Gerät, Geschwindigkeit und Speicher.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation>&amp;Neuer Chat</translation>
    </message>
    <message>
        <source>&amp;Attach pictures…</source>
        <translation>Bilder &amp;anhängen…</translation>
    </message>
    <message>
        <source>&amp;Export chat as Markdown…</source>
        <translation>Chat als Markdown &amp;exportieren…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Search chats</source>
        <translation>Chats &amp;durchsuchen</translation>
    </message>
    <message>
        <source>S&amp;top generating</source>
        <translation>Erzeugen an&amp;halten</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>&amp;Dunkles Design</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;Copy diagnostics</source>
        <translation>Diagnose &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;About SeedCanvas</source>
        <translation>Ü&amp;ber SeedCanvas</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menü</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Die Nachricht senden</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>Neue Zeile in der Nachricht</translation>
    </message>
    <message>
        <source>Diagnostics copied to the clipboard</source>
        <translation>Diagnose in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo pack: random weights.&lt;/b&gt; Answers and pictures are noise; this only shows how the app works. Real SEED-LLaMA packs come from &lt;a href=&quot;https://huggingface.co/AILab-CVC&quot;&gt;huggingface.co/AILab-CVC&lt;/a&gt; (seed-llama-8b-sft or SEED/seed_llama_14b_sft, seed-tokenizer-2) and &lt;a href=&quot;https://huggingface.co/stabilityai/stable-diffusion-2-1-unclip&quot;&gt;stable-diffusion-2-1-unclip&lt;/a&gt;; put them in &lt;code&gt;%1&lt;/code&gt; or start with &lt;code&gt;--pack DIR&lt;/code&gt;.</source>
        <translation>&lt;b&gt;Demopaket: Zufallsgewichte.&lt;/b&gt; Antworten und Bilder sind Rauschen; es zeigt nur, wie die App funktioniert. Echte SEED-LLaMA-Pakete gibt es bei &lt;a href=&quot;https://huggingface.co/AILab-CVC&quot;&gt;huggingface.co/AILab-CVC&lt;/a&gt; (seed-llama-8b-sft oder SEED/seed_llama_14b_sft, seed-tokenizer-2) und &lt;a href=&quot;https://huggingface.co/stabilityai/stable-diffusion-2-1-unclip&quot;&gt;stable-diffusion-2-1-unclip&lt;/a&gt;; legen Sie sie in &lt;code&gt;%1&lt;/code&gt; ab oder starten Sie mit &lt;code&gt;--pack DIR&lt;/code&gt;.</translation>
    </message>
    <message>
        <source>&lt;b&gt;No model pack.&lt;/b&gt; %1 Put a SEED-LLaMA pack in &lt;code&gt;%2&lt;/code&gt;, start with &lt;code&gt;--pack DIR&lt;/code&gt;, or generate the small demo pack (random weights) to try the app.</source>
        <translation>&lt;b&gt;Kein Modellpaket.&lt;/b&gt; %1 Legen Sie ein SEED-LLaMA-Paket in &lt;code&gt;%2&lt;/code&gt; ab, starten Sie mit &lt;code&gt;--pack DIR&lt;/code&gt; oder erzeugen Sie das kleine Demopaket (Zufallsgewichte), um die App auszuprobieren.</translation>
    </message>
    <message>
        <source>Save picture</source>
        <translation>Bild speichern</translation>
    </message>
    <message>
        <source>PNG (*.png);;JPEG (*.jpg *.jpeg)</source>
        <translation>PNG (*.png);;JPEG (*.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Picture copied</source>
        <translation>Bild kopiert</translation>
    </message>
    <message>
        <source>SEED codes</source>
        <translation>SEED-Codes</translation>
    </message>
    <message>
        <source>The %1 SEED codes this picture was drawn from (seed %2):</source>
        <translation>Die %1 SEED-Codes, aus denen dieses Bild gezeichnet wurde (Seed %2):</translation>
    </message>
    <message>
        <source>About these codes</source>
        <translation>Über diese Codes</translation>
    </message>
    <message>
        <source>Codes</source>
        <translation>Codes</translation>
    </message>
    <message>
        <source>The picture&apos;s SEED codes, separated by spaces.</source>
        <translation>Die SEED-Codes des Bildes, durch Leerzeichen getrennt.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy codes</source>
        <translation>Codes kopieren</translation>
    </message>
    <message>
        <source>Copies the codes to the clipboard.</source>
        <translation>Kopiert die Codes in die Zwischenablage.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Closes this window.</source>
        <translation>Schließt dieses Fenster.</translation>
    </message>
    <message>
        <source>Export chat as Markdown</source>
        <translation>Chat als Markdown exportieren</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>About SeedCanvas</source>
        <translation>Über SeedCanvas</translation>
    </message>
    <message>
        <source>&lt;h3&gt;SeedCanvas %1&lt;/h3&gt;&lt;p&gt;Runs SEED-LLaMA locally: chat about pictures, draw and edit them over many turns.&lt;/p&gt;&lt;p&gt;Qt %2 &amp;middot; LibTorch %3&lt;/p&gt;&lt;p&gt;%4&lt;/p&gt;</source>
        <translation>&lt;h3&gt;SeedCanvas %1&lt;/h3&gt;&lt;p&gt;Führt SEED-LLaMA lokal aus: über Bilder chatten, sie über viele Runden zeichnen und bearbeiten.&lt;/p&gt;&lt;p&gt;Qt %2 &amp;middot; LibTorch %3&lt;/p&gt;&lt;p&gt;%4&lt;/p&gt;</translation>
    </message>
    <message>
        <source>More menus</source>
        <translation>Weitere Menüs</translation>
    </message>
    <message>
        <source>The menus that do not fit in the menu bar.</source>
        <translation>Die Menüs, die nicht in die Menüleiste passen.</translation>
    </message>
    <message>
        <source>&amp;Model packs…</source>
        <translation>&amp;Modellpakete…</translation>
    </message>
    <message>
        <source>Open the selected chat</source>
        <translation>Ausgewählten Chat öffnen</translation>
    </message>
    <message>
        <source>Rename the selected chat</source>
        <translation>Ausgewählten Chat umbenennen</translation>
    </message>
    <message>
        <source>Delete the selected chat</source>
        <translation>Ausgewählten Chat löschen</translation>
    </message>
    <message>
        <source>Stopping the answer before closing…</source>
        <translation>Die Antwort wird vor dem Schließen angehalten…</translation>
    </message>
    <message>
        <source>Cancel editing an earlier message</source>
        <translation>Bearbeiten einer früheren Nachricht abbrechen</translation>
    </message>
    <message>
        <source>Hide notice</source>
        <translation>Hinweis ausblenden</translation>
    </message>
    <message>
        <source>Hides the demo pack notice until the app starts again.</source>
        <translation>Blendet den Hinweis zum Demopaket bis zum nächsten Start der App aus.</translation>
    </message>
    <message>
        <source>%1 — SeedCanvas</source>
        <translation>%1 — SeedCanvas</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::MessageWidget</name>
    <message>
        <source>Previous version</source>
        <translation>Vorherige Version</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>Nächste Version</translation>
    </message>
    <message>
        <source>Message status</source>
        <translation>Nachrichtenstatus</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Text kopieren</translation>
    </message>
    <message>
        <source>Edit and send again (new branch)</source>
        <translation>Bearbeiten und erneut senden (neuer Zweig)</translation>
    </message>
    <message>
        <source>Regenerate (new branch)</source>
        <translation>Neu erzeugen (neuer Zweig)</translation>
    </message>
    <message>
        <source>Generation progress</source>
        <translation>Fortschritt der Erzeugung</translation>
    </message>
    <message>
        <source>Picture being drawn</source>
        <translation>Bild wird gezeichnet</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Nachrichtentext</translation>
    </message>
    <message>
        <source>Your message</source>
        <translation>Ihre Nachricht</translation>
    </message>
    <message>
        <source>SeedCanvas answer</source>
        <translation>Antwort von SeedCanvas</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>SeedCanvas</source>
        <translation>SeedCanvas</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>%1
What next: press Regenerate to try again, or check the model pack in the status bar.</source>
        <translation>%1
Wie weiter: Mit „Neu erzeugen“ erneut versuchen oder das Modellpaket in der Statusleiste prüfen.</translation>
    </message>
    <message>
        <source>What went wrong with this answer, and what to do next.</source>
        <translation>Was bei dieser Antwort schiefging und wie es weitergeht.</translation>
    </message>
    <message>
        <source>Part of the message; the text can be selected and copied.</source>
        <translation>Teil der Nachricht; der Text lässt sich markieren und kopieren.</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>Engine (applies at the next model load)</source>
        <translation>Engine (gilt beim nächsten Laden des Modells)</translation>
    </message>
    <message>
        <source>Appearance and storage</source>
        <translation>Darstellung und Speicherort</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatur:</translation>
    </message>
    <message>
        <source>Top-&amp;p:</source>
        <translation>Top-&amp;p:</translation>
    </message>
    <message>
        <source>Top-&amp;k:</source>
        <translation>Top-&amp;k:</translation>
    </message>
    <message>
        <source>&amp;Max new tokens:</source>
        <translation>&amp;Max. neue Token:</translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation>&amp;Seed:</translation>
    </message>
    <message>
        <source>S&amp;teps:</source>
        <translation>Sc&amp;hritte:</translation>
    </message>
    <message>
        <source>&amp;Guidance:</source>
        <translation>&amp;Guidance:</translation>
    </message>
    <message>
        <source>Sc&amp;heduler:</source>
        <translation>Sched&amp;uler:</translation>
    </message>
    <message>
        <source>&amp;Picture seed:</source>
        <translation>&amp;Bild-Seed:</translation>
    </message>
    <message>
        <source>T&amp;hreads:</source>
        <translation>T&amp;hreads:</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>&amp;Gerät:</translation>
    </message>
    <message>
        <source>&amp;Number format:</source>
        <translation>&amp;Zahlenformat:</translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation>&amp;Design:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Data &amp;folder:</source>
        <translation>Daten&amp;ordner:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <source>Same as the answer</source>
        <translation>Wie die Antwort</translation>
    </message>
    <message>
        <source>Default app data folder</source>
        <translation>Standard-Datenordner der App</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Use the sampling and picture settings for this chat only</source>
        <translation>Sampling- und Bildeinstellungen nur für diesen Chat verwenden</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>Standardwerte wiederherstellen</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Higher values make answers more varied; 0 always picks the likeliest token.</source>
        <translation>Höhere Werte machen Antworten vielfältiger; 0 wählt immer das wahrscheinlichste Token.</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Sample only from the smallest set of tokens whose probabilities add up to this.</source>
        <translation>Nur aus der kleinsten Menge von Token ziehen, deren Wahrscheinlichkeiten zusammen diesen Wert erreichen.</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Sample only from this many likeliest tokens; 0 turns it off.</source>
        <translation>Nur aus so vielen wahrscheinlichsten Token ziehen; 0 schaltet es ab.</translation>
    </message>
    <message>
        <source>Maximum new tokens</source>
        <translation>Maximale neue Token</translation>
    </message>
    <message>
        <source>The longest answer, in tokens (a picture takes 34).</source>
        <translation>Die längste Antwort in Token (ein Bild braucht 34).</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>The same seed and settings give the same answer; empty or 0 picks a new one each turn.</source>
        <translation>Gleicher Seed und gleiche Einstellungen ergeben dieselbe Antwort; leer oder 0 wählt in jeder Runde einen neuen.</translation>
    </message>
    <message>
        <source>Denoising steps</source>
        <translation>Entrauschungsschritte</translation>
    </message>
    <message>
        <source>More steps draw finer pictures and take longer.</source>
        <translation>Mehr Schritte zeichnen feinere Bilder und dauern länger.</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>Guidance</translation>
    </message>
    <message>
        <source>How strongly pictures follow the image codes (classifier-free guidance).</source>
        <translation>Wie stark Bilder den Bildcodes folgen (Classifier-free Guidance).</translation>
    </message>
    <message>
        <source>Scheduler</source>
        <translation>Scheduler</translation>
    </message>
    <message>
        <source>The diffusion sampler: PNDM, DDIM or DPM-Solver++.</source>
        <translation>Der Diffusions-Sampler: PNDM, DDIM oder DPM-Solver++.</translation>
    </message>
    <message>
        <source>Picture seed</source>
        <translation>Bild-Seed</translation>
    </message>
    <message>
        <source>The diffusion noise seed; empty or 0 uses the answer&apos;s seed.</source>
        <translation>Der Seed des Diffusionsrauschens; leer oder 0 verwendet den Seed der Antwort.</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>CPU threads the engine uses; Automatic uses one per physical core.</source>
        <translation>CPU-Threads der Engine; Automatisch nimmt einen pro physischem Kern.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Where the model runs: the CPU or a CUDA graphics card.</source>
        <translation>Wo das Modell läuft: auf der CPU oder einer CUDA-Grafikkarte.</translation>
    </message>
    <message>
        <source>Number format</source>
        <translation>Zahlenformat</translation>
    </message>
    <message>
        <source>The weights&apos; number format; smaller formats need less memory.</source>
        <translation>Das Zahlenformat der Gewichte; kleinere Formate brauchen weniger Speicher.</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Light, dark, or the system&apos;s choice.</source>
        <translation>Hell, dunkel oder wie das System.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The language of the app; it changes at once.</source>
        <translation>Die Sprache der App; sie wechselt sofort.</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <source>Where chats, pictures, packs and logs are kept (used at the next start).</source>
        <translation>Wo Chats, Bilder, Pakete und Protokolle liegen (gilt ab dem nächsten Start).</translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>Datenordner wählen</translation>
    </message>
    <message>
        <source>Opens a folder picker for the data folder.</source>
        <translation>Öffnet eine Ordnerauswahl für den Datenordner.</translation>
    </message>
    <message>
        <source>Only for this chat</source>
        <translation>Nur für diesen Chat</translation>
    </message>
    <message>
        <source>When checked, the sampling and picture settings are stored with the current chat and leave the defaults unchanged.</source>
        <translation>Wenn angehakt, werden die Sampling- und Bildeinstellungen mit dem aktuellen Chat gespeichert und die Standardwerte bleiben unverändert.</translation>
    </message>
    <message>
        <source>Puts every setting back to its default value.</source>
        <translation>Setzt jede Einstellung auf ihren Standardwert zurück.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Saves the settings and closes the dialog.</source>
        <translation>Speichert die Einstellungen und schließt den Dialog.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Closes the dialog without saving.</source>
        <translation>Schließt den Dialog ohne zu speichern.</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Each row names an action and the keys that run it.</source>
        <translation>Jede Zeile nennt eine Aktion und die Tasten, die sie ausführen.</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Closes the list of shortcuts.</source>
        <translation>Schließt die Liste der Tastenkürzel.</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Alles auswählen</translation>
    </message>
    <message>
        <source>Selects every row.</source>
        <translation>Wählt alle Zeilen aus.</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::StatusPanel</name>
    <message>
        <source>automatic</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <source>Device: %1 · %2</source>
        <translation>Gerät: %1 · %2</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>Noch keine Antwort</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <source>%1 s per picture</source>
        <translation>%1 s pro Bild</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>Speicher: %1</translation>
    </message>
    <message>
        <source>Device and number format</source>
        <translation>Gerät und Zahlenformat</translation>
    </message>
    <message>
        <source>Where the model runs and its number format.</source>
        <translation>Wo das Modell läuft und sein Zahlenformat.</translation>
    </message>
    <message>
        <source>Speed of the last answer</source>
        <translation>Geschwindigkeit der letzten Antwort</translation>
    </message>
    <message>
        <source>Tokens per second and seconds per picture of the last answer.</source>
        <translation>Token pro Sekunde und Sekunden pro Bild der letzten Antwort.</translation>
    </message>
    <message>
        <source>Memory in use</source>
        <translation>Belegter Speicher</translation>
    </message>
    <message>
        <source>Memory this program uses (resident set).</source>
        <translation>Speicher, den dieses Programm belegt (Resident Set).</translation>
    </message>
</context>
</TS>
