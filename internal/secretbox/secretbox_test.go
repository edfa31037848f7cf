package secretbox

import (
	"errors"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	b, err := New(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	const secret = "allegro-refresh-token-9f8e7d"
	s1, err := b.Seal(secret)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := b.Seal(secret)
	if s1 == s2 {
		t.Error("two seals of the same value are equal: the nonce is not random")
	}
	if strings.Contains(s1, secret) || !strings.HasPrefix(s1, Prefix+b.KeyID()+":") {
		t.Errorf("sealed %q: want %s<key id>:... without the secret", s1, Prefix)
	}
	if got, err := b.Open(s1); err != nil || got != secret {
		t.Errorf("Open: got %q, %v; want %q", got, err, secret)
	}
	if got, _ := b.Seal(""); got != "" {
		t.Errorf("Seal(\"\"): got %q, want \"\"", got)
	}
	if got, err := b.Open("legacy-plain-token"); err != nil || got != "legacy-plain-token" {
		t.Errorf("Open(plain): got %q, %v; want it unchanged", got, err)
	}
	// Tampering is detected.
	bad := s1[:len(s1)-2] + "AA"
	if bad == s1 {
		bad = s1[:len(s1)-2] + "BB"
	}
	if _, err := b.Open(bad); err == nil {
		t.Error("Open of a tampered value succeeded")
	}
}

func TestRotation(t *testing.T) {
	oldKey, newKey := NewKey(), "a passphrase that is long enough"
	old, _ := New(oldKey)
	sealed, _ := old.Seal("tok")
	rotated, err := Parse(newKey + ", " + oldKey)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rotated.Open(sealed); err != nil || got != "tok" {
		t.Errorf("Open with the old key second: got %q, %v", got, err)
	}
	if !rotated.NeedsReseal(sealed) || !rotated.NeedsReseal("plain") || rotated.NeedsReseal("") {
		t.Error("NeedsReseal: want true for old-key and plain values, false for empty")
	}
	resealed, _ := rotated.Seal("tok")
	if rotated.NeedsReseal(resealed) {
		t.Error("NeedsReseal of a value sealed with the current key: want false")
	}
	onlyNew, _ := New(newKey)
	if _, err := onlyNew.Open(sealed); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Open without the old key: got %v, want ErrUnknownKey", err)
	}
}

func TestKeyFormats(t *testing.T) {
	for _, tc := range []struct {
		name, key string
		ok        bool
	}{
		{"base64 32 bytes", NewKey(), true},
		{"passphrase", "sixteen chars ok", true},
		{"too short", "short", false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.key)
			if got := err == nil; got != tc.ok {
				t.Errorf("Parse(%q): err %v, want ok=%v", tc.key, err, tc.ok)
			}
		})
	}
}

// BenchmarkSealOpen is the cost added to every write and read of a
// resource or account that holds a secret.
func BenchmarkSealOpen(b *testing.B) {
	box, _ := New(NewKey())
	tok := strings.Repeat("x", 1200) // an Allegro JWT access token is about this long
	for b.Loop() {
		s, err := box.Seal(tok)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := box.Open(s); err != nil {
			b.Fatal(err)
		}
	}
}
