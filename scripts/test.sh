#!/usr/bin/env bash
# Sets up a fresh machine (Debian packages) and runs the whole test suite.
# Tests run on a release build with testing enabled: the CNN and detector tests are numeric and
# debug builds run them 10-50x slower. All tests are XCTest (Swift Testing is disabled so the closing
# summary line is XCTest's).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec swift test -c release -Xswiftc -enable-testing --disable-swift-testing "$@"
