// Package accounts connects merchants' marketplace and shop accounts that
// resources read through instead of carrying their own url and token:
// Allegro through the OAuth 2.0 device flow, Shopify and WooCommerce with
// credentials checked by a test call.
//
// Service is a long-running part (Start/Stop) that polls Allegro's token
// endpoint for pending device codes at the interval Allegro asked for
// (slower after slow_down) and renews access tokens before they expire.
// Connectors get credentials through Credentials, and report a rejected
// access token through Rejected, which renews it at once. Renewals of one
// account are serialised in the process and guarded by the account's
// version in the store across processes, so a rotated refresh token is
// never lost; a refused renewal makes the account expired and records an
// account_failed event (delivered to webhooks).
//
// Every time comes from Config.Now; tests call Poll with a fake clock
// instead of sleeping.
package accounts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/internal/allegroauth"
)

// Store is what the service needs of ragkb.Store.
type Store interface {
	CreateAccount(ctx context.Context, a *ragkb.Account) error
	GetAccount(ctx context.Context, tenantID, id string) (*ragkb.Account, error)
	ListAccounts(ctx context.Context, f ragkb.AccountFilter) ([]*ragkb.Account, error)
	UpdateAccount(ctx context.Context, a *ragkb.Account) error
	DeleteAccount(ctx context.Context, tenantID, id string) error
	ListResources(ctx context.Context, f ragkb.ResourceFilter) ([]*ragkb.Resource, error)
}

// EventSink records events (webhook.Recorder).
type EventSink interface {
	Record(ctx context.Context, e *ragkb.Event) error
}

// AllegroAuth is Allegro's authorization server (*allegroauth.OAuth).
type AllegroAuth interface {
	StartDevice(ctx context.Context) (*allegroauth.DeviceCode, error)
	PollDevice(ctx context.Context, deviceCode string) (*allegroauth.Token, error)
	Refresh(ctx context.Context, refreshToken string) (*allegroauth.Token, error)
}

// Checker makes the test call of a shop account (shopify.Connector.Check).
type Checker func(ctx context.Context, url, token string) error

// Config configures a Service.
type Config struct {
	Store Store
	// Allegro is the operator's Allegro application; nil refuses Allegro
	// accounts with a message naming the configuration.
	Allegro AllegroAuth
	// AllegroAPIURL is the Allegro API base given to the connector with an
	// account's access token ("" = the connector's default).
	AllegroAPIURL string
	// Checkers make the test calls of shopify and woocommerce accounts.
	Checkers map[ragkb.AccountType]Checker
	Events   EventSink
	// RefreshAhead renews an access token this long before it expires
	// (default 10 minutes).
	RefreshAhead time.Duration
	// Every is how often Start polls (default 1 s; pending codes are still
	// polled only at Allegro's interval).
	Every time.Duration
	// Metrics receives renewal and poll outcomes (nil: none).
	Metrics *Metrics
	Now     func() time.Time
	Logger  *slog.Logger
}

// Validate names the first bad field.
func (c Config) Validate() error {
	switch {
	case c.Store == nil:
		return ragkb.Invalid("Store", "is required")
	case c.RefreshAhead < 0:
		return ragkb.Invalid("RefreshAhead", "must not be negative")
	case c.Every < 0:
		return ragkb.Invalid("Every", "must not be negative")
	}
	return nil
}

// Service manages connected accounts.
type Service struct {
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	mu    sync.Mutex
	locks map[string]*sync.Mutex // account id -> renewal lock
	// lastScan is when Poll last looked for tokens to renew; it does so
	// once a minute (tokens are renewed RefreshAhead before they expire).
	lastScan time.Time
	stop     context.CancelFunc
	done     chan struct{}
}

var _ ragkb.CredentialSource = (*Service)(nil)

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.RefreshAhead = cmp.Or(cfg.RefreshAhead, 10*time.Minute)
	cfg.Every = cmp.Or(cfg.Every, time.Second)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{cfg: cfg, log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		now: func() time.Time { return now().UTC() }, locks: map[string]*sync.Mutex{}}, nil
}

// Start polls pending device codes and renews expiring tokens until Stop.
func (s *Service) Start(ctx context.Context) {
	ctx, s.stop = context.WithCancel(ctx)
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		t := time.NewTicker(s.cfg.Every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.Poll(ctx); err != nil && ctx.Err() == nil {
					s.log.Warn("accounts: poll", "err", err)
				}
			}
		}
	}()
}

