package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// audit --format json starts with its schema id and is the same bytes as
// the run folder's findings.json.
func TestJSONCarriesItsSchema(t *testing.T) {
	lab := rectest.Lab(t)
	in := inputOf(lab["restart"], lab["mixed"])
	var b bytes.Buffer
	if err := JSON.Write(&b, in); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"schema\": \"sessiontrace.audit/v1\",\n  \"findings\": ["; !strings.HasPrefix(b.String(), want) {
		t.Errorf("the report starts %.80q, want %q", b.String(), want)
	}
	dir := t.TempDir()
	if err := runfolder.Dir(dir).WriteFindings(in.Report); err != nil {
		t.Fatal(err)
	}
	if file, _ := os.ReadFile(filepath.Join(dir, runfolder.FindingsFile)); !bytes.Equal(file, b.Bytes()) {
		t.Errorf("findings.json differs from audit --format json")
	}
	// Readers of analysis.Report read it as before: the id is one more field.
	var rep analysis.Report
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil || !reflect.DeepEqual(&rep, in.Report) {
		t.Errorf("the report does not decode into analysis.Report as it was (%v)", err)
	}
}

// docs/audit-json.md has a table per object of the report with a row per
// field, every row a field of analysis.Report, and its example decodes
// into the report with no unknown field.
func TestAuditJSONDoc(t *testing.T) {
	data, err := os.ReadFile("../docs/audit-json.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	rows := docTables(doc)
	want := map[string][]string{"": {"schema"}}
	reportFields(reflect.TypeOf(analysis.Report{}), "", want, map[reflect.Type]bool{})
	for obj, fields := range want {
		if !slices.Equal(rows[obj], fields) {
			t.Errorf("docs/audit-json.md, %s: the table lists %v, the report has %v", tableName(obj), rows[obj], fields)
		}
	}
	for obj := range rows {
		if _, ok := want[obj]; !ok {
			t.Errorf("docs/audit-json.md: %s is no object of the report", tableName(obj))
		}
	}
	ex := regexp.MustCompile("(?s)```json\n(.*?)```").FindStringSubmatch(doc)
	if ex == nil {
		t.Fatal("docs/audit-json.md has no example")
	}
	var got struct {
		Schema string `json:"schema"`
		analysis.Report
	}
	dec := json.NewDecoder(strings.NewReader(ex[1]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil || got.Schema != runfolder.FindingsSchema || len(got.Sessions) == 0 || len(got.Sessions[0].Resets) == 0 {
		t.Errorf("the example is not a report with a reset (%v, schema %q)", err, got.Schema)
	}
}

func tableName(obj string) string {
	if obj == "" {
		return "the top level"
	}
	return "`" + obj + "`"
}

// docTables reads the field tables of the page: for each "### `path`"
// heading (the top level before the first), the first column's names.
func docTables(doc string) map[string][]string {
	out := map[string][]string{}
	heading := regexp.MustCompile("^### `([^`]+)`")
	row := regexp.MustCompile("^\\| `([A-Za-z]+)` \\|")
	obj := ""
	for _, line := range strings.Split(doc, "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			obj = m[1]
		} else if strings.HasPrefix(line, "## Example") {
			break
		} else if m := row.FindStringSubmatch(line); m != nil {
			out[obj] = append(out[obj], m[1])
		}
	}
	return out
}

// reportFields lists the JSON names of t's fields under path, and of the
// objects they hold: "sessions[]", "sessions[].ids[]", ... An object of a
// type met before (tokens[].ids[] are sessions[].ids[]) has its table
// there only.
func reportFields(t reflect.Type, path string, out map[string][]string, seen map[reflect.Type]bool) {
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[path] = append(out[path], name)
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && !seen[ft] {
			sub := name + "[]"
			if path != "" {
				sub = path + "." + sub
			}
			reportFields(ft, sub, out, seen)
		}
	}
}
