// Opcode semantics follow CPython's pickletools documentation (Lib/pickletools.py); the
// stack/mark model is Python 3's: items below the newest MARK are out of reach.
#include "io/unpickler.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>

#include "core/error.h"

namespace seedcanvas::io {
namespace {

enum class Kind : std::uint8_t { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };
enum class GlobalId : std::uint8_t { OrderedDict, RebuildTensorV2, RebuildParameter, RebuildParameterWithState, Storage };

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Tuple: return "tuple";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Global: return "global";
    case Kind::Storage: return "storage";
    case Kind::Tensor: return "tensor";
  }
  return "?";
}

// Values live in the machine's arena and point at each other with raw pointers: cycles
// (a list appended to itself) cannot leak, and freeing is never recursive.
struct Value {
  Kind kind = Kind::None;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;  // String; for a storage Global, the storage type name
  GlobalId global = GlobalId::OrderedDict;
  std::vector<Value*> items;                       // Tuple, List
  std::vector<std::pair<Value*, Value*>> entries;  // Dict, in insertion order
  std::unique_ptr<PickledTensor> tensor;           // Storage (key, type, location, numel) and Tensor
};

constexpr const char* kStorageTypes[] = {"FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage", "LongStorage",
                                         "IntStorage",   "ShortStorage", "CharStorage",   "ByteStorage",   "BoolStorage"};
constexpr std::size_t kMaxDims = 64;
constexpr std::size_t kMaxSkippedNames = 1000;

bool valid_utf8(const std::uint8_t* p, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t c = p[i];
    std::size_t len;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    const std::uint32_t min_cp = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min_cp || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

bool safe_storage_key(const std::string& key) {
  if (key.empty() || key.size() > 256 || key == "." || key == "..") return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

class Machine {
 public:
  Machine(const std::uint8_t* data, std::size_t size, const std::string& file, const UnpickleLimits& limits)
      : data_(data), size_(size), file_(file), limits_(limits) {}

  Value* run();
  void flatten(const Value* dict, const std::string& prefix, std::size_t depth, PickledStateDict& out);

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw_format(file_, "pickle: " + what + " (at byte " + std::to_string(op_pos_) + ")");
  }
  const std::uint8_t* take(std::uint64_t n) {
    if (n > size_ - pos_) fail("truncated: needs " + std::to_string(n) + " more bytes");
    const std::uint8_t* p = data_ + pos_;
    pos_ += static_cast<std::size_t>(n);
    return p;
  }
  std::uint64_t le(std::size_t n) {
    const std::uint8_t* p = take(n);
    std::uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;) v = (v << 8) | p[i];
    return v;
  }
  Value* make(Kind kind) {
    if (arena_.size() >= limits_.max_values) fail("more than " + std::to_string(limits_.max_values) + " objects");
    arena_.push_back(std::make_unique<Value>());
    arena_.back()->kind = kind;
    return arena_.back().get();
  }
  void push(Value* v) {
    if (stack_.size() >= limits_.max_stack) fail("stack deeper than " + std::to_string(limits_.max_stack));
    stack_.push_back(v);
  }
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  Value* pop() {
    if (stack_.size() <= floor()) fail("stack underflow");
    Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  Value* top() {
    if (stack_.size() <= floor()) fail("stack underflow");
    return stack_.back();
  }
  // Items above the newest MARK, which is removed.
  std::vector<Value*> pop_mark() {
    if (marks_.empty()) fail("no MARK on the stack");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<Value*> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
    stack_.resize(mark);
    return items;
  }
  Value* string(std::uint64_t length) {
    const std::uint8_t* p = take(length);
    if (!valid_utf8(p, static_cast<std::size_t>(length))) fail("string is not valid UTF-8");
    Value* v = make(Kind::String);
    v->text.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(length));
    return v;
  }
  Value* integer(std::int64_t i) {
    Value* v = make(Kind::Int);
    v->integer = i;
    return v;
  }
  void memo_put(std::uint64_t index) {
    memo_[index] = top();
  }
  void memo_get(std::uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("memo index " + std::to_string(index) + " was never stored");
    push(it->second);
  }
  std::string line();
  Value* global(const std::string& module, const std::string& name);
  Value* reduce(Value* callable, Value* args);
  Value* persistent_load(Value* pid);
  void set_items(Value* dict, const std::vector<Value*>& kv);
  void validate(const PickledTensor& t) const;

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::size_t op_pos_ = 0;
  const std::string& file_;
  UnpickleLimits limits_;
  std::vector<std::unique_ptr<Value>> arena_;
  std::vector<Value*> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, Value*> memo_;
  std::size_t visited_ = 0;
};

