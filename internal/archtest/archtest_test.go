package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/ragkb/ragkb"

type role int

const (
	roleRoot role = iota
	roleLibrary
	roleComposition
	roleAdapter
)

func (r role) String() string {
	return [...]string{"root", "library", "composition root", "adapter"}[r]
}

// libraries are the packages (and, for internal, trees) any package may import.
var libraries = []string{"internal/...", "store", "connectors", "answer/guard", "answer/lang", "answer/intent", "answer/triage"}

// compositions may import anything.
var compositions = []string{"cmd/...", "app", "connectors/all"}

// debt lists the imports that still break the rule: importer -> imported,
// with what they borrow and the way out. Remove an entry when its import
// goes; the test fails while a listed import no longer exists. It is empty:
// keep it so, by moving what two adapters share to the root (or to an
// internal library) instead of adding an entry.
var debt = map[[2]string]string{}

func match(rel string, patterns []string) bool {
	for _, p := range patterns {
		if tree, ok := strings.CutSuffix(p, "/..."); ok {
			if rel == tree || strings.HasPrefix(rel, tree+"/") {
				return true
			}
		} else if rel == p {
			return true
		}
	}
	return false
}

func roleOf(rel string) role {
	switch {
	case rel == "":
		return roleRoot
	case match(rel, compositions):
		return roleComposition
	case match(rel, libraries):
		return roleLibrary
	}
	return roleAdapter
}

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

// modulePackages lists every package of the module with its direct
// (non-test) imports of other module packages, paths relative to the module.
func modulePackages(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Dir,GoFiles,Imports", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list: %v", err)
		}
		var own []string
		for _, imp := range p.Imports {
			if rel, ok := relative(imp); ok {
				own = append(own, rel)
			}
		}
		rel, _ := relative(p.ImportPath)
		pkgs[rel] = own
		touch(t, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// touch reads the package's directory and Go files so that the test cache
// keys on them: go list runs in a child process the cache does not see, and
// without this a plain "go test" would replay a pass after a bad import.
func touch(t *testing.T, p pkg) {
	t.Helper()
	if _, err := os.ReadDir(p.Dir); err != nil {
		t.Fatalf("read %s: %v", p.Dir, err)
	}
	for _, f := range p.GoFiles {
		if _, err := os.ReadFile(filepath.Join(p.Dir, f)); err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
	}
}

func relative(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// violation says why importer may not import imported ("" when it may).
func violation(importer, imported string) string {
	from, to := roleOf(importer), roleOf(imported)
	switch {
	case from == roleComposition:
		return ""
	case from == roleRoot:
		return "the root imports no package of the module"
	case to == roleComposition:
		return "only cmd/... imports a composition root"
	case to == roleAdapter:
		return "a " + from.String() + " imports no adapter: share types through the root"
	}
	return ""
}

func TestAdaptersShareOnlyTheRoot(t *testing.T) {
	pkgs := modulePackages(t)
	used := map[[2]string]bool{}
	for _, importer := range slices.Sorted(func(yield func(string) bool) {
		for k := range pkgs {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, imported := range pkgs[importer] {
			why := violation(importer, imported)
			if why == "" {
				continue
			}
			key := [2]string{importer, imported}
			if _, ok := debt[key]; ok {
				used[key] = true
				continue
			}
			t.Errorf("%s (%s) imports %s (%s): %s", show(importer), roleOf(importer), show(imported), roleOf(imported), why)
		}
	}
	for key, reason := range debt {
		if !used[key] {
			t.Errorf("%s no longer imports %s (%s): remove it from the debt list", show(key[0]), show(key[1]), reason)
		}
	}
}

func show(rel string) string {
	if rel == "" {
		return "ragkb (root)"
	}
	return rel
}

// TestRoles pins the classification the rule relies on.
func TestRoles(t *testing.T) {
	for rel, want := range map[string]role{
		"":                   roleRoot,
		"internal/sentence":  roleLibrary,
		"store":              roleLibrary,
		"answer/guard":       roleLibrary,
		"cmd/ragkb":          roleComposition,
		"app":                roleComposition,
		"connectors/all":     roleComposition,
		"store/sqlite":       roleAdapter,
		"answer":             roleAdapter,
		"answer/llm":         roleAdapter,
		"server":             roleAdapter,
		"connectors/shopify": roleAdapter,
	} {
		if got := roleOf(rel); got != want {
			t.Errorf("roleOf(%q) = %s, want %s", rel, got, want)
		}
	}
	for _, tt := range []struct{ from, to string }{
		{"server", "answer"}, {"worker", "indexer"}, {"answer/llm", "answer"}, {"store/sqlite", "store/postgres"},
		{"", "store"}, {"store", "store/sqlite"}, {"answer/guard", "app"},
	} {
		if violation(tt.from, tt.to) == "" {
			t.Errorf("%s -> %s is allowed, want a violation", show(tt.from), tt.to)
		}
	}
}
