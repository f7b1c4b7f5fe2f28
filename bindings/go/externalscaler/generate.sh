#!/usr/bin/env bash
# Regenerate externalscaler.pb.go and externalscaler_grpc.pb.go from externalscaler.proto
# (KEDA's External Scaler protocol, copied verbatim from KEDA). The generated files are
# committed, so building the binding or the scaler never needs protoc; run this only after
# changing the proto or the generator versions below.
#
# Needs protoc (Debian: protobuf-compiler) and the Go plugins, installed from the Go module
# proxy at the pinned versions.
set -euo pipefail
cd "$(dirname "$0")"

PROTOC_GEN_GO_VERSION=v1.36.11
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2

if ! command -v protoc >/dev/null; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq protobuf-compiler >/dev/null
fi
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
GOBIN="$bin" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
GOBIN="$bin" go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"

# The proto says go_package ".;externalscaler"; the M option maps it to this package's
# import path without editing KEDA's file.
pkg=github.com/libkairos/kairos-go/externalscaler
PATH="$bin:$PATH" protoc -I . \
    --go_out=. --go_opt=paths=source_relative --go_opt=Mexternalscaler.proto="$pkg" \
    --go-grpc_out=. --go-grpc_opt=paths=source_relative \
    --go-grpc_opt=Mexternalscaler.proto="$pkg" \
    externalscaler.proto
echo "generated: $(ls ./*.pb.go | tr '\n' ' ')"
