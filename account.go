package ragkb

import (
	"context"
	"time"
)

// AccountType is the marketplace or shop platform an account connects.
type AccountType string

// Account types.
const (
	AccountAllegro     AccountType = "allegro"
	AccountShopify     AccountType = "shopify"
	AccountWooCommerce AccountType = "woocommerce"
)

// AccountStatus is the state of a connection shown to merchants.
type AccountStatus string

// Account statuses.
const (
	// AccountPending: waiting for the merchant to confirm the device code.
	AccountPending AccountStatus = "pending"
	// AccountConnected: credentials work (access tokens are renewed as needed).
	AccountConnected AccountStatus = "connected"
	// AccountExpired: the platform refused to renew access; reconnect.
	AccountExpired AccountStatus = "expired"
	// AccountFailed: the connection could not be made (denied, code expired,
	// credentials rejected by the test call).
	AccountFailed AccountStatus = "failed"
)

// Account is a merchant's connection to a marketplace or shop that resources
// use instead of their own url/token. Secrets are never serialised.
type Account struct {
	ID       string        `json:"id"`
	TenantID string        `json:"tenant_id,omitempty"`
	Name     string        `json:"name"`
	Type     AccountType   `json:"type"`
	Status   AccountStatus `json:"status"`
	Error    string        `json:"error,omitempty"`
	// URL is the shop's base URL (Shopify, WooCommerce); empty for Allegro.
	URL string `json:"url,omitempty"`
	// UserCode and VerificationURI(Complete) are what the merchant needs to
	// confirm a pending Allegro connection.
	UserCode                string `json:"user_code,omitempty"`
	VerificationURI         string `json:"verification_uri,omitempty"`
	VerificationURIComplete string `json:"verification_uri_complete,omitempty"`
	// PollInterval is the device-flow polling interval Allegro asked for.
	PollInterval time.Duration `json:"-"`
	// NextPollAt is when a pending account's token endpoint is polled next.
	NextPollAt *time.Time `json:"-"`
	// CodeExpiresAt is when the device code of a pending account expires.
	CodeExpiresAt *time.Time `json:"code_expires_at,omitempty"`
	// ExpiresAt is when the current access token expires (Allegro).
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	ConnectedAt *time.Time `json:"connected_at,omitempty"`
	RefreshedAt *time.Time `json:"refreshed_at,omitempty"`
	// RenewingUntil is the lease of the process renewing the access token:
	// no other process calls Allegro with the same refresh token meanwhile.
	RenewingUntil *time.Time `json:"-"`
	// Secrets are encrypted at rest and never leave the service.
	Secrets AccountSecrets `json:"-"`
	// Version increases with every update; UpdateAccount refuses a stale one,
	// so a rotated refresh token is never overwritten by an older one.
	Version   int64     `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// AccountSecrets are the credentials of an account.
type AccountSecrets struct {
	DeviceCode   string `json:"device_code,omitempty"`
	AccessToken  string `json:"access_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	// Token is the Shopify access token or the WooCommerce ck_...:cs_... key.
	Token string `json:"token,omitempty"`
}

// Public returns a copy of a that is safe to show: no secrets, no tenant id,
// and the device code only while it is needed.
func (a *Account) Public() *Account {
	c := *a
	c.Secrets = AccountSecrets{}
	c.TenantID = ""
	if a.Status != AccountPending {
		c.UserCode, c.VerificationURI, c.VerificationURIComplete, c.CodeExpiresAt = "", "", "", nil
	}
	return &c
}

// AccountFilter selects accounts. Empty fields match everything.
type AccountFilter struct {
	TenantID string
	Status   AccountStatus
	Type     AccountType
}

// Credentials are what a connector needs to read an account's data.
type Credentials struct {
	Type AccountType
	// URL is the API or shop base ("" = the connector's default).
	URL   string
	Token string
}

// CredentialSource gives connectors the current credentials of an account
// (accounts.Service): Credentials renews an access token about to expire;
// Rejected is called when the platform refused token (401), renews it if it
// is still the current one, and returns the new credentials.
type CredentialSource interface {
	Credentials(ctx context.Context, tenantID, accountID string) (Credentials, error)
	Rejected(ctx context.Context, tenantID, accountID, token string) (Credentials, error)
}

// EventAccountFailed is recorded when an account stops working (a refresh
// refused, a connection denied or expired).
const EventAccountFailed EventType = "account_failed"

// SecretBox encrypts secrets at rest (internal/secretbox.Box). Stores
// given one seal every secret they write and open what they read.
type SecretBox interface {
	Seal(plaintext string) (string, error)
	Open(stored string) (string, error)
	// NeedsReseal reports a stored value that is plain text or sealed with
	// an old key, so that it is sealed again under the current key.
	NeedsReseal(stored string) bool
}

// AccountID returns the connected account a resource reads through, if any.
// Resource types that read through accounts (offers today; orders next)
// answer here, and the backends' ResourceFilter.AccountID looks in the same
// spec field, so deleting an account finds every resource that uses it.
func (r *Resource) AccountID() string {
	if r.Offers != nil {
		return r.Offers.AccountID
	}
	return ""
}

// ConnectRequest is what a merchant gives to connect an account
// (POST /v1/accounts).
type ConnectRequest struct {
	Name  string      `json:"name"`
	Type  AccountType `json:"type"`
	URL   string      `json:"url"`
	Token string      `json:"token"`
}
