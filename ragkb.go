// Package ragkb holds the domain of the service: tenants, keys, resources,
// documents, chunks, jobs, answers, assistants and events, and the small set of
// interfaces (Store, VectorStore, Embedder, Connector) that adapters implement.
// It depends on the standard library only; adapters live in sub-packages and
// wiring happens in cmd/ragkb.
package ragkb

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
)

// Role is what an API key may do.
type Role string

// Roles of API keys.
const (
	RoleAdmin    Role = "admin"
	RoleMerchant Role = "merchant"
	RoleChatbot  Role = "chatbot"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleMerchant || r == RoleChatbot
}

// Tenant is one merchant account; every other object belongs to exactly one.
type Tenant struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// APIKey is a stored key. Only the SHA-256 hash of the secret is kept.
// Admin keys have an empty TenantID.
type APIKey struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"tenant_id,omitempty"`
	Role      Role      `json:"role"`
	Hash      string    `json:"-"`
	Prefix    string    `json:"prefix"`
	CreatedAt time.Time `json:"created_at"`
	// LastUsedAt is when the key last authenticated a request (updated at
	// most once a minute); nil if never.
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a random identifier such as "res_k3j5...", with 80 bits of randomness.
func NewID(prefix string) string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("ragkb: crypto/rand failed: " + err.Error())
	}
	return prefix + "_" + idEncoding.EncodeToString(b[:])
}

// HasPrefix reports whether id looks like an id made by NewID(prefix).
func HasPrefix(id, prefix string) bool {
	return strings.HasPrefix(id, prefix+"_") && len(id) > len(prefix)+1
}

// ValidLanguage reports whether code looks like an ISO 639-1 language code
// ("en", "pl"): two lower-case ASCII letters.
func ValidLanguage(code string) bool {
	return len(code) == 2 && code[0] >= 'a' && code[0] <= 'z' && code[1] >= 'a' && code[1] <= 'z'
}
