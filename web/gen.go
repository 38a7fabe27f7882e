package web

// Rebuild inspector.wasm (and third_party/golang/) after changing wasm/ (or the
// packages it links: recording, analysis, rundiff, runfolder,
// internal/recjson; or the Go toolchain), then commit them:
//
//	go generate ./web
//
// which is go run ./web/internal/wasmbuild -o web, i.e.
//
//	GOOS=js GOARCH=wasm go build -trimpath -buildvcs=false -gcflags=github.com/sessiontrace/sessiontrace/wasm=-l -ldflags="-s -w -buildid=" -o web/inspector.wasm ./wasm
//	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$(go env GOROOT)/LICENSE" web/third_party/golang/

//go:generate go run ./internal/wasmbuild -o .
