<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <translation>图片对话</translation>
    </message>
    <message>
        <source>%1 tokens, %2 tok/s, first token %3 s</source>
        <translation>%1 个词元，%2 词元/秒，首个词元 %3 秒</translation>
    </message>
    <message>
        <source>, %1 prompt tokens reused</source>
        <translation>，复用 %1 个提示词元</translation>
    </message>
    <message>
        <source>, %1 s per image</source>
        <translation>，每张图片 %1 秒</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Chat with SEED-LLaMA about pictures and draw new ones, locally.</source>
        <translation>在本机与 SEED-LLaMA 谈论图片并绘制新图片。</translation>
    </message>
    <message>
        <source>Keep chats in DIR (default: $SEEDCANVAS_DATA_DIR, else the app data folder).</source>
        <translation>将对话保存在 DIR 中（默认：$SEEDCANVAS_DATA_DIR，否则为应用数据文件夹）。</translation>
    </message>
    <message>
        <source>Load the model pack in DIR (or $SEEDCANVAS_PACK).</source>
        <translation>加载 DIR 中的模型包（或 $SEEDCANVAS_PACK）。</translation>
    </message>
    <message>
        <source>Use the dark theme.</source>
        <translation>使用深色主题。</translation>
    </message>
    <message>
        <source>Send TEXT as soon as the window opens.</source>
        <translation>窗口打开后立即发送 TEXT。</translation>
    </message>
    <message>
        <source>With --prompt: ask for a picture.</source>
        <translation>与 --prompt 一起使用：要求生成图片。</translation>
    </message>
    <message>
        <source>Quit after N milliseconds (tests).</source>
        <translation>N 毫秒后退出（测试用）。</translation>
    </message>
    <message>
        <source>With --prompt: quit once the answer is finished (tests).</source>
        <translation>与 --prompt 一起使用：回答完成后退出（测试用）。</translation>
    </message>
    <message>
        <source>Print engine events on stdout (tests).</source>
        <translation>在标准输出打印引擎事件（测试用）。</translation>
    </message>
    <message>
        <source>SeedCanvas</source>
        <translation>SeedCanvas</translation>
    </message>
    <message>
        <source>The chat database could not be opened.
%1
Start with --data-dir DIR to use another folder.</source>
        <translation>无法打开对话数据库。
%1
请使用 --data-dir DIR 启动以使用其他文件夹。</translation>
    </message>
</context>
<context>
    <name>seedcanvas::gui::AppSession</name>
    <message>
        <source>No pack was found (looked in %1).</source>
        <translation>未找到模型包（已查找 %1）。</translation>
    </message>
    <message>
        <source>seedcanvas-cli was not found beside the app, so the demo pack cannot be made here.</source>
        <translation>应用旁边找不到 seedcanvas-cli，因此无法在此创建演示包。</translation>
    </message>
    <message>
        <source>Making the demo pack in %1…</source>
        <translation>正在 %1 中创建演示包…</translation>
    </message>
    <message>
        <source>Making the demo pack failed: %1</source>
        <translation>创建演示包失败：%1</translation>
    </message>
