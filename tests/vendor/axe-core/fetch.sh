#!/usr/bin/env bash
# Vendors axe-core for the accessibility tests (tests/integration/test_accessibility.py) from the npm
# registry, at the version and integrity written in VERSION. The tests inject it into the pages they
# check; the site never loads it, and no test downloads anything. To upgrade: change VERSION's
# version and integrity (`npm view axe-core@X dist.integrity`), run this, run the accessibility tests.
set -euo pipefail
cd "$(dirname "$0")"
version=$(sed -n 's/^version: //p' VERSION)
integrity=$(sed -n 's/^integrity: //p' VERSION)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$version" >/dev/null)
tarball="$work/axe-core-$version.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$integrity" ]; then
    echo "error: axe-core-$version.tgz is $got, VERSION says $integrity" >&2
    exit 1
fi
tar -xzf "$tarball" -C "$work" package/axe.min.js package/LICENSE
cp "$work/package/axe.min.js" "$work/package/LICENSE" .
sed -i "s/^axe.min.js sha256: .*/axe.min.js sha256: $(sha256sum axe.min.js | cut -d' ' -f1)/" VERSION
echo "axe-core $version vendored"