// Stop ends the polling started by Start and waits for it.
func (s *Service) Stop() {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
}

// ConnectRequest is what a merchant gives to connect an account (shared
// with the HTTP server).
type ConnectRequest = ragkb.ConnectRequest

// MaxNameRunes bounds an account's name.
const MaxNameRunes = 200

// MaxPerTenant bounds a tenant's connected accounts (each pending one is
// polled, each connected one renewed).
const MaxPerTenant = 50

// Connect creates an account: an Allegro one is pending with the code and
// link the merchant must open; a shop account is connected or failed after
// its test call. Bad input is EINVALID naming the field.
func (s *Service) Connect(ctx context.Context, tenantID string, req ConnectRequest) (*ragkb.Account, error) {
	name := strings.TrimSpace(req.Name)
	switch {
	case name == "":
		return nil, ragkb.Invalid("name", "is required")
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return nil, ragkb.Invalid("name", "must be at most %d characters", MaxNameRunes)
	}
	existing, err := s.cfg.Store.ListAccounts(ctx, ragkb.AccountFilter{TenantID: tenantID})
	if err != nil {
		return nil, err
	}
	if len(existing) >= MaxPerTenant {
		return nil, ragkb.Errorf(ragkb.ECONFLICT, "a shop can connect at most %d accounts; delete one first", MaxPerTenant)
	}
	now := s.now()
	a := &ragkb.Account{ID: ragkb.NewID("acc"), TenantID: tenantID, Name: name, Type: req.Type, CreatedAt: now, UpdatedAt: now}
	switch req.Type {
	case ragkb.AccountAllegro:
		if req.URL != "" {
			return nil, ragkb.Invalid("url", "is not used for Allegro: the account is connected through allegro.pl")
		}
		if req.Token != "" {
			return nil, ragkb.Invalid("token", "is not used for Allegro: ragkb obtains and renews the tokens itself")
		}
		if s.cfg.Allegro == nil {
			return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Connecting Allegro accounts is not configured on this server (the operator sets RAGKB_ALLEGRO_CLIENT_ID and RAGKB_ALLEGRO_CLIENT_SECRET)")
		}
		dc, err := s.cfg.Allegro.StartDevice(ctx)
		if err != nil {
			return nil, allegroUnavailable(err)
		}
		next, exp := now.Add(dc.Interval), now.Add(dc.ExpiresIn)
		a.Status, a.UserCode, a.VerificationURI, a.VerificationURIComplete = ragkb.AccountPending, dc.UserCode, dc.VerificationURI, dc.VerificationURIComplete
		a.PollInterval, a.NextPollAt, a.CodeExpiresAt = dc.Interval, &next, &exp
		a.Secrets.DeviceCode = dc.DeviceCode
	case ragkb.AccountShopify, ragkb.AccountWooCommerce:
		raw := strings.TrimSpace(req.URL)
		if raw == "" {
			return nil, ragkb.Invalid("url", "is required: the store address, e.g. https://shop.example")
		}
		u, err := connectors.ParseURL(raw)
		if err != nil {
			return nil, ragkb.Invalid("url", "%s", ragkb.ErrorMessage(err))
		}
		tok := strings.TrimSpace(req.Token)
		switch {
		case tok == "" && req.Type == ragkb.AccountShopify:
			return nil, ragkb.Invalid("token", "is required: the Admin API access token (shpat_...) with the read_products scope")
		case tok == "":
			return nil, ragkb.Invalid("token", "is required: the REST API key as consumer_key:consumer_secret (ck_...:cs_...)")
		case len(tok) > 4096:
			return nil, ragkb.Invalid("token", "must be at most 4096 characters")
		}
		a.URL, a.Secrets.Token = strings.TrimRight(u.String(), "/"), tok
		check := s.cfg.Checkers[req.Type]
		if check == nil {
			return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Connecting %s accounts is not configured on this server", req.Type)
		}
		if err := check(ctx, a.URL, tok); err != nil {
			if ragkb.ErrorCodeOf(err) == ragkb.EINVALID {
				// The url or token is malformed, or the address may not be
				// fetched (private network): nothing to keep.
				if ragkb.ErrorField(err) == "" {
					return nil, &ragkb.Error{Code: ragkb.EINVALID, Field: "url", Message: ragkb.ErrorMessage(err), Err: err}
				}
				return nil, err
			}
			a.Status, a.Error = ragkb.AccountFailed, ragkb.ErrorMessage(err)
			s.log.InfoContext(ctx, "accounts: test call failed", "account_id", a.ID, "type", a.Type, "err", ragkb.ErrorMessage(err))
		} else {
			a.Status, a.ConnectedAt = ragkb.AccountConnected, &now
		}
	case "":
		return nil, ragkb.Invalid("type", "is required: allegro, shopify or woocommerce")
	default:
		return nil, ragkb.Invalid("type", "must be allegro, shopify or woocommerce (got %q)", req.Type)
	}
	if err := s.cfg.Store.CreateAccount(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// Delete removes an account. While resources read through it, it answers
// ECONFLICT naming them, unless force: those resources then keep their last
// good content and fail their next refresh until another account is picked.
func (s *Service) Delete(ctx context.Context, tenantID, id string, force bool) error {
	if _, err := s.cfg.Store.GetAccount(ctx, tenantID, id); err != nil {
		return err
	}
	if !force {
		used, err := s.cfg.Store.ListResources(ctx, ragkb.ResourceFilter{TenantID: tenantID, AccountID: id})
		if err != nil {
			return err
		}
		if len(used) > 0 {
			names := make([]string, 0, len(used))
			for _, r := range used {
				names = append(names, fmt.Sprintf("%q (%s)", r.Name, r.ID))
			}
			return ragkb.Errorf(ragkb.ECONFLICT, "the account is used by %d resource(s): %s; pick another account for them or delete them first, or delete the account with ?force=true",
				len(used), strings.Join(names, ", "))
		}
	}
	return s.cfg.Store.DeleteAccount(ctx, tenantID, id)
}

// Poll does one round: polls the token endpoint for every pending Allegro
// device code that is due and, at most once a minute, renews every access
// token about to expire.
func (s *Service) Poll(ctx context.Context) error {
	if s.cfg.Allegro == nil {
		return nil
	}
	var errs []error
	pending, err := s.cfg.Store.ListAccounts(ctx, ragkb.AccountFilter{Type: ragkb.AccountAllegro, Status: ragkb.AccountPending})
	if err != nil {
		return err
	}
	now := s.now()
	for _, a := range pending {
		if a.NextPollAt == nil || !now.Before(*a.NextPollAt) {
			errs = append(errs, s.pollDevice(ctx, a))
		}
	}
	s.mu.Lock()
	scan := now.Sub(s.lastScan) >= time.Minute || now.Before(s.lastScan)
	if scan {
		s.lastScan = now
	}
	s.mu.Unlock()
	if !scan {
		return errors.Join(errs...)
	}
	connected, err := s.cfg.Store.ListAccounts(ctx, ragkb.AccountFilter{Type: ragkb.AccountAllegro, Status: ragkb.AccountConnected})
	if err != nil {
		return err
	}
	for _, a := range connected {
		if s.dueForRenewal(a) {
			if _, err := s.renew(ctx, a.TenantID, a.ID, ""); err != nil && ragkb.ErrorCodeOf(err) != ragkb.EUNAUTHORIZED {
				errs = append(errs, err) // a refused renewal is recorded as an event, not a poll error
			}
		}
	}
	return errors.Join(errs...)
}

func (s *Service) dueForRenewal(a *ragkb.Account) bool {
	return a.Type == ragkb.AccountAllegro && a.Status == ragkb.AccountConnected &&
		(a.ExpiresAt == nil || !s.now().Before(a.ExpiresAt.Add(-s.cfg.RefreshAhead)))
}

// pollDevice asks Allegro once whether the merchant confirmed a's code.
func (s *Service) pollDevice(ctx context.Context, a *ragkb.Account) error {
	now := s.now()
	if a.CodeExpiresAt != nil && !now.Before(*a.CodeExpiresAt) {
		return s.fail(ctx, a, ragkb.AccountFailed, "The Allegro code expired before it was confirmed: connect the account again")
	}
	// Claim this poll, scheduling the next: of several processes only the
	// one whose update wins asks Allegro (a device code gives its tokens
	// once; a second ask would be refused and fail the account).
	next := now.Add(cmp.Or(a.PollInterval, 5*time.Second))
	a.NextPollAt, a.UpdatedAt = &next, now
	if err := s.cfg.Store.UpdateAccount(ctx, a); err != nil {
		if c := ragkb.ErrorCodeOf(err); c == ragkb.ECONFLICT || c == ragkb.ENOTFOUND {
			return nil
		}
		return err
	}
	tok, err := s.cfg.Allegro.PollDevice(ctx, a.Secrets.DeviceCode)
	switch code := allegroauth.OAuthCode(err); {
	case err == nil:
		s.cfg.Metrics.poll("connected")
		exp := now.Add(tok.ExpiresIn)
		a.Status, a.Error, a.ConnectedAt, a.RefreshedAt, a.ExpiresAt = ragkb.AccountConnected, "", &now, &now, &exp
		a.UserCode, a.VerificationURI, a.VerificationURIComplete, a.NextPollAt, a.CodeExpiresAt = "", "", "", nil, nil
		a.Secrets = ragkb.AccountSecrets{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}
		a.UpdatedAt = now
		s.log.InfoContext(ctx, "accounts: allegro account connected", "account_id", a.ID, "tenant_id", a.TenantID)
		return s.save(ctx, a)
	case code == allegroauth.ErrAuthorizationPending:
		s.cfg.Metrics.poll("pending")
		return nil
	case code == allegroauth.ErrSlowDown:
		s.cfg.Metrics.poll("slow_down")
		a.PollInterval = cmp.Or(a.PollInterval, 5*time.Second) + 5*time.Second // RFC 8628 section 3.5
		next = now.Add(a.PollInterval)
		a.NextPollAt = &next
		return s.save(ctx, a)
	case code == allegroauth.ErrAccessDenied:
		s.cfg.Metrics.poll("denied")
		return s.fail(ctx, a, ragkb.AccountFailed, "The Allegro connection was declined on allegro.pl: connect the account again and confirm it")
	case code == allegroauth.ErrExpiredToken || code == allegroauth.ErrInvalidGrant:
		s.cfg.Metrics.poll("expired")
		return s.fail(ctx, a, ragkb.AccountFailed, "The Allegro code expired before it was confirmed: connect the account again")
	default:
		// Unreachable or refusing for another reason: tried again at the next interval.
		s.cfg.Metrics.poll("error")
		s.log.WarnContext(ctx, "accounts: allegro device poll", "account_id", a.ID, "err", err)
		return nil
	}
}

// save writes a; a concurrent update (another process polled or renewed
// first, or the account was deleted) wins.
func (s *Service) save(ctx context.Context, a *ragkb.Account) error {
	err := s.cfg.Store.UpdateAccount(ctx, a)
	if c := ragkb.ErrorCodeOf(err); c == ragkb.ECONFLICT || c == ragkb.ENOTFOUND {
		return nil
	}
	return err
}

// fail moves a to status with the merchant-facing message and records an
// account_failed event, once (only the writer that changed the status).
func (s *Service) fail(ctx context.Context, a *ragkb.Account, status ragkb.AccountStatus, msg string) error {
	now := s.now()
	a.Status, a.Error, a.UpdatedAt = status, msg, now
	a.Secrets, a.NextPollAt = ragkb.AccountSecrets{}, nil
	if err := s.cfg.Store.UpdateAccount(ctx, a); err != nil {
		if c := ragkb.ErrorCodeOf(err); c == ragkb.ECONFLICT || c == ragkb.ENOTFOUND {
			return nil
		}
		return err
	}
	s.log.InfoContext(ctx, "accounts: account failed", "account_id", a.ID, "tenant_id", a.TenantID, "status", status, "reason", msg)
	if s.cfg.Events != nil {
		ev := &ragkb.Event{ID: ragkb.NewID("evt"), TenantID: a.TenantID, Type: ragkb.EventAccountFailed, AccountID: a.ID, CreatedAt: now,
			Detail: fmt.Sprintf("%s account %q (%s): %s", accountLabel(a.Type), a.Name, a.ID, msg)}
		if err := s.cfg.Events.Record(ctx, ev); err != nil {
			s.log.WarnContext(ctx, "accounts: record account_failed", "account_id", a.ID, "err", err)
		}
	}
	return nil
}

func accountLabel(t ragkb.AccountType) string {
	switch t {
	case ragkb.AccountAllegro:
		return "Allegro"
	case ragkb.AccountShopify:
		return "Shopify"
	case ragkb.AccountWooCommerce:
		return "WooCommerce"
	}
	return string(t)
}

// lock returns the renewal lock of an account.
func (s *Service) lock(id string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.locks[id]
	if !ok {
		l = &sync.Mutex{}
		s.locks[id] = l
	}
	return l
}

// refusedMessage is what a merchant reads when Allegro no longer renews access.
const refusedMessage = "Allegro refused to renew access: reconnect the Allegro account"

// renewLease bounds how long one process may hold an account's renewal.
const renewLease = 30 * time.Second

// renew gets a new access token for the account. With stale set (a token
// the API rejected) it renews only if stale is still the current token;
// without, only if the current one is about to expire. It returns the
// account as stored afterwards.
//
// One renewal at a time per account: in this process a mutex, across
// processes a lease taken in the store with the account's version, so
// Allegro never sees the same refresh token twice (it rotates them; the
// second use would be refused and the account wrongly expired).
func (s *Service) renew(ctx context.Context, tenantID, id, stale string) (*ragkb.Account, error) {
	l := s.lock(id)
	l.Lock()
	defer l.Unlock()
	if s.cfg.Allegro == nil {
		return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "Allegro accounts are not configured on this server (RAGKB_ALLEGRO_CLIENT_ID)")
	}
	var a *ragkb.Account
	for wait := 0; ; wait++ {
		var err error
		if a, err = s.cfg.Store.GetAccount(ctx, tenantID, id); err != nil {
			return nil, err
		}
		if err := usable(a); err != nil {
			return nil, err
		}
		if (stale != "" && a.Secrets.AccessToken != stale) || (stale == "" && !s.dueForRenewal(a)) {
			return a, nil // renewed meanwhile (by this or another process)
		}
		now := s.now()
		if a.RenewingUntil == nil || !now.Before(*a.RenewingUntil) {
			until := now.Add(renewLease)
			a.RenewingUntil = &until
			err := s.cfg.Store.UpdateAccount(ctx, a)
			if err == nil {
				break // the lease is ours
			}
			if ragkb.ErrorCodeOf(err) != ragkb.ECONFLICT {
				return nil, err
			}
		}
		// Another process renews: wait for its result (bounded).
		if wait >= 100 {
			return nil, ragkb.Errorf(ragkb.EUNAVAILABLE, "the Allegro access token is being renewed by another process; try again in a minute")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	tok, err := s.cfg.Allegro.Refresh(ctx, a.Secrets.RefreshToken)
	if err != nil {
		code := allegroauth.OAuthCode(err)
		if code == "" || code == allegroauth.ErrInvalidClient || strings.HasPrefix(code, "http_5") {
			s.cfg.Metrics.renewal("error")
			s.log.WarnContext(ctx, "accounts: allegro token renewal failed", "account_id", a.ID, "oauth_error", code, "err", err)
			a.RenewingUntil = nil
			_ = s.save(ctx, a)
			return nil, allegroUnavailable(err)
		}
		s.cfg.Metrics.renewal("refused")
		s.log.InfoContext(ctx, "accounts: allegro refused the refresh token", "account_id", a.ID, "oauth_error", code)
		a.RenewingUntil = nil
		if err := s.fail(ctx, a, ragkb.AccountExpired, refusedMessage); err != nil {
			return nil, err
		}
		return nil, expired(a)
	}
	now := s.now()
	exp := now.Add(tok.ExpiresIn)
	a.Secrets.AccessToken = tok.AccessToken
	a.Secrets.RefreshToken = cmp.Or(tok.RefreshToken, a.Secrets.RefreshToken)
	a.ExpiresAt, a.RefreshedAt, a.UpdatedAt, a.Error, a.RenewingUntil = &exp, &now, now, "", nil
	if err := s.cfg.Store.UpdateAccount(ctx, a); err != nil {
		// Only a deletion (or a lease held past renewLease) gets here.
		return nil, fmt.Errorf("accounts: store the renewed token: %w", err)
	}
	s.cfg.Metrics.renewal("renewed")
	s.log.DebugContext(ctx, "accounts: allegro access token renewed", "account_id", a.ID, "expires_at", exp)
	return a, nil
}

func expired(a *ragkb.Account) error {
	return &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Message: fmt.Sprintf("%s (account %q)", refusedMessage, a.Name)}
}

// usable says why an account's credentials cannot be used now.
func usable(a *ragkb.Account) error {
	switch a.Status {
	case ragkb.AccountConnected:
		return nil
	case ragkb.AccountPending:
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: fmt.Sprintf("The %s account %q is not confirmed yet: open %s and enter the code %s",
			accountLabel(a.Type), a.Name, cmp.Or(a.VerificationURI, "the link"), a.UserCode)}
	case ragkb.AccountExpired:
		if a.Type == ragkb.AccountAllegro {
			return expired(a)
		}
	}
	return &ragkb.Error{Code: ragkb.EUNAUTHORIZED, Message: fmt.Sprintf("The %s account %q is not connected (%s): connect it again",
		accountLabel(a.Type), a.Name, cmp.Or(a.Error, string(a.Status)))}
}

func allegroUnavailable(err error) error {
	msg := "Allegro's authorization server is not answering; try again in a few minutes"
	var e *ragkb.Error
	if errors.As(err, &e) && e.Code != ragkb.EINTERNAL {
		msg = e.Message
	} else if allegroauth.OAuthCode(err) == allegroauth.ErrInvalidClient {
		msg = "Allegro refused this server's application credentials; the operator must check RAGKB_ALLEGRO_CLIENT_ID and RAGKB_ALLEGRO_CLIENT_SECRET"
	}
	return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: msg, Err: err}
}

