#!/usr/bin/env bash
# seedcanvas-cli on a demo pack of its own making: what each workflow writes, that a seed
# reproduces a picture, and that bad input gives exit status 1 with one clear line.
set -uo pipefail
cli="$1"
work="$2/test-scratch/e2e_cli_workflows"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }

"$cli" make-demo-pack pack >make.log 2>&1 || { cat make.log; echo "FAIL: make-demo-pack"; exit 1; }
run() { "$cli" "$@" --pack pack --steps 2 -q; }

# generate: a PNG; the same seed gives the same pixels, another seed other ones.
run generate --seed 5 "a red fox in snow" -o a.png 2>gen.log || fail "generate: $(tail -1 gen.log)"
run generate --seed 5 "a red fox in snow" -o b.png 2>/dev/null || fail "generate again"
run generate --seed 6 "a red fox in snow" -o c.png 2>/dev/null || fail "generate seed 6"
is_png a.png || fail "generate did not write a PNG"
# The writer records codes, seed and prompt, no date: equal pictures give equal files.
cmp -s a.png b.png || fail "seed 5 twice gave different files"
cmp -s a.png c.png && fail "seeds 5 and 6 gave the same file"
"$cli" tokenize-image a.png --tokenizer pack/seed_tokenizer >codes.txt 2>/dev/null || fail "tokenize-image a.png"
[ "$(head -1 codes.txt | wc -w)" -gt 0 ] || fail "tokenize-image printed no codes"

# ask and edit on the picture just made; --image repeats, options may follow the question.
run ask --image a.png --image c.png "Which is brighter?" >ask2.txt 2>ask2.log || fail "ask two: $(tail -1 ask2.log)"
run ask --image a.png "What is in this picture?" >ask.txt 2>ask.log || fail "ask: $(tail -1 ask.log)"
[ -s ask.txt ] || fail "ask printed no answer"
run edit --image a.png "make it winter" -o edited.png 2>edit.log || fail "edit: $(tail -1 edit.log)"
is_png edited.png || fail "edit did not write a PNG"

# Bad input: status 1, one line naming the file, nothing written.
head -c 300 a.png >truncated.png
echo "not an image" >fake.png
for bad in truncated.png fake.png missing.png; do
  run ask --image "$bad" "what is this?" >/dev/null 2>bad.log
  rc=$?
  [ "$rc" -eq 1 ] || fail "ask on $bad: exit status $rc, expected 1"
  # (libpng may add its own line on stderr; ours is the one starting with the program's name)
  n=$(grep -c "^seedcanvas-cli ask: error" bad.log)
  [ "$n" -eq 1 ] || fail "ask on $bad: $n error lines: $(cat bad.log)"
  grep "^seedcanvas-cli ask: error" bad.log | grep -q "$bad" || fail "ask on $bad: the error does not name the file"
done
run edit --image truncated.png "make it blue" -o never.png 2>/dev/null && fail "edit of a truncated image succeeded"
[ -e never.png ] && fail "a failed edit left never.png"
"$cli" generate --pack . --steps 2 "x" -o never.png >/dev/null 2>pack.log
[ $? -eq 1 ] || fail "generate with a folder that is no pack: status not 1"
grep -q "not a model pack" pack.log || fail "no-pack error unclear: $(cat pack.log)"

# A scripted chat: a typo is refused rather than sent, /draw TEXT draws, /save writes it,
# an attached image is read, /reset forgets.
cat >script.txt <<'CHAT'
/save 1 early.png
/hlep
/draw a lighthouse at dusk
/save 1 chat.png
/image a.png
Describe this picture.
/reset
/save 1 late.png
/quit
CHAT
"$cli" chat --pack pack --steps 2 --max-new-tokens 64 <script.txt >chat.out 2>chat.log || fail "chat exited with $?"
tr '\r' '\n' <chat.log >chat.txt
grep -q "no picture to save yet" chat.txt || fail "chat: /save before any picture was not refused"
grep -q "unknown command /hlep" chat.txt || fail "chat: a mistyped command was not refused"
grep -q "image 1 ready" chat.txt || fail "chat: /draw TEXT drew nothing"
is_png chat.png || fail "chat: /save did not write chat.png"
grep -q "attached a.png" chat.txt || fail "chat: /image was not attached"
[ -e early.png ] && fail "chat: /save wrote a file before any picture"
[ -e late.png ] && fail "chat: /save after /reset wrote a file"

# The text-only chat on the pack's language model refuses a typo the same way and answers text.
printf '/hlep\nhello\n/quit\n' | "$cli" chat --model pack/llm --max-new-tokens 8 >text.out 2>text.log ||
  fail "text chat exited with $?"
grep -q "unknown command /hlep" text.log || fail "text chat: a mistyped command was not refused"
[ -s text.out ] || fail "text chat printed no answer"

[ "$failures" -eq 0 ] || { echo "$failures failure(s); logs in $work"; exit 1; }
echo "e2e_cli_workflows: all checks passed"