std::string Machine::line() {
  constexpr std::size_t kMaxLine = 256;  // module and attribute names are short
  const std::size_t limit = std::min(size_ - pos_, kMaxLine);
  const void* nl = std::memchr(data_ + pos_, '\n', limit);
  if (!nl && limit < kMaxLine) fail("truncated inside a GLOBAL name");
  if (!nl) fail("GLOBAL name is not terminated within " + std::to_string(kMaxLine) + " bytes");
  const std::size_t n = static_cast<const std::uint8_t*>(nl) - (data_ + pos_);
  std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
  pos_ += n + 1;
  return s;
}

Value* Machine::global(const std::string& module, const std::string& name) {
  Value* v = make(Kind::Global);
  if (module == "collections" && name == "OrderedDict") {
    v->global = GlobalId::OrderedDict;
  } else if (module == "torch._utils" && name == "_rebuild_tensor_v2") {
    v->global = GlobalId::RebuildTensorV2;
  } else if (module == "torch._utils" && name == "_rebuild_parameter") {
    v->global = GlobalId::RebuildParameter;
  } else if (module == "torch._utils" && name == "_rebuild_parameter_with_state") {
    v->global = GlobalId::RebuildParameterWithState;
  } else if (module == "torch" && is_known_storage_type(name)) {
    v->global = GlobalId::Storage;
    v->text = name;
  } else {
    std::string shown = module + "." + name;
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    fail("refused global '" + shown + "': only OrderedDict, tensor rebuilds and typed storages are allowed");
  }
  return v;
}

Value* Machine::persistent_load(Value* pid) {
  // torch.save: ('storage', storage_type, key, location, numel)
  if (pid->kind != Kind::Tuple || pid->items.size() != 5 || pid->items[0]->kind != Kind::String ||
      pid->items[0]->text != "storage")
    fail("persistent id is not a ('storage', type, key, location, numel) tuple");
  const auto& it = pid->items;
  if (it[1]->kind != Kind::Global || it[1]->global != GlobalId::Storage) fail("persistent id names no storage type");
  if (it[2]->kind != Kind::String || !safe_storage_key(it[2]->text)) fail("persistent id has an invalid storage key");
  if (it[3]->kind != Kind::String) fail("persistent id has a non-string location");
  if (it[4]->kind != Kind::Int || it[4]->integer < 0) fail("persistent id has an invalid element count");
  Value* v = make(Kind::Storage);
  v->tensor = std::make_unique<PickledTensor>();
  v->tensor->storage_type = it[1]->text;
  v->tensor->storage_key = it[2]->text;
  v->tensor->location = it[3]->text;
  v->tensor->storage_numel = static_cast<std::uint64_t>(it[4]->integer);
  return v;
}

Value* Machine::reduce(Value* callable, Value* args) {
  if (callable->kind != Kind::Global) fail(std::string("REDUCE calls a ") + kind_name(callable->kind));
  if (args->kind != Kind::Tuple) fail("REDUCE arguments are not a tuple");
  const auto& a = args->items;
  switch (callable->global) {
    case GlobalId::OrderedDict:
      if (!a.empty()) fail("OrderedDict is called with arguments");
      return make(Kind::Dict);
    case GlobalId::RebuildTensorV2: {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      if (a.size() != 6 && a.size() != 7) fail("_rebuild_tensor_v2 takes 6 or 7 arguments");
      if (a[0]->kind != Kind::Storage) fail("_rebuild_tensor_v2 is not given a storage");
      if (a[1]->kind != Kind::Int) fail("_rebuild_tensor_v2 storage offset is not an int");
      if (a[2]->kind != Kind::Tuple || a[3]->kind != Kind::Tuple) fail("_rebuild_tensor_v2 size/stride are not tuples");
      if (a[2]->items.size() != a[3]->items.size()) fail("_rebuild_tensor_v2 size and stride differ in length");
      if (a[2]->items.size() > kMaxDims) fail("tensor has more than " + std::to_string(kMaxDims) + " dimensions");
      Value* v = make(Kind::Tensor);
      v->tensor = std::make_unique<PickledTensor>(*a[0]->tensor);
      v->tensor->storage_offset = a[1]->integer;
      for (std::size_t i = 0; i < a[2]->items.size(); ++i) {
        const Value* s = a[2]->items[i];
        const Value* t = a[3]->items[i];
        if (s->kind != Kind::Int || t->kind != Kind::Int) fail("_rebuild_tensor_v2 size/stride hold a non-int");
        v->tensor->size.push_back(s->integer);
        v->tensor->stride.push_back(t->integer);
      }
      return v;
    }
    case GlobalId::RebuildParameter:
    case GlobalId::RebuildParameterWithState: {
      // (data, requires_grad, backward_hooks[, state]): the parameter is its data tensor.
      const std::size_t want = callable->global == GlobalId::RebuildParameter ? 3 : 4;
      if (a.size() != want || a[0]->kind != Kind::Tensor) fail("_rebuild_parameter is not given (tensor, ...)");
      return a[0];
    }
    case GlobalId::Storage: fail("a storage type is called directly");
  }
  fail("REDUCE of an unknown global");
}

