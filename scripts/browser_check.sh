#!/usr/bin/env bash
# The company site in a real browser (Debian's chromium, headless): no
# console error, the filter narrows the list, a company page shows its stars
# and evidence; keeps screenshots in target/browser/.
#
#   scripts/browser_check.sh            (needs: apt-get install -y chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "chromium is missing: apt-get install -y chromium"; exit 2; }

cargo build --release --quiet
BIN=$PWD/target/release/starfinder
OUT=$PWD/target/browser
rm -rf "$OUT"
mkdir -p "$OUT"
"$BIN" run samples --out "$OUT/run" --quiet
"$BIN" report "$OUT/run" --html "$OUT/site" --quiet

passed=0
failed=0
check() { # name, condition result
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
browse() { # url, then extra flags; prints the DOM, logs to $OUT/console.log
  local profile
  profile=$(mktemp -d)
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 "${@:2}" "$1" 2>>"$OUT/console.log"
  rm -rf "$profile"
}

INDEX="file://$OUT/site/index.html"
all=$(browse "$INDEX" --dump-dom | grep -o '<li data-k' | wc -l)
narrow=$(browse "$INDEX?theme=teletravail" --dump-dom | grep -o '<li [^>]*hidden' | wc -l)
shown=$(browse "$INDEX?q=orion" --dump-dom | grep -o '[0-9]* entreprise(s)' | head -1)
echo "companies: $all; hidden by theme=teletravail: $narrow; search 'orion': $shown"
check "index lists every company" "$([ "$all" -eq 4 ] && echo 0 || echo 1)"
check "the theme filter narrows the list" "$([ "$narrow" -ge 1 ] && [ "$narrow" -lt "$all" ] && echo 0 || echo 1)"
check "the search finds one company" "$([ "$shown" = "1 entreprise(s)" ] && echo 0 || echo 1)"

PAGE=$(ls "$OUT/site/entreprises/" | grep 552100554 | head -1)
dom=$(browse "file://$OUT/site/entreprises/$PAGE" --dump-dom)
check "a company page shows stars" "$(echo "$dom" | grep -q '★' && echo 0 || echo 1)"
check "a company page shows highlighted evidence" "$(echo "$dom" | grep -q '<mark>' && echo 0 || echo 1)"
check "evidence links to the document page" "$(echo "$dom" | grep -q '#page=' && echo 0 || echo 1)"
browse "file://$OUT/site/entreprises/$PAGE" --screenshot="$OUT/company.png" --window-size=412,900 >/dev/null
browse "$INDEX?theme=teletravail" --screenshot="$OUT/index.png" --window-size=1000,900 >/dev/null
check "screenshots taken" "$([ -s "$OUT/company.png" ] && [ -s "$OUT/index.png" ] && echo 0 || echo 1)"
errors=$(grep -E 'CONSOLE.*(Uncaught|Error)|Uncaught' "$OUT/console.log" | grep -v 'dbus\|gpu\|GPU\|sandbox' | wc -l || true)
check "no console error" "$([ "$errors" -eq 0 ] && echo 0 || echo 1)"
largest=$(find "$OUT/site" -name '*.html' -printf '%s\n' | sort -n | tail -1)
check "every page under 200 KB (largest $largest bytes)" "$([ "$largest" -lt 204800 ] && echo 0 || echo 1)"
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
