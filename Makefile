# sessiontrace: the two commands a new user needs are `make demo` and
# `make test`. Both install what they need (Chromium via apt when run as
# root) or say exactly what is missing.

GO       ?= go
BIN      := bin/sessiontrace
REPORT   ?= sessiontrace-report


.PHONY: all build demo test lint vet unit wasm-core chromium bench fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cli/sessiontrace

chromium:
	@scripts/ensure-chromium.sh >/dev/null

## demo: run the bundled lab suite in Chromium and show the report
demo: chromium build
	$(BIN) run --lab -o $(REPORT) scenarios/lab

## test: the whole test suite (Go tests incl. real-Chromium end-to-end, vet, lint, wasm build)
test: chromium lint wasm-core
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...

lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt: not formatted:"; echo "$$out"; exit 1; fi
	$(GO) tool staticcheck ./...

## wasm-core: the pure core must build for the inspector (GOOS=js GOARCH=wasm)
wasm-core:
	GOOS=js GOARCH=wasm $(GO) build ./recording/... ./scenarios/...

## bench: benchmarks; results and how to read them in docs/benchmarks.md
bench: chromium
	$(GO) test -run '^$$' -bench . -benchtime 20x -count 1 ./harness/ | tee bench.out

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./recording -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME)
	$(GO) test ./recording -run '^$$' -fuzz FuzzParseSetCookie -fuzztime $(FUZZTIME)
	$(GO) test ./scenarios -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./scenarios -run '^$$' -fuzz FuzzResolve -fuzztime $(FUZZTIME)

clean:
	rm -rf bin $(REPORT) bench.out
