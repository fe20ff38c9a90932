#!/usr/bin/env bash
# Vendors the site's front-end packages from the npm registry into <package>/ here, at the versions
# and tarball integrities written in VENDORED, and writes each file's sha256 into SHA256SUMS
# (tests/test_vendor.py checks them, so a changed vendored file fails the tests). Nothing is ever
# downloaded at build or run time. To upgrade a package: change its version and integrity
# (`npm view <package>@<version> dist.integrity`) in VENDORED, run this, run the tests.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$work/sums"
grep -v '^#' VENDORED | while read -r package version integrity license files; do
    [ -n "$package" ] || continue
    (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
    tarball="$work/$(echo "$package" | sed 's/^@//; s#/#-#')-$version.tgz"
    got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$got" != "$integrity" ]; then
        echo "error: $package@$version is $got, VENDORED says $integrity" >&2
        exit 1
    fi
    rm -rf "${work:?}/package" "$package"
    tar -xzf "$tarball" -C "$work"
    for file in $files; do
        mkdir -p "$package/$(dirname "$file")"
        cp "$work/package/$file" "$package/$file"
        (sha256sum "$package/$file") >> "$work/sums"
    done
    echo "$package $version ($license) vendored"
done
sort -k2 "$work/sums" > SHA256SUMS