void Machine::set_items(Value* dict, const std::vector<Value*>& kv) {
  if (dict->kind != Kind::Dict) fail(std::string("SETITEM(S) on a ") + kind_name(dict->kind));
  if (kv.size() % 2 != 0) fail("SETITEMS with an odd number of items");
  for (std::size_t i = 0; i < kv.size(); i += 2) dict->entries.emplace_back(kv[i], kv[i + 1]);
}

Value* Machine::run() {
  while (true) {
    op_pos_ = pos_;
    const std::uint8_t op = *take(1);
    switch (op) {
      case 0x80: {  // PROTO
        const std::uint8_t proto = *take(1);
        if (proto > 5) fail("pickle protocol " + std::to_string(proto) + " is unknown");
        break;
      }
      case 0x95: take(8); break;  // FRAME: a length hint only
      case '.': {                 // STOP
        Value* result = pop();
        return result;
      }
      case '(':  // MARK
        if (marks_.size() >= limits_.max_stack) fail("too many MARKs");
        marks_.push_back(stack_.size());
        break;
      case '}': push(make(Kind::Dict)); break;
      case ']': push(make(Kind::List)); break;
      case ')': push(make(Kind::Tuple)); break;
      case 'd': {  // DICT
        auto items = pop_mark();
        Value* d = make(Kind::Dict);
        set_items(d, items);
        push(d);
        break;
      }
      case 'l':  // LIST
      case 't': {  // TUPLE
        auto items = pop_mark();
        Value* v = make(op == 'l' ? Kind::List : Kind::Tuple);
        v->items = std::move(items);
        push(v);
        break;
      }
      case 0x85:
      case 0x86:
      case 0x87: {  // TUPLE1..3
        const std::size_t n = op - 0x84;
        Value* v = make(Kind::Tuple);
        v->items.resize(n);
        for (std::size_t i = n; i-- > 0;) v->items[i] = pop();
        push(v);
        break;
      }
      case 's': {  // SETITEM
        Value* value = pop();
        Value* key = pop();
        set_items(top(), {key, value});
        break;
      }
      case 'u': {  // SETITEMS
        auto items = pop_mark();
        set_items(top(), items);
        break;
      }
      case 'a': {  // APPEND
        Value* value = pop();
        Value* list = top();
        if (list->kind != Kind::List) fail(std::string("APPEND to a ") + kind_name(list->kind));
        list->items.push_back(value);
        break;
      }
      case 'e': {  // APPENDS
        auto items = pop_mark();
        Value* list = top();
        if (list->kind != Kind::List) fail(std::string("APPENDS to a ") + kind_name(list->kind));
        list->items.insert(list->items.end(), items.begin(), items.end());
        break;
      }
      case 'J': push(integer(static_cast<std::int32_t>(le(4)))); break;  // BININT
      case 'K': push(integer(static_cast<std::int64_t>(le(1)))); break;  // BININT1
      case 'M': push(integer(static_cast<std::int64_t>(le(2)))); break;  // BININT2
      case 0x8a: {  // LONG1: little-endian two's complement of n bytes
        const std::size_t n = *take(1);
        if (n > 8) fail("integer wider than 64 bits");
        std::uint64_t v = n ? le(n) : 0;
        if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~std::uint64_t{0} << (8 * n);  // sign-extend
        push(integer(static_cast<std::int64_t>(v)));
        break;
      }
      case 'G': {  // BINFLOAT: big-endian IEEE double
        const std::uint8_t* p = take(8);
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];
        Value* v = make(Kind::Float);
        std::memcpy(&v->real, &bits, 8);
        push(v);
        break;
      }
      case 'N': push(make(Kind::None)); break;
      case 0x88:
      case 0x89: {  // NEWTRUE, NEWFALSE
        Value* v = make(Kind::Bool);
        v->boolean = op == 0x88;
        push(v);
        break;
      }
      case 'X': push(string(le(4))); break;     // BINUNICODE
      case 0x8c: push(string(le(1))); break;    // SHORT_BINUNICODE
      case 0x8d: push(string(le(8))); break;    // BINUNICODE8
      case 'q': memo_put(le(1)); break;         // BINPUT
      case 'r': memo_put(le(4)); break;         // LONG_BINPUT
      case 0x94: memo_put(memo_.size()); break;  // MEMOIZE
      case 'h': memo_get(le(1)); break;         // BINGET
      case 'j': memo_get(le(4)); break;         // LONG_BINGET
      case 'Q': push(persistent_load(pop())); break;  // BINPERSID
      case 'R': {  // REDUCE
        Value* args = pop();
        Value* callable = pop();
        push(reduce(callable, args));
        break;
      }
      case 'b': {  // BUILD: only OrderedDict attributes (`_metadata`), which we ignore
        pop();
        Value* target = top();
        if (target->kind != Kind::Dict) fail(std::string("BUILD on a ") + kind_name(target->kind));
        break;
      }
      case 'c': {  // GLOBAL
        std::string module = line();
        std::string name = line();
        push(global(module, name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        Value* name = pop();
        Value* module = pop();
        if (name->kind != Kind::String || module->kind != Kind::String) fail("STACK_GLOBAL needs two strings");
        push(global(module->text, name->text));
        break;
      }
      case '0': pop(); break;  // POP
      case '1': pop_mark(); break;  // POP_MARK
      case '2': push(top()); break;  // DUP
      default: {
        char hex[8];
        std::snprintf(hex, sizeof(hex), "0x%02x", op);
        std::string shown = hex;
        if (op >= 0x20 && op < 0x7f) shown += std::string(" '") + static_cast<char>(op) + "'";
        fail("unsupported opcode " + shown);
      }
    }
  }
}

void Machine::validate(const PickledTensor& t) const {
  auto bad = [&](const std::string& what) { throw_format(file_, what, t.name); };
  if (t.storage_offset < 0) bad("negative storage offset");
  std::uint64_t numel = 1;
  std::uint64_t last = static_cast<std::uint64_t>(t.storage_offset);
  for (std::size_t i = 0; i < t.size.size(); ++i) {
    if (t.size[i] < 0 || t.stride[i] < 0) bad("negative size or stride");
    if (__builtin_mul_overflow(numel, static_cast<std::uint64_t>(t.size[i]), &numel) ||
        numel > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      bad("element count overflows");
  }
  if (numel == 0) {
    if (static_cast<std::uint64_t>(t.storage_offset) > t.storage_numel) bad("storage offset is past the end of its storage");
    return;
  }
  for (std::size_t i = 0; i < t.size.size(); ++i) {
    std::uint64_t reach = 0;
    if (__builtin_mul_overflow(static_cast<std::uint64_t>(t.size[i] - 1), static_cast<std::uint64_t>(t.stride[i]), &reach) ||
        __builtin_add_overflow(last, reach, &last))
      bad("size x stride overflows");
  }
  if (last >= t.storage_numel)
    bad("size and stride reach element " + std::to_string(last) + " but storage '" + t.storage_key + "' holds " +
        std::to_string(t.storage_numel) + " elements");
}

void Machine::flatten(const Value* dict, const std::string& prefix, std::size_t depth, PickledStateDict& out) {
  for (const auto& [k, v] : dict->entries) {
    std::string key;
    if (k->kind == Kind::String)
      key = k->text;
    else if (k->kind == Kind::Int)
      key = std::to_string(k->integer);  // e.g. optimizer state {0: {...}}
    else
      key = std::string("<") + kind_name(k->kind) + " key>";
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (name.size() > limits_.max_name) throw_format(file_, "a flattened tensor name is longer than " + std::to_string(limits_.max_name) + " characters");
    if (++visited_ > limits_.max_leaves) throw_format(file_, "state dict has more than " + std::to_string(limits_.max_leaves) + " entries");
    if (k->kind != Kind::String && k->kind != Kind::Int) {
      if (out.skipped.size() < kMaxSkippedNames) out.skipped.push_back(name);
      continue;
    }
    if (v->kind == Kind::Tensor) {
      PickledTensor t = *v->tensor;
      t.name = name;
      validate(t);
      out.tensors.push_back(std::move(t));
    } else if (v->kind == Kind::Dict) {
      if (depth + 1 > limits_.max_depth) throw_format(file_, "dicts are nested deeper than " + std::to_string(limits_.max_depth), name);
      flatten(v, name, depth + 1, out);
    } else if (out.skipped.size() < kMaxSkippedNames) {
      out.skipped.push_back(name);
    }
  }
}

}  // namespace

bool is_known_storage_type(const std::string& name) {
  for (const char* s : kStorageTypes)
    if (name == s) return true;
  return false;
}

PickledStateDict unpickle_state_dict(const std::uint8_t* data, std::size_t size, const std::string& file,
                                     const UnpickleLimits& limits) {
  Machine machine(data, size, file, limits);
  const Value* result = machine.run();
  if (result->kind != Kind::Dict)
    throw_format(file, std::string("pickle holds a ") + kind_name(result->kind) + ", not a state dict");
  PickledStateDict out;
  machine.flatten(result, "", 0, out);
  return out;
}

}  // namespace seedcanvas::io
