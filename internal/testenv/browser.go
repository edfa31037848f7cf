package testenv

import (
	"os"
	"strings"
	"testing"
)

// ChromiumVar names the variable holding the path of a Chromium binary for
// the admin page's browser test (scripts/test-services.sh browser).
const ChromiumVar = "RAGKB_TEST_CHROMIUM"

// Chromium returns the path of the Chromium to drive, or skips t (fails it
// in CI) when there is none.
func Chromium(t testing.TB) string {
	t.Helper()
	p := strings.TrimSpace(os.Getenv(ChromiumVar))
	if p == "" {
		if _, err := os.Stat("/usr/bin/chromium"); err == nil {
			p = "/usr/bin/chromium"
		}
	}
	if p != "" {
		return p
	}
	const how = "run `make test` (it installs Debian's chromium), or `apt-get install -y chromium`"
	if CI() {
		t.Fatalf("no Chromium (%s unset, /usr/bin/chromium missing): in CI the browser test must run; %s", ChromiumVar, how)
	}
	t.Skipf("no Chromium (%s unset, /usr/bin/chromium missing): %s", ChromiumVar, how)
	return ""
}
