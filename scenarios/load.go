package scenarios

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ParseFile reads and parses the scenario file at path.
func ParseFile(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, ErrorList{ioError(path, err)}
	}
	return Parse(path, data)
}

// Load parses the files and folders named by paths. Folders are searched
// recursively for *.yaml and *.yml files, in lexical order; hidden
// folders are skipped. It returns the scenarios that parsed and, if any
// did not, an ErrorList of every file's problems. A folder without
// scenario files is an error: a mistyped path must not pass a CI gate.
func Load(paths ...string) ([]*Scenario, error) {
	var files []string
	var errs ErrorList
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			errs = append(errs, ioError(root, err))
			continue
		}
		if !info.IsDir() {
			files = append(files, root)
			continue
		}
		found := 0
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, ioError(p, err))
				return nil
			}
			if skip, yes := walkFilter(p, root, d); yes {
				return skip
			}
			files = append(files, p)
			found++
			return nil
		})
		if err == nil && found == 0 {
			errs = append(errs, &Error{Pos: Pos{File: root}, Msg: "no scenario files (*.yaml, *.yml) in this folder"})
		}
	}
	return parseAll(files, errs, ParseFile)
}

// LoadFS is Load over a file system, such as the embedded LabSuite.
// root is a file or folder in fsys; positions name files by their path
// in fsys.
func LoadFS(fsys fs.FS, root string) ([]*Scenario, error) {
	var files []string
	var errs ErrorList
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, ioError(p, err))
			return nil
		}
		if p == root && !d.IsDir() {
			files = append(files, p)
			return nil
		}
		if skip, yes := walkFilter(p, root, d); yes {
			return skip
		}
		files = append(files, p)
		return nil
	})
	if err == nil && len(files) == 0 && len(errs) == 0 {
		errs = append(errs, &Error{Pos: Pos{File: root}, Msg: "no scenario files (*.yaml, *.yml) in this folder"})
	}
	return parseAll(files, errs, func(name string) (*Scenario, error) {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, ErrorList{ioError(name, err)}
		}
		return Parse(name, data)
	})
}

// walkFilter tells a directory walk to skip p (with the error to
// return) unless p is a scenario file.
func walkFilter(p, root string, d fs.DirEntry) (skip error, yes bool) {
	if d.IsDir() {
		if p != root && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir, true
		}
		return nil, true
	}
	switch strings.ToLower(path.Ext(d.Name())) {
	case ".yaml", ".yml":
		return nil, false
	}
	return nil, true
}

func parseAll(files []string, errs ErrorList, parse func(string) (*Scenario, error)) ([]*Scenario, error) {
	var out []*Scenario
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f] {
			continue // named twice on the command line
		}
		seen[f] = true
		sc, err := parse(f)
		var list ErrorList
		switch {
		case err == nil:
			out = append(out, sc)
		case errors.As(err, &list):
			errs = append(errs, list...)
		default:
			errs = append(errs, &Error{Pos: Pos{File: f}, Msg: err.Error()})
		}
	}
	return out, errs.Err()
}

// ioError makes an Error of a file system error, without repeating the
// path that Pos already shows.
func ioError(name string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &Error{Pos: Pos{File: name}, Msg: err.Error()}
}
