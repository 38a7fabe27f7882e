// Package runfolder is the run folder: its layout, and the reading and
// writing of the files in it, for the suite runner (harness), the
// commands (cli) and the inspector (wasm). It also tells every kind of
// input apart (Sniff): a recording, a run index, a HAR file, a scenario
// file or something else, the same way for all of them.
//
//	sessiontrace-report/
//	  index.json              the run index (sessiontrace.run/v1), written at the end
//	  recordings/<name>.json  one recording per scenario (and per earlier attempt)
//	  screenshots/<file>      images taken by screenshot steps
//	  findings.json           the audit report (sessiontrace.audit/v1, as audit --format json writes it)
//	  summary.json            the outcome for scripts (sessiontrace.summary/v1)
//	  junit.xml               the JUnit report (written by merge)
//	  index.html, ...         the inspector (package web's files)
//
// Every file is written through a temporary file and a rename, so a
// reader never sees half a file.
//
// The inspector links only what reads: Sniff, DecodeRecording,
// DecodeIndex and the names. The files that touch the file system, and
// those that import encoding/json or the inspector's own files (package
// web), are built for everything but GOOS=js.
package runfolder