</context>
<context>
    <name>seedcanvas::gui::ModelManagerDialog</name>
    <message>
        <source>Model packs</source>
        <translation>模型包</translation>
    </message>
    <message>
        <source>Installed model packs</source>
        <translation>已安装的模型包</translation>
    </message>
    <message>
        <source>Packs found on this machine with size, weight type, memory estimate and location</source>
        <translation>在本机上找到的模型包，包括大小、权重类型、内存估算和位置</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Needs</source>
        <translation>所需</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Pack details</source>
        <translation>模型包详情</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>Weight precision</source>
        <translation>权重精度</translation>
    </message>
    <message>
        <source>32-bit float</source>
        <translation>32 位浮点</translation>
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
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>精度(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Add from folder…</source>
        <translation>从文件夹添加(&amp;A)…</translation>
    </message>
    <message>
        <source>Add a pack from a folder</source>
        <translation>从文件夹添加模型包</translation>
    </message>
    <message>
        <source>&amp;Use this pack</source>
        <translation>使用此模型包(&amp;U)</translation>
    </message>
    <message>
        <source>Use the selected pack</source>
        <translation>使用所选模型包</translation>
    </message>
    <message>
        <source>Download a pack</source>
        <translation>下载模型包</translation>
    </message>
    <message>
        <source>Pack to download</source>
        <translation>要下载的模型包</translation>
    </message>
    <message>
        <source>Download server</source>
        <translation>下载服务器</translation>
    </message>
    <message>
        <source>Base URL of a Hugging Face compatible server</source>
        <translation>兼容 Hugging Face 的服务器的基础 URL</translation>
    </message>
    <message>
        <source>Pack:</source>
        <translation>模型包：</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <source>Current file progress</source>
        <translation>当前文件进度</translation>
    </message>
    <message>
        <source>Total download progress</source>
        <translation>下载总进度</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>总计：</translation>
    </message>
    <message>
        <source>Download status</source>
        <translation>下载状态</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>Start the download</source>
        <translation>开始下载</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause or resume the download</source>
        <translation>暂停或继续下载</translation>
    </message>
    <message>
        <source>Dialog buttons</source>
        <translation>对话框按钮</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Downloading %1 (file %2 of %3)…</source>
        <translation>正在下载 %1（第 %2/%3 个文件）…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Finished: %1</source>
        <translation>已完成：%1</translation>
    </message>
    <message>
        <source>%1 (random weights)</source>
        <translation>%1（随机权重）</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Choose a model pack folder</source>
        <translation>选择模型包文件夹</translation>
    </message>
    <message>
        <source>Not a usable model pack</source>
        <translation>不是可用的模型包</translation>
    </message>
    <message>
        <source>%1 cannot be used:
%2</source>
        <translation>无法使用 %1：
%2</translation>
    </message>
    <message>
        <source>This pack cannot be used: %1</source>
        <translation>无法使用此模型包：%1</translation>
    </message>
    <message>
        <source>Needs about %1 at %2; free memory unknown.</source>
        <translation>在 %2 下约需 %1；可用内存未知。</translation>
    </message>
    <message>
        <source>Needs about %1 at %2; %3 free: fits.</source>
        <translation>在 %2 下约需 %1；可用 %3：足够。</translation>
    </message>
    <message>
        <source>Needs about %1 at %2 but only %3 are free: it will not fit; try a smaller precision.</source>
        <translation>在 %2 下约需 %1，但可用仅 %3：内存不足；请尝试更低的精度。</translation>
    </message>
    <message>
        <source>The language model has no image tokens: text only.</source>
        <translation>该语言模型没有图像词元：仅支持文本。</translation>
    </message>
    <message>
        <source>Random weights: answers and pictures are noise.</source>
        <translation>随机权重：回答和图片都是噪声。</translation>
    </message>
    <message>
        <source>The server address %1 is not an http(s) URL.</source>
        <translation>服务器地址 %1 不是 http(s) URL。</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
</context>
<context>
    <name>seedcanvas::gui::PackDownloader</name>
    <message>
        <source>Not enough free disk space in %1: the pack needs %2 more, %3 are free.</source>
        <translation>%1 中的可用磁盘空间不足：模型包还需要 %2，可用 %3。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>The server answered the resume request for %1 with the wrong range (%2).</source>
        <translation>服务器对 %1 的续传请求返回了错误的范围（%2）。</translation>
    </message>
    <message>
        <source>Not enough free disk space in %1 for %2: it needs %3, %4 are free.</source>
        <translation>%1 中的可用磁盘空间不足以存放 %2：需要 %3，可用 %4。</translation>
    </message>
    <message>
        <source>The server offers %1 with %2 bytes; the catalog says %3.</source>
        <translation>服务器提供的 %1 为 %2 字节；目录中为 %3。</translation>
    </message>
    <message>
        <source>Download of %1 timed out: %2 sent no data for %3 s. Resume to try again.</source>
        <translation>下载 %1 超时：%2 已 %3 秒未发送数据。请继续以重试。</translation>
    </message>
    <message>
        <source>The server redirected %1 without saying where to.</source>
        <translation>服务器重定向了 %1，但未指明目标。</translation>
    </message>
    <message>
        <source>Too many redirects while downloading %1.</source>
        <translation>下载 %1 时重定向次数过多。</translation>
    </message>
    <message>
        <source>Refusing to follow a redirect from HTTPS to %1 for %2.</source>
        <translation>拒绝为 %2 跟随从 HTTPS 到 %1 的重定向。</translation>
    </message>
    <message>
        <source>Downloading %1 failed: the server answered HTTP %2 for %3.</source>
        <translation>下载 %1 失败：服务器对 %3 返回了 HTTP %2。</translation>
    </message>
    <message>
        <source>Downloading %1 failed: %2</source>
        <translation>下载 %1 失败：%2</translation>
    </message>
    <message>
        <source>%1 has %2 bytes instead of %3; the partial file was removed.</source>
        <translation>%1 的大小为 %2 字节而不是 %3；已删除不完整的文件。</translation>
    </message>
    <message>
        <source>%1 failed its SHA-256 check (expected %2, got %3); the file was removed.</source>
        <translation>%1 未通过 SHA-256 校验（预期 %2，实际 %3）；已删除该文件。</translation>
    </message>
    <message>
        <source>Cannot move %1 into place.</source>
        <translation>无法将 %1 移动到目标位置。</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ChatController</name>
    <message>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <source>Image %1: image tokens %2/%3</source>
        <translation>图片 %1：图像词元 %2/%3</translation>
    </message>
    <message>
        <source>Image %1: drawing, step %2/%3</source>
        <translation>图片 %1：绘制中，第 %2/%3 步</translation>
    </message>
    <message>
        <source>Image %1 could not be drawn: %2</source>
        <translation>无法绘制图片 %1：%2</translation>
    </message>
    <message>
        <source>The answer could not be saved: %1</source>
        <translation>无法保存回答：%1</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ChatListModel</name>
    <message>
        <source>%1 — last message %2</source>
        <translation>%1 — 最后消息 %2</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ChatSidebar</name>
    <message>
        <source>Chats</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Start a new chat (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Search all chats</source>
        <translation>搜索所有对话</translation>
    </message>
    <message>
        <source>Chat list</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <source>Deleted chat</source>
        <translation>已删除的对话</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Deleted “%1”</source>
        <translation>已删除“%1”</translation>
    </message>
    <message>
        <source>Chat actions</source>
        <translation>对话操作</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Shows only the chats whose title or messages contain this text.</source>
        <translation>只显示标题或消息中包含此文字的对话。</translation>
    </message>
    <message>
        <source>Your chats, newest first. Double-click to rename; right-click for more.</source>
        <translation>你的对话，最新的在前。双击可重命名，右键单击查看更多操作。</translation>
    </message>
    <message>
        <source>Brings the deleted chat back.</source>
        <translation>恢复已删除的对话。</translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation>清除搜索</translation>
    </message>
    <message>
        <source>Empties the search field and shows every chat.</source>
        <translation>清空搜索框并显示所有对话。</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ChatStore</name>
    <message>
        <source>%1: cannot create the data folder</source>
        <translation>%1：无法创建数据文件夹</translation>
    </message>
    <message>
        <source>%1: cannot open the database: %2</source>
        <translation>%1：无法打开数据库：%2</translation>
    </message>
    <message>
        <source>%1: cannot switch the database to WAL mode</source>
        <translation>%1：无法将数据库切换到 WAL 模式</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: cannot write the picture</source>
        <translation>%1：无法写入图片</translation>
    </message>
    <message>
        <source>%1: cannot store the message: %2</source>
        <translation>%1：无法保存消息：%2</translation>
    </message>
    <message>
        <source>%1: cannot create the picture folder</source>
        <translation>%1：无法创建图片文件夹</translation>
    </message>
    <message>
        <source>**You:**</source>
        <translation>**你：**</translation>
    </message>
    <message>
        <source>**SeedCanvas:**</source>
        <translation>**SeedCanvas：**</translation>
    </message>
    <message>
        <source>%1: cannot write the Markdown file</source>
        <translation>%1：无法写入 Markdown 文件</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::Composer</name>
    <message>
        <source>Message composer</source>
        <translation>消息编辑区</translation>
    </message>
    <message>
        <source>Editing an earlier message: sending starts a new branch; the old one stays.</source>
        <translation>正在编辑较早的消息：发送将开始新分支，旧分支会保留。</translation>
    </message>
    <message>
        <source>Editing notice</source>
        <translation>编辑提示</translation>
    </message>
    <message>
        <source>Cancel edit</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Attached pictures</source>
        <translation>已附加的图片</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Message SeedCanvas — Enter sends, Shift+Enter adds a line</source>
        <translation>给 SeedCanvas 发消息 — Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <source>Attach pictures…</source>
        <translation>附加图片…</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>附加图片</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>绘图</translation>
    </message>
    <message>
        <source>Always answer with a picture</source>
        <translation>总是用图片回答</translation>
    </message>
    <message>
        <source>Draw a picture</source>
        <translation>绘制图片</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Attached picture %1</source>
        <translation>附加图片 %1</translation>
    </message>
    <message>
        <source>Thumbnail %1</source>
        <translation>缩略图 %1</translation>
    </message>
    <message>
        <source>Remove this picture</source>
        <translation>移除此图片</translation>
    </message>
    <message>
        <source>Remove picture %1</source>
        <translation>移除图片 %1</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop generating (Esc)</source>
        <translation>停止生成（Esc）</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
    <message>
        <source>Write a message, attach pictures and send it.</source>
        <translation>撰写消息、附加图片并发送。</translation>
    </message>
    <message>
        <source>Leaves the earlier message as it was.</source>
        <translation>保持较早的消息不变。</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line; paste or drop pictures here.</source>
        <translation>Enter 发送，Shift+Enter 换行；可在此粘贴或拖放图片。</translation>
    </message>
    <message>
        <source>Opens a file picker to add pictures to the message.</source>
        <translation>打开文件选择器，为消息添加图片。</translation>
    </message>
    <message>
        <source>%1 was not attached: %2 x %3 pixels is more than this app can read</source>
        <translation>未附加 %1：%2 x %3 像素超出了本应用可读取的范围</translation>
    </message>
    <message>
        <source>%1 was not attached: %2</source>
        <translation>未附加 %1：%2</translation>
    </message>
    <message>
        <source>%1 was not attached: only files on this computer can be attached</source>
        <translation>未附加 %1：只能附加本机上的文件</translation>
    </message>
    <message>
        <source>Reading pictures… the message is sent once they are in</source>
        <translation>正在读取图片……读取完成后即发送消息</translation>
    </message>
    <message>
        <source>Reading pictures…</source>
        <translation>正在读取图片……</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ConversationModel</name>
    <message>
        <source>You: %1</source>
        <translation>你：%1</translation>
    </message>
    <message>
        <source>SeedCanvas: %1</source>
        <translation>SeedCanvas：%1</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ConversationView</name>
    <message>
        <source>Conversation</source>
        <translation>对话内容</translation>
    </message>
    <message>
        <source>SeedCanvas logo</source>
        <translation>SeedCanvas 标志</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <source>&lt;h2&gt;What shall we make?&lt;/h2&gt;&lt;p&gt;Describe a picture, drop images here to talk about them, or turn on &lt;b&gt;Draw&lt;/b&gt; to always get a picture back.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;我们来创作什么？&lt;/h2&gt;&lt;p&gt;描述一幅图片，把图片拖到这里来讨论它们，或打开&lt;b&gt;绘图&lt;/b&gt;以始终得到图片。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Draw a lighthouse on a cliff at sunset</source>
        <translation>画一座日落时悬崖上的灯塔</translation>
    </message>
    <message>
        <source>A watercolor fox sleeping in the snow</source>
        <translation>一只在雪中酣睡的水彩狐狸</translation>
    </message>
    <message>
        <source>Describe the picture I attached</source>
        <translation>描述我附加的图片</translation>
    </message>
    <message>
        <source>Example prompt: %1</source>
        <translation>示例提示：%1</translation>
    </message>
    <message>
        <source>Puts this example into the message box.</source>
        <translation>将此示例填入消息框。</translation>
    </message>
    <message>
        <source>The messages of the open chat, oldest first.</source>
        <translation>当前对话中的消息，最早的在前。</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ImageCard</name>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Click to open, drag to another app</source>
        <translation>单击打开，可拖到其他应用</translation>
    </message>
    <message>
        <source>Picture preview</source>
        <translation>图片预览</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Copy picture</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Use as input</source>
        <translation>用作输入</translation>
    </message>
    <message>
        <source>Show SEED codes</source>
        <translation>显示 SEED 编码</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>(picture missing)</source>
        <translation>（图片缺失）</translation>
    </message>
    <message>
        <source>Full view</source>
        <translation>查看大图</translation>
    </message>
    <message>
        <source>Loading picture…</source>
        <translation>正在加载图片…</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ImageViewer</name>
    <message>
        <source>Picture (%1 × %2)</source>
        <translation>图片（%1 × %2）</translation>
    </message>
    <message>
        <source>Picture viewer</source>
        <translation>图片查看器</translation>
    </message>
    <message>
        <source>Zoomable picture</source>
        <translation>可缩放的图片</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Fit to window</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <source>Drag to move the picture; the mouse wheel zooms.</source>
        <translation>拖动可移动图片；滚动鼠标滚轮可缩放。</translation>
    </message>
    <message>
        <source>Shows the picture at one screen pixel per picture pixel.</source>
        <translation>以一个屏幕像素对应一个图片像素显示图片。</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::MainWindow</name>
    <message>
        <source>Loading: %1</source>
        <translation>正在加载：%1</translation>
    </message>
    <message>
        <source>SeedCanvas</source>
        <translation>SeedCanvas</translation>
    </message>
    <message>
        <source>Chat with SEED-LLaMA about pictures and draw new ones.</source>
        <translation>与 SEED-LLaMA 谈论图片并绘制新图片。</translation>
    </message>
    <message>
        <source>Chats and conversation</source>
        <translation>对话列表与对话内容</translation>
    </message>
    <message>
        <source>The chat list beside the open conversation.</source>
        <translation>对话列表位于打开的对话旁边。</translation>
    </message>
    <message>
        <source>Model pack notice</source>
        <translation>模型包提示</translation>
    </message>
    <message>
        <source>What to do about the model pack.</source>
        <translation>关于模型包应该怎么做。</translation>
    </message>
    <message>
        <source>Model pack notice text</source>
        <translation>模型包提示文字</translation>
    </message>
    <message>
        <source>Explains the state of the model pack.</source>
        <translation>说明模型包的状态。</translation>
    </message>
    <message>
        <source>Generate demo pack</source>
        <translation>生成演示包</translation>
    </message>
    <message>
        <source>Makes a small pack with random weights to try the app.</source>
        <translation>创建一个随机权重的小模型包，用来试用本应用。</translation>
    </message>
    <message>
        <source>Model status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <source>The loaded model pack, or loading progress.</source>
        <translation>已加载的模型包或加载进度。</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>加载进度</translation>
    </message>
    <message>
        <source>How far loading the model pack has come.</source>
        <translation>模型包加载到了哪一步。</translation>
    </message>
    <message>
        <source>Menu bar</source>
        <translation>菜单栏</translation>
    </message>
    <message>
        <source>The File, View and Help menus.</source>
        <translation>文件、视图和帮助菜单。</translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation>状态栏</translation>
    </message>
    <message>
        <source>Model, device, speed and memory.</source>
        <translation>模型、设备、速度和内存。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Attach pictures…</source>
        <translation>附加图片(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Export chat as Markdown…</source>
        <translation>将对话导出为 Markdown(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Search chats</source>
        <translation>搜索对话(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top generating</source>
        <translation>停止生成(&amp;T)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Copy diagnostics</source>
        <translation>复制诊断信息(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;About SeedCanvas</source>
        <translation>关于 SeedCanvas(&amp;A)</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>在消息中换行</translation>
    </message>
    <message>
        <source>Diagnostics copied to the clipboard</source>
        <translation>诊断信息已复制到剪贴板</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo pack: random weights.&lt;/b&gt; Answers and pictures are noise; this only shows how the app works. Real SEED-LLaMA packs come from &lt;a href=&quot;https://huggingface.co/AILab-CVC&quot;&gt;huggingface.co/AILab-CVC&lt;/a&gt; (seed-llama-8b-sft or SEED/seed_llama_14b_sft, seed-tokenizer-2) and &lt;a href=&quot;https://huggingface.co/stabilityai/stable-diffusion-2-1-unclip&quot;&gt;stable-diffusion-2-1-unclip&lt;/a&gt;; put them in &lt;code&gt;%1&lt;/code&gt; or start with &lt;code&gt;--pack DIR&lt;/code&gt;.</source>
        <translation>&lt;b&gt;演示包：随机权重。&lt;/b&gt;回答和图片都是噪声，仅用于展示应用的工作方式。真正的 SEED-LLaMA 模型包来自 &lt;a href=&quot;https://huggingface.co/AILab-CVC&quot;&gt;huggingface.co/AILab-CVC&lt;/a&gt;（seed-llama-8b-sft 或 SEED/seed_llama_14b_sft、seed-tokenizer-2）以及 &lt;a href=&quot;https://huggingface.co/stabilityai/stable-diffusion-2-1-unclip&quot;&gt;stable-diffusion-2-1-unclip&lt;/a&gt;；请将它们放在 &lt;code&gt;%1&lt;/code&gt; 中，或使用 &lt;code&gt;--pack DIR&lt;/code&gt; 启动。</translation>
    </message>
    <message>
        <source>&lt;b&gt;No model pack.&lt;/b&gt; %1 Put a SEED-LLaMA pack in &lt;code&gt;%2&lt;/code&gt;, start with &lt;code&gt;--pack DIR&lt;/code&gt;, or generate the small demo pack (random weights) to try the app.</source>
        <translation>&lt;b&gt;没有模型包。&lt;/b&gt;%1 请将 SEED-LLaMA 模型包放在 &lt;code&gt;%2&lt;/code&gt; 中，使用 &lt;code&gt;--pack DIR&lt;/code&gt; 启动，或生成小型演示包（随机权重）来试用本应用。</translation>
    </message>
    <message>
        <source>Save picture</source>
        <translation>保存图片</translation>
    </message>
    <message>
        <source>PNG (*.png);;JPEG (*.jpg *.jpeg)</source>
        <translation>PNG (*.png);;JPEG (*.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Picture copied</source>
        <translation>图片已复制</translation>
    </message>
    <message>
        <source>SEED codes</source>
        <translation>SEED 编码</translation>
    </message>
    <message>
        <source>The %1 SEED codes this picture was drawn from (seed %2):</source>
        <translation>绘制此图片所用的 %1 个 SEED 编码（种子 %2）：</translation>
    </message>
    <message>
        <source>About these codes</source>
        <translation>关于这些编码</translation>
    </message>
    <message>
        <source>Codes</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>The picture&apos;s SEED codes, separated by spaces.</source>
        <translation>图片的 SEED 编码，以空格分隔。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy codes</source>
        <translation>复制编码</translation>
    </message>
    <message>
        <source>Copies the codes to the clipboard.</source>
        <translation>将编码复制到剪贴板。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Closes this window.</source>
        <translation>关闭此窗口。</translation>
    </message>
    <message>
        <source>Export chat as Markdown</source>
        <translation>将对话导出为 Markdown</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>About SeedCanvas</source>
        <translation>关于 SeedCanvas</translation>
    </message>
    <message>
        <source>&lt;h3&gt;SeedCanvas %1&lt;/h3&gt;&lt;p&gt;Runs SEED-LLaMA locally: chat about pictures, draw and edit them over many turns.&lt;/p&gt;&lt;p&gt;Qt %2 &amp;middot; LibTorch %3&lt;/p&gt;&lt;p&gt;%4&lt;/p&gt;</source>
        <translation>&lt;h3&gt;SeedCanvas %1&lt;/h3&gt;&lt;p&gt;在本机运行 SEED-LLaMA：谈论图片，并在多轮对话中绘制和编辑图片。&lt;/p&gt;&lt;p&gt;Qt %2 &amp;middot; LibTorch %3&lt;/p&gt;&lt;p&gt;%4&lt;/p&gt;</translation>
    </message>
    <message>
        <source>More menus</source>
        <translation>更多菜单</translation>
    </message>
    <message>
        <source>The menus that do not fit in the menu bar.</source>
        <translation>菜单栏中放不下的菜单。</translation>
    </message>
    <message>
        <source>&amp;Model packs…</source>
        <translation>模型包(&amp;M)…</translation>
    </message>
    <message>
        <source>Open the selected chat</source>
        <translation>打开选中的对话</translation>
    </message>
    <message>
        <source>Rename the selected chat</source>
        <translation>重命名选中的对话</translation>
    </message>
    <message>
        <source>Delete the selected chat</source>
        <translation>删除选中的对话</translation>
    </message>
    <message>
        <source>Stopping the answer before closing…</source>
        <translation>正在停止回答，随后关闭…</translation>
    </message>
    <message>
        <source>Cancel editing an earlier message</source>
        <translation>取消编辑之前的消息</translation>
    </message>
    <message>
        <source>Hide notice</source>
        <translation>隐藏提示</translation>
    </message>
    <message>
        <source>Hides the demo pack notice until the app starts again.</source>
        <translation>在应用下次启动前隐藏演示包提示。</translation>
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
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>Message status</source>
        <translation>消息状态</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>复制文字</translation>
    </message>
    <message>
        <source>Edit and send again (new branch)</source>
        <translation>编辑并重新发送（新分支）</translation>
    </message>
    <message>
        <source>Regenerate (new branch)</source>
        <translation>重新生成（新分支）</translation>
    </message>
    <message>
        <source>Generation progress</source>
        <translation>生成进度</translation>
    </message>
    <message>
        <source>Picture being drawn</source>
        <translation>正在绘制的图片</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>消息文字</translation>
    </message>
    <message>
        <source>Your message</source>
        <translation>你的消息</translation>
    </message>
    <message>
        <source>SeedCanvas answer</source>
        <translation>SeedCanvas 的回答</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>SeedCanvas</source>
        <translation>SeedCanvas</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>%1
What next: press Regenerate to try again, or check the model pack in the status bar.</source>
        <translation>%1
下一步：按“重新生成”再试一次，或在状态栏中检查模型包。</translation>
    </message>
    <message>
        <source>What went wrong with this answer, and what to do next.</source>
        <translation>此回答出了什么问题，以及下一步该怎么做。</translation>
    </message>
    <message>
        <source>Part of the message; the text can be selected and copied.</source>
        <translation>消息的一部分；文字可以选中并复制。</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Engine (applies at the next model load)</source>
        <translation>引擎（下次加载模型时生效）</translation>
    </message>
    <message>
        <source>Appearance and storage</source>
        <translation>外观与存储</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>温度(&amp;T)：</translation>
    </message>
    <message>
        <source>Top-&amp;p:</source>
        <translation>Top-p(&amp;P)：</translation>
    </message>
    <message>
        <source>Top-&amp;k:</source>
        <translation>Top-k(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Max new tokens:</source>
        <translation>最大新词元数(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation>种子(&amp;S)：</translation>
    </message>
    <message>
        <source>S&amp;teps:</source>
        <translation>步数(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Guidance:</source>
        <translation>引导强度(&amp;G)：</translation>
    </message>
    <message>
        <source>Sc&amp;heduler:</source>
        <translation>调度器(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Picture seed:</source>
        <translation>图片种子(&amp;P)：</translation>
    </message>
    <message>
        <source>T&amp;hreads:</source>
        <translation>线程数(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Number format:</source>
        <translation>数值格式(&amp;N)：</translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation>主题(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Data &amp;folder:</source>
        <translation>数据文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Same as the answer</source>
        <translation>与回答相同</translation>
    </message>
    <message>
        <source>Default app data folder</source>
        <translation>默认应用数据文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Use the sampling and picture settings for this chat only</source>
        <translation>采样和图片设置仅用于此对话</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Higher values make answers more varied; 0 always picks the likeliest token.</source>
        <translation>数值越高，回答越多样；0 总是选择可能性最大的词元。</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Sample only from the smallest set of tokens whose probabilities add up to this.</source>
        <translation>只从概率之和达到此值的最小词元集合中采样。</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Sample only from this many likeliest tokens; 0 turns it off.</source>
        <translation>只从可能性最大的这么多个词元中采样；0 表示关闭。</translation>
    </message>
    <message>
        <source>Maximum new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>The longest answer, in tokens (a picture takes 34).</source>
        <translation>回答的最大长度（以词元计，一张图片占 34 个）。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>The same seed and settings give the same answer; empty or 0 picks a new one each turn.</source>
        <translation>相同的种子和设置会得到相同的回答；留空或 0 表示每轮随机选择。</translation>
    </message>
    <message>
        <source>Denoising steps</source>
        <translation>去噪步数</translation>
    </message>
    <message>
        <source>More steps draw finer pictures and take longer.</source>
        <translation>步数越多，图片越精细，耗时也越长。</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>引导强度</translation>
    </message>
    <message>
        <source>How strongly pictures follow the image codes (classifier-free guidance).</source>
        <translation>图片遵循图像编码的程度（无分类器引导）。</translation>
    </message>
    <message>
        <source>Scheduler</source>
        <translation>调度器</translation>
    </message>
    <message>
        <source>The diffusion sampler: PNDM, DDIM or DPM-Solver++.</source>
        <translation>扩散采样器：PNDM、DDIM 或 DPM-Solver++。</translation>
    </message>
    <message>
        <source>Picture seed</source>
        <translation>图片种子</translation>
    </message>
    <message>
        <source>The diffusion noise seed; empty or 0 uses the answer&apos;s seed.</source>
        <translation>扩散噪声的种子；留空或 0 表示使用回答的种子。</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>CPU threads the engine uses; Automatic uses one per physical core.</source>
        <translation>引擎使用的 CPU 线程数；“自动”表示每个物理核心一个。</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Where the model runs: the CPU or a CUDA graphics card.</source>
        <translation>模型运行的位置：CPU 或 CUDA 显卡。</translation>
    </message>
    <message>
        <source>Number format</source>
        <translation>数值格式</translation>
    </message>
    <message>
        <source>The weights&apos; number format; smaller formats need less memory.</source>
        <translation>权重的数值格式；较小的格式占用更少内存。</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Light, dark, or the system&apos;s choice.</source>
        <translation>浅色、深色或跟随系统。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language of the app; it changes at once.</source>
        <translation>应用的语言；会立即切换。</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Where chats, pictures, packs and logs are kept (used at the next start).</source>
        <translation>保存对话、图片、模型包和日志的位置（下次启动时生效）。</translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>选择数据文件夹</translation>
    </message>
    <message>
        <source>Opens a folder picker for the data folder.</source>
        <translation>打开文件夹选择器以选择数据文件夹。</translation>
    </message>
    <message>
        <source>Only for this chat</source>
        <translation>仅用于此对话</translation>
    </message>
    <message>
        <source>When checked, the sampling and picture settings are stored with the current chat and leave the defaults unchanged.</source>
        <translation>勾选后，采样和图片设置随当前对话保存，默认值保持不变。</translation>
    </message>
    <message>
        <source>Puts every setting back to its default value.</source>
        <translation>将所有设置恢复为默认值。</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Saves the settings and closes the dialog.</source>
        <translation>保存设置并关闭对话框。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Closes the dialog without saving.</source>
        <translation>不保存并关闭对话框。</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Each row names an action and the keys that run it.</source>
        <translation>每一行列出一个操作及执行它的按键。</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Closes the list of shortcuts.</source>
        <translation>关闭快捷键列表。</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Selects every row.</source>
        <translation>选中所有行。</translation>
    </message>
</context>
<context>
    <name>seedcanvas::ui::StatusPanel</name>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Device: %1 · %2</source>
        <translation>设备：%1 · %2</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>尚无回答</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>%1 s per picture</source>
        <translation>每张图片 %1 秒</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>内存：%1</translation>
    </message>
    <message>
        <source>Device and number format</source>
        <translation>设备与数值格式</translation>
    </message>
    <message>
        <source>Where the model runs and its number format.</source>
        <translation>模型运行的位置及其数值格式。</translation>
    </message>
    <message>
        <source>Speed of the last answer</source>
        <translation>上一个回答的速度</translation>
    </message>
    <message>
        <source>Tokens per second and seconds per picture of the last answer.</source>
        <translation>上一个回答的每秒词元数和每张图片的秒数。</translation>
    </message>
    <message>
        <source>Memory in use</source>
        <translation>已用内存</translation>
    </message>
    <message>
        <source>Memory this program uses (resident set).</source>
        <translation>本程序使用的内存（常驻内存）。</translation>
    </message>
</context>
</TS>
