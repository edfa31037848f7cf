// Package secretbox encrypts secrets at rest (account tokens, resource
// tokens) with AES-256-GCM under keys given by the operator
// (RAGKB_SECRET_KEY).
//
// A sealed value is text: "rkenc:v1:<key id>:<base64url(nonce || ciphertext)>".
// The key id is derived from the key, so rotation needs no bookkeeping: the
// first key of a Box seals, every key opens, and NeedsReseal tells a store
// which values to seal again under the current key. Values without the
// prefix are plain text written before encryption was enabled: Open returns
// them as they are, and NeedsReseal reports them, so they are migrated.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Prefix starts every sealed value.
const Prefix = "rkenc:v1:"

// MinPassphrase is the shortest key accepted that is not 32 base64 bytes.
const MinPassphrase = 16

// aad binds ciphertexts to this use, so they cannot be replayed into another
// system sharing the key.
var aad = []byte("ragkb secret v1")

type key struct {
	id   string
	aead cipher.AEAD
}

// Box seals with its first key and opens with any of its keys.
type Box struct {
	keys []key
}

// New returns a Box over keys, the first of which seals. Each key is either
// the base64 (standard or URL alphabet) encoding of 32 random bytes, as made by
// `openssl rand -base64 32`, or a passphrase of at least MinPassphrase
// characters (hashed with SHA-256).
func New(keys ...string) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("secretbox: no key")
	}
	b := &Box{}
	seen := map[string]bool{}
	for i, k := range keys {
		raw, err := keyBytes(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("secretbox: key %d: %w", i+1, err)
		}
		blk, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("secretbox: key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(blk)
		if err != nil {
			return nil, fmt.Errorf("secretbox: key %d: %w", i+1, err)
		}
		id := keyID(raw)
		if seen[id] {
			continue
		}
		seen[id] = true
		b.keys = append(b.keys, key{id: id, aead: aead})
	}
	return b, nil
}

// Parse reads RAGKB_SECRET_KEY: one key, or several separated by commas
// (the first seals; the others still open values sealed before a rotation).
func Parse(env string) (*Box, error) {
	var keys []string
	for k := range strings.SplitSeq(env, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return New(keys...)
}

// NewKey returns a fresh random key in the form New accepts.
func NewKey() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("secretbox: crypto/rand failed: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(b[:])
}

func keyBytes(k string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(k); err == nil && len(raw) == 32 {
			return raw, nil
		}
	}
	if len(k) < MinPassphrase {
		return nil, fmt.Errorf("must be 32 bytes in base64 (openssl rand -base64 32) or a passphrase of at least %d characters", MinPassphrase)
	}
	sum := sha256.Sum256([]byte("ragkb secret key\x00" + k))
	return sum[:], nil
}

// keyID names a key without revealing it.
func keyID(raw []byte) string {
	sum := sha256.Sum256(append([]byte("ragkb key id\x00"), raw...))
	return hex.EncodeToString(sum[:4])
}

// KeyID is the id of the sealing key (stored in every sealed value).
func (b *Box) KeyID() string { return b.keys[0].id }

// Seal encrypts plaintext under the current key. The empty string stays
// empty (nothing to hide, and "no token" must stay distinguishable).
func (b *Box) Seal(plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	k := b.keys[0]
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(plaintext)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secretbox: nonce: %w", err)
	}
	out := k.aead.Seal(nonce, nonce, []byte(plaintext), aad)
	return Prefix + k.id + ":" + base64.RawURLEncoding.EncodeToString(out), nil
}

// ErrUnknownKey is returned by Open for a value sealed under a key the Box
// does not have (RAGKB_SECRET_KEY changed without keeping the old key).
var ErrUnknownKey = errors.New("secretbox: the value was sealed with a key that is not configured (keep the old key after the new one in RAGKB_SECRET_KEY)")

// Open decrypts a sealed value; a value without Prefix is returned as is.
func (b *Box) Open(sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, Prefix)
	if !ok {
		return sealed, nil
	}
	id, data, ok := strings.Cut(rest, ":")
	if !ok {
		return "", errors.New("secretbox: malformed sealed value")
	}
	for _, k := range b.keys {
		if k.id != id {
			continue
		}
		raw, err := base64.RawURLEncoding.DecodeString(data)
		if err != nil || len(raw) < k.aead.NonceSize() {
			return "", errors.New("secretbox: malformed sealed value")
		}
		n := k.aead.NonceSize()
		pt, err := k.aead.Open(nil, raw[:n], raw[n:], aad)
		if err != nil {
			return "", errors.New("secretbox: the value does not decrypt (corrupted, or another key with the same id)")
		}
		return string(pt), nil
	}
	return "", ErrUnknownKey
}

// NeedsReseal reports whether a stored value is plain text or sealed under
// another key than the current one.
func (b *Box) NeedsReseal(stored string) bool {
	if stored == "" {
		return false
	}
	rest, ok := strings.CutPrefix(stored, Prefix)
	return !ok || !strings.HasPrefix(rest, b.keys[0].id+":")
}

// IsSealed reports whether a stored value is sealed (by any key).
func IsSealed(stored string) bool { return strings.HasPrefix(stored, Prefix) }
