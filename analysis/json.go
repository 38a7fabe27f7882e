package analysis

// The reader of a finding lives beside its type: the decoders of other
// packages that read findings (runfolder's, of findings.json for the
// inspector's overview) call it rather than keeping a copy.
//
//go:generate go run github.com/sessiontrace/sessiontrace/internal/recjson/gen -out decode_gen.go -export Finding,Reset
