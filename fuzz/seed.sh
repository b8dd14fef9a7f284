#!/bin/sh
# Builds fuzz/corpus/<target>/ from the project's own files (run from anywhere; existing corpus
# files are kept). Seeds: the Shopify fixture and simulator pages, the README's config example,
# the keymap presets, and the simulator's CSV exports (fuzz/seeds/ holds the committed ones).
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
corpus="$fuzz/corpus"
mkdir -p "$corpus/shopify_orders_page" "$corpus/config" "$corpus/keymap" "$corpus/csv_import"

cp "$root"/tests/fixtures/shopify/*.json "$fuzz"/seeds/shopify_orders_page/* \
    "$corpus/shopify_orders_page/"

# The config example of README.md (the first ```toml block), then the committed ones.
awk '/^```toml$/ {on = 1; next} /^```$/ && on {exit} on' "$root/README.md" \
    > "$corpus/config/readme.toml"
cp "$fuzz"/seeds/config/* "$corpus/config/"

cp "$root"/keymaps/*.toml "$fuzz"/seeds/keymap/* "$corpus/keymap/"
cp "$fuzz"/seeds/csv_import/* "$corpus/csv_import/"
for t in shopify_orders_page config keymap csv_import; do
    echo "$t: $(ls "$corpus/$t" | wc -l) files"
done