// Credentials returns the account's current credentials, renewing an
// Allegro access token that is about to expire.
func (s *Service) Credentials(ctx context.Context, tenantID, accountID string) (ragkb.Credentials, error) {
	a, err := s.account(ctx, tenantID, accountID)
	if err != nil {
		return ragkb.Credentials{}, err
	}
	if err := usable(a); err != nil {
		return ragkb.Credentials{}, err
	}
	if s.dueForRenewal(a) {
		if a, err = s.renew(ctx, tenantID, accountID, ""); err != nil {
			return ragkb.Credentials{}, err
		}
	}
	return s.credentials(a), nil
}

// Rejected is called when the platform refused token: an Allegro token is
// renewed (unless already replaced) and the new credentials returned; a
// shop account fails and must be connected again.
func (s *Service) Rejected(ctx context.Context, tenantID, accountID, token string) (ragkb.Credentials, error) {
	a, err := s.account(ctx, tenantID, accountID)
	if err != nil {
		return ragkb.Credentials{}, err
	}
	if a.Type == ragkb.AccountAllegro {
		if a, err = s.renew(ctx, tenantID, accountID, token); err != nil {
			return ragkb.Credentials{}, err
		}
		return s.credentials(a), nil
	}
	if a.Status == ragkb.AccountConnected && a.Secrets.Token == token {
		msg := fmt.Sprintf("%s rejected the stored credentials: connect the account again with a new token", accountLabel(a.Type))
		if err := s.fail(ctx, a, ragkb.AccountFailed, msg); err != nil {
			return ragkb.Credentials{}, err
		}
	}
	return ragkb.Credentials{}, usable(a)
}

// account loads an account for a connector; one that is gone is a message
// the merchant can act on.
func (s *Service) account(ctx context.Context, tenantID, id string) (*ragkb.Account, error) {
	a, err := s.cfg.Store.GetAccount(ctx, tenantID, id)
	if ragkb.IsNotFound(err) {
		return nil, ragkb.Invalid("offers.account_id", "the connected account %s no longer exists: pick another account for this resource", id)
	}
	return a, err
}

func (s *Service) credentials(a *ragkb.Account) ragkb.Credentials {
	if a.Type == ragkb.AccountAllegro {
		return ragkb.Credentials{Type: a.Type, URL: s.cfg.AllegroAPIURL, Token: a.Secrets.AccessToken}
	}
	return ragkb.Credentials{Type: a.Type, URL: a.URL, Token: a.Secrets.Token}
}
