#!/usr/bin/env bash
# Speed and memory of Star finder beside pdftotext (the anchor), in one run
# on one machine, so the ratios mean something.
#
#   scripts/bench.sh [CORPUS_DIR]     default ../shared/corpus/kali (400 real agreements)
#   EXTRACT_ONLY=1 scripts/bench.sh   only the extraction comparison
#
# Needs pdftotext (Debian: apt-get install -y poppler-utils) and GNU time
# (apt-get install -y time) for peak memory. Prints pages/s, documents/s,
# ratios and peak RSS; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-../shared/corpus/kali}
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS"; exit 2; }
command -v pdftotext >/dev/null || { echo "pdftotext is missing: apt-get install -y poppler-utils"; exit 2; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time is missing: apt-get install -y time"; exit 2; }

cargo build --release --quiet
BIN=$PWD/target/release/starfinder
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

mapfile -t PDFS < <(ls "$CORPUS"/*.pdf | sort)
N=${#PDFS[@]}
PAGES=0
for f in "${PDFS[@]}"; do
  p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  PAGES=$((PAGES + ${p:-0}))
done
echo "corpus: $CORPUS, $N PDFs, $PAGES pages"

now() { date +%s.%N; }
rate() { python3 -c "import sys; print(f'{float(sys.argv[1])/eval(sys.argv[2]):.0f}')" "$1" "$2"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }

# 1. Extraction, one process per file, one core: pdftotext vs starfinder extract.
#    The two take turns file by file, so that a slower moment of a shared
#    machine falls on both rather than on one; three passes, added up.
PT=0; ST=0
for pass in 1 2 3; do
  pt=0; st=0
  for f in "${PDFS[@]}"; do
    t0=${EPOCHREALTIME/./}
    taskset -c 0 pdftotext -enc UTF-8 "$f" "$TMP/p.txt" 2>/dev/null || true
    t1=${EPOCHREALTIME/./}
    taskset -c 0 "$BIN" extract "$f" > "$TMP/s.txt" 2>/dev/null || true
    t2=${EPOCHREALTIME/./}
    pt=$((pt + 10#$t1 - 10#$t0)); st=$((st + 10#$t2 - 10#$t1))
  done
  echo "  pass $pass: pdftotext $(rate $PAGES "$pt/1e6") pages/s, starfinder $(rate $PAGES "$st/1e6") pages/s, ratio $(ratio $pt $st)x"
  PT=$((PT + pt)); ST=$((ST + st))
done
PT=$(python3 -c "print($PT/3e6)"); ST=$(python3 -c "print($ST/3e6)")
echo "extract, 1 thread: pdftotext $(rate $PAGES $PT) pages/s; starfinder $(rate $PAGES $ST) pages/s; ratio $(ratio $PT $ST)x"
[ "${EXTRACT_ONLY:-0}" = 1 ] && exit 0

# 2. Full runs (extract, tag, write), cold, 1 and 2 threads.
for th in 1 2; do
  rm -rf "$TMP/out$th"
  $TIME -f "%e %M" -o "$TMP/time$th" "$BIN" run "$CORPUS" --out "$TMP/out$th" --threads "$th" --quiet || true
  read -r secs kb < "$TMP/time$th"
  echo "run, $th thread(s), cold: $secs s, $(rate $N $secs) documents/s, $(rate $PAGES $secs) pages/s, peak RSS $((kb / 1024)) MB, pdftotext ratio $(ratio $PT $secs)x"
done

# 3. Warm re-run on the unchanged corpus plus the labelled set, as nightly
#    runs meet it: a cold run, then the same again from the cache.
GOLD=$(dirname "$CORPUS")/../gold/dev
WARM_IN=("$CORPUS")
[ -d "$GOLD" ] && WARM_IN+=("$GOLD")
rm -rf "$TMP/outw"
$TIME -f "%e %M" -o "$TMP/timewc" "$BIN" run "${WARM_IN[@]}" --out "$TMP/outw" --threads 2 --quiet || true
$TIME -f "%e %M" -o "$TMP/timew" "$BIN" run "${WARM_IN[@]}" --out "$TMP/outw" --threads 2 --quiet || true
read -r wsecs wkb < "$TMP/timew"
read -r csecs _ < "$TMP/timewc"
echo "run, 2 threads, ${WARM_IN[*]}: cold $csecs s, warm $wsecs s ($(ratio $csecs $wsecs)x faster than cold), warm peak RSS $((wkb / 1024)) MB"

# 4. Peak memory, corpus once and copied ten times (real copies: a link to
#    the same file is one document; --force so the copies are all processed).
mkdir -p "$TMP/x10"
for i in $(seq 1 10); do
  mkdir -p "$TMP/x10/c$i"
  cp "${PDFS[@]}" "$TMP/x10/c$i/"
done
$TIME -f "%e %M" -o "$TMP/time10" "$BIN" run "$TMP/x10" --out "$TMP/out10" --threads 2 --quiet --force || true
read -r s10 kb10 < "$TMP/time10"
read -r _ kb1 < "$TMP/time2"
echo "peak RSS, 2 threads: corpus once $((kb1 / 1024)) MB, ten times ($((N * 10)) documents) $((kb10 / 1024)) MB in $s10 s"

# 5. DOCX reading and ACCO deliveries (issue 5): the DOCX files of the corpus,
#    and a delivery of 1,500 agreements built from them.
DOCX=$(ls "$CORPUS"/*.docx 2>/dev/null | wc -l)
if [ "$DOCX" -gt 0 ]; then
  mkdir -p "$TMP/docx"
  cp "$CORPUS"/*.docx "$TMP/docx/"
  MB=$(du -sm "$TMP/docx" | cut -f1)
  $TIME -f "%e %M" -o "$TMP/timed" "$BIN" run "$TMP/docx" --out "$TMP/outd" --threads 1 --quiet --force || true
  read -r dsecs dkb < "$TMP/timed"
  echo "docx, 1 thread: $DOCX files ($MB MB) in $dsecs s: $(rate $DOCX $dsecs) documents/s, $(rate $MB $dsecs) MB/s"
  cargo build --release --quiet --example make_delivery
  target/release/examples/make_delivery "$TMP/docx" 1500 "$TMP/ACCO_20240101-000000.tar.gz"
  AMB=$(du -m "$TMP/ACCO_20240101-000000.tar.gz" | cut -f1)
  $TIME -f "%e %M" -o "$TMP/timea" "$BIN" run "$TMP/ACCO_20240101-000000.tar.gz" --out "$TMP/outa" --threads 2 --quiet --force || true
  read -r asecs akb < "$TMP/timea"
  echo "delivery of 1500 agreements ($AMB MB compressed), 2 threads: $asecs s, $(rate 1500 $asecs) documents/s, peak RSS $((akb / 1024)) MB"
fi

# 6. Company pages (issue 7): a run over 2,000 agreements of 500 companies
#    built from the samples' shape, then the site.
cargo build --release --quiet --example make_corpus
target/release/examples/make_corpus "$TMP/c2000" 2000 500
"$BIN" run "$TMP/c2000" --out "$TMP/out2000" --quiet || true
t0=$(now)
"$BIN" report "$TMP/out2000" --html "$TMP/site2000" --quiet
t1=$(now)
largest=$(find "$TMP/site2000" -name '*.html' -printf '%s\n' | sort -n | tail -1)
pages=$(find "$TMP/site2000" -name '*.html' | wc -l)
echo "report: 2000 agreements, $pages pages in $(python3 -c "print(f'{$t1-$t0:.2f}')") s, largest page $((largest / 1024)) KB"
