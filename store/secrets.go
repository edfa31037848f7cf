package store

import (
	"encoding/json"
	"fmt"

	"github.com/ragkb/ragkb"
)

// The helpers below are how every backend keeps secrets at rest: resource
// tokens and account credentials are sealed with the configured
// ragkb.SecretBox before they are written and opened after they are read.
// A nil box stores them as given (tests of other packages, and deployments
// that set no RAGKB_SECRET_KEY, which cmd/ragkb warns about).

// SealOffers returns a copy of o whose Token is sealed (o itself when there
// is nothing to seal).
func SealOffers(box ragkb.SecretBox, o *ragkb.OffersSpec) (*ragkb.OffersSpec, error) {
	if box == nil || o == nil || o.Token == "" {
		return o, nil
	}
	c := *o
	var err error
	if c.Token, err = box.Seal(o.Token); err != nil {
		return nil, fmt.Errorf("seal offers token: %w", err)
	}
	return &c, nil
}

// OpenOffers opens o.Token in place.
func OpenOffers(box ragkb.SecretBox, o *ragkb.OffersSpec) error {
	if box == nil || o == nil || o.Token == "" {
		return nil
	}
	var err error
	if o.Token, err = box.Open(o.Token); err != nil {
		return fmt.Errorf("open offers token: %w", err)
	}
	return nil
}

// OffersNeedReseal reports whether a stored offers spec holds a token that is
// plain text or sealed with an old key.
func OffersNeedReseal(box ragkb.SecretBox, o *ragkb.OffersSpec) bool {
	return box != nil && o != nil && box.NeedsReseal(o.Token)
}

// SealAccountSecrets encodes s for the secrets column: sealed JSON (plain
// JSON without a box; "" when there is no secret at all).
func SealAccountSecrets(box ragkb.SecretBox, s ragkb.AccountSecrets) (string, error) {
	if s == (ragkb.AccountSecrets{}) {
		return "", nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("encode account secrets: %w", err)
	}
	if box == nil {
		return string(b), nil
	}
	out, err := box.Seal(string(b))
	if err != nil {
		return "", fmt.Errorf("seal account secrets: %w", err)
	}
	return out, nil
}

// OpenAccountSecrets decodes the secrets column.
func OpenAccountSecrets(box ragkb.SecretBox, stored string) (ragkb.AccountSecrets, error) {
	var s ragkb.AccountSecrets
	if stored == "" {
		return s, nil
	}
	if box != nil {
		var err error
		if stored, err = box.Open(stored); err != nil {
			return s, fmt.Errorf("open account secrets: %w", err)
		}
	}
	if err := json.Unmarshal([]byte(stored), &s); err != nil {
		return s, fmt.Errorf("decode account secrets: %w", err)
	}
	return s, nil
}

// SealString seals one secret column (a webhook secret); "" stays "".
func SealString(box ragkb.SecretBox, v string) (string, error) {
	if box == nil || v == "" {
		return v, nil
	}
	return box.Seal(v)
}

// OpenString opens one secret column.
func OpenString(box ragkb.SecretBox, v string) (string, error) {
	if box == nil || v == "" {
		return v, nil
	}
	return box.Open(v)
}

// OrdersNeedReseal reports whether a stored orders spec holds a token that is
// plain text or sealed with an old key.
func OrdersNeedReseal(box ragkb.SecretBox, o *ragkb.OrdersSpec) bool {
	return box != nil && o != nil && o.Token != "" && box.NeedsReseal(o.Token)
}

// SealOrders returns a copy of o with its token sealed (o itself when there
// is nothing to seal).
func SealOrders(box ragkb.SecretBox, o *ragkb.OrdersSpec) (*ragkb.OrdersSpec, error) {
	if box == nil || o == nil || o.Token == "" {
		return o, nil
	}
	c := *o
	var err error
	if c.Token, err = box.Seal(o.Token); err != nil {
		return nil, fmt.Errorf("seal orders token: %w", err)
	}
	return &c, nil
}

// OpenOrders opens o.Token in place.
func OpenOrders(box ragkb.SecretBox, o *ragkb.OrdersSpec) error {
	if box == nil || o == nil || o.Token == "" {
		return nil
	}
	var err error
	if o.Token, err = box.Open(o.Token); err != nil {
		return fmt.Errorf("open orders token: %w", err)
	}
	return nil
}
