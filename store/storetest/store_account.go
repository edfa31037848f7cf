package storetest

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/internal/secretbox"
)

func newAccount(t *testing.T, s ragkb.Store, tenantID, name string, created time.Time) *ragkb.Account {
	t.Helper()
	a := &ragkb.Account{ID: ragkb.NewID("acc"), TenantID: tenantID, Name: name, Type: ragkb.AccountAllegro,
		Status: ragkb.AccountPending, UserCode: "cbt3zdu4g", VerificationURI: "https://allegro.pl/skojarz-aplikacje",
		VerificationURIComplete: "https://allegro.pl/skojarz-aplikacje?code=cbt3zdu4g", PollInterval: 5 * time.Second,
		NextPollAt: ptr(created.Add(5 * time.Second)), CodeExpiresAt: ptr(created.Add(time.Hour)),
		Secrets: ragkb.AccountSecrets{DeviceCode: "dev-" + name}, CreatedAt: created, UpdatedAt: created}
	must(t, s.CreateAccount(context.Background(), a), "CreateAccount")
	return a
}

func testAccounts(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten, other := newTenant(t, s, "A"), newTenant(t, s, "B")
	a := newAccount(t, s, ten.ID, "main", t0)
	if a.Version != 1 {
		t.Errorf("Version after create = %d, want 1", a.Version)
	}
	newAccount(t, s, ten.ID, "second", at(time.Minute))
	newAccount(t, s, other.ID, "other", at(2*time.Minute))

	got, err := s.GetAccount(ctx, ten.ID, a.ID)
	must(t, err, "GetAccount")
	if got.Name != "main" || got.Type != ragkb.AccountAllegro || got.Status != ragkb.AccountPending ||
		got.UserCode != a.UserCode || got.VerificationURIComplete != a.VerificationURIComplete ||
		got.PollInterval != 5*time.Second || !got.NextPollAt.Equal(*a.NextPollAt) || !got.CodeExpiresAt.Equal(*a.CodeExpiresAt) ||
		got.Secrets != a.Secrets || got.Version != 1 || !got.CreatedAt.Equal(t0) {
		t.Errorf("GetAccount = %+v, want %+v", got, a)
	}
	if _, err := s.GetAccount(ctx, "", a.ID); err != nil {
		t.Errorf("GetAccount with tenant \"\": %v", err)
	}
	list, err := s.ListAccounts(ctx, ragkb.AccountFilter{TenantID: ten.ID})
	must(t, err, "ListAccounts")
	if len(list) != 2 || list[0].Name != "second" || list[1].Name != "main" {
		t.Errorf("ListAccounts(tenant) = %d accounts, want second then main", len(list))
	}
	all, err := s.ListAccounts(ctx, ragkb.AccountFilter{Status: ragkb.AccountPending})
	must(t, err, "ListAccounts(all pending)")
	if len(all) != 3 {
		t.Errorf("ListAccounts(every tenant, pending) = %d, want 3", len(all))
	}

	// Connect: the version moves on; a stale copy is refused.
	stale := *got
	got.Status, got.UserCode = ragkb.AccountConnected, ""
	got.Secrets = ragkb.AccountSecrets{AccessToken: "at-1", RefreshToken: "rt-1"}
	got.ExpiresAt, got.ConnectedAt, got.UpdatedAt = ptr(at(12*time.Hour)), ptr(at(time.Minute)), at(time.Minute)
	must(t, s.UpdateAccount(ctx, got), "UpdateAccount")
	if got.Version != 2 {
		t.Errorf("Version after update = %d, want 2", got.Version)
	}
	stale.Secrets.RefreshToken = "rt-stale"
	wantCode(t, s.UpdateAccount(ctx, &stale), ragkb.ECONFLICT, "UpdateAccount with a stale version")
	back, err := s.GetAccount(ctx, ten.ID, a.ID)
	must(t, err, "GetAccount after update")
	if back.Status != ragkb.AccountConnected || back.Secrets.RefreshToken != "rt-1" || back.Version != 2 ||
		!back.ExpiresAt.Equal(at(12*time.Hour)) || back.UserCode != "" {
		t.Errorf("after update: status %s refresh %q version %d expires %v", back.Status, back.Secrets.RefreshToken, back.Version, back.ExpiresAt)
	}
	connected, err := s.ListAccounts(ctx, ragkb.AccountFilter{TenantID: ten.ID, Status: ragkb.AccountConnected, Type: ragkb.AccountAllegro})
	must(t, err, "ListAccounts(connected)")
	if len(connected) != 1 || connected[0].ID != a.ID {
		t.Errorf("ListAccounts(connected) = %d, want the one connected", len(connected))
	}

	// Another tenant finds, changes and deletes nothing.
	_, err = s.GetAccount(ctx, other.ID, a.ID)
	isNotFound(t, err, "GetAccount with another tenant's id")
	x := *back
	x.TenantID, x.Name = other.ID, "hijacked"
	isNotFound(t, s.UpdateAccount(ctx, &x), "UpdateAccount with another tenant's id")
	isNotFound(t, s.DeleteAccount(ctx, other.ID, a.ID), "DeleteAccount with another tenant's id")

	must(t, s.DeleteAccount(ctx, ten.ID, a.ID), "DeleteAccount")
	_, err = s.GetAccount(ctx, ten.ID, a.ID)
	isNotFound(t, err, "GetAccount after delete")
	isNotFound(t, s.DeleteAccount(ctx, ten.ID, a.ID), "DeleteAccount twice")
	isNotFound(t, s.UpdateAccount(ctx, back), "UpdateAccount after delete")
}

// testAccountEvent keeps the account of an account_failed event.
func testAccountEvent(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "A")
	e := &ragkb.Event{ID: ragkb.NewID("evt"), TenantID: ten.ID, Type: ragkb.EventAccountFailed, AccountID: "acc_x", Detail: "reconnect", CreatedAt: t0}
	must(t, s.CreateEvent(ctx, e), "CreateEvent")
	got, err := s.GetEvent(ctx, ten.ID, e.ID)
	must(t, err, "GetEvent")
	list, err := s.ListEvents(ctx, ragkb.EventFilter{TenantID: ten.ID, Type: ragkb.EventAccountFailed})
	must(t, err, "ListEvents")
	if got.AccountID != "acc_x" || got.Type != ragkb.EventAccountFailed || len(list) != 1 || list[0].AccountID != "acc_x" {
		t.Errorf("account_failed event read back as %+v (listed %d), want account_id acc_x", got, len(list))
	}
}

// testAccountConcurrentUpdates has many writers update one account from
// the same version: exactly one wins, so a rotated refresh token is never
// silently replaced by an older one.
func testAccountConcurrentUpdates(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "A")
	a := newAccount(t, s, ten.ID, "main", t0)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := *a
			c.Secrets.RefreshToken = "rt-" + string(rune('a'+i))
			errs[i] = s.UpdateAccount(ctx, &c)
		}()
	}
	wg.Wait()
	wins, winner := 0, ""
	for i, err := range errs {
		switch ragkb.ErrorCodeOf(err) {
		case "":
			wins++
			winner = "rt-" + string(rune('a'+i))
		case ragkb.ECONFLICT:
		default:
			t.Errorf("writer %d: %v, want nil or conflict", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d writers won, want exactly 1", wins)
	}
	got, err := s.GetAccount(ctx, ten.ID, a.ID)
	must(t, err, "GetAccount")
	if got.Secrets.RefreshToken != winner || got.Version != 2 {
		t.Errorf("stored refresh token %q version %d, want the winner's %q at version 2", got.Secrets.RefreshToken, got.Version, winner)
	}
}

// testResourcesByAccount lists the resources that read through an account.
func testResourcesByAccount(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten, other := newTenant(t, s, "A"), newTenant(t, s, "B")
	acc := newAccount(t, s, ten.ID, "main", t0)
	mk := func(tenantID, name, accountID string) *ragkb.Resource {
		r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: tenantID, Name: name, Type: ragkb.TypeOffers,
			Status: ragkb.StatusProcessing, Offers: &ragkb.OffersSpec{Source: ragkb.SourceAllegro, AccountID: accountID},
			CreatedAt: t0, UpdatedAt: t0}
		must(t, s.CreateResource(ctx, r, nil), "CreateResource")
		return r
	}
	r1, r2 := mk(ten.ID, "offers 1", acc.ID), mk(ten.ID, "offers 2", acc.ID)
	mk(ten.ID, "own token", "")
	mk(other.ID, "other tenant", acc.ID)
	newResource(t, s, ten.ID, "policy", t0)
	rs, err := s.ListResources(ctx, ragkb.ResourceFilter{TenantID: ten.ID, AccountID: acc.ID})
	must(t, err, "ListResources(account)")
	ids := map[string]bool{}
	for _, r := range rs {
		ids[r.ID] = true
		if r.AccountID() != acc.ID {
			t.Errorf("%s: AccountID() = %q, want %q", r.Name, r.AccountID(), acc.ID)
		}
	}
	if len(rs) != 2 || !ids[r1.ID] || !ids[r2.ID] {
		t.Errorf("ListResources(account) = %d resources, want offers 1 and offers 2", len(rs))
	}
}

// Secrets written by RunSecretsAtRest; none may appear in the raw database.
var plainSecrets = []string{"shpat-plain-resource-token-7c1e", "allegro-access-8d2f", "allegro-refresh-4b9a", "webhook-signing-secret-5e3d", "shpat-plain-orders-token-2a6f"}

// RunSecretsAtRest checks that a store given a SecretBox keeps no secret
// readable in the database: open opens the same database on every call
// (box nil: no encryption) and raw returns everything the database holds as
// text (file bytes, or every row). Secrets written before encryption was
// enabled are sealed when the store is opened with a key, a store opened
// without the right key cannot read them, and after a key rotation every
// secret is sealed with the new key.
func RunSecretsAtRest(t *testing.T, open func(box ragkb.SecretBox) (ragkb.Store, error), raw func(t *testing.T) string) {
	ctx := context.Background()
	key1, key2 := secretbox.NewKey(), secretbox.NewKey()
	box1, _ := secretbox.New(key1)
	rotated, _ := secretbox.New(key2, key1)
	mustOpen := func(box ragkb.SecretBox) ragkb.Store {
		t.Helper()
		s, err := open(box)
		must(t, err, "open the store")
		return s
	}

	// Written in plain text (a database from before RAGKB_SECRET_KEY).
	s := mustOpen(nil)
	ten := newTenant(t, s, "A")
	r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: ten.ID, Name: "Shopify", Type: ragkb.TypeOffers, Status: ragkb.StatusSuccess,
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceShopify, URL: "https://shop.example", Token: plainSecrets[0]}, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateResource(ctx, r, nil), "CreateResource")
	ord := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: ten.ID, Name: "Orders", Type: ragkb.TypeOrders, Status: ragkb.StatusSuccess,
		Orders: &ragkb.OrdersSpec{Source: ragkb.SourceShopify, URL: "https://shop.example", Token: plainSecrets[4]}, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateResource(ctx, ord, nil), "CreateResource orders")
	a := &ragkb.Account{ID: ragkb.NewID("acc"), TenantID: ten.ID, Name: "Allegro", Type: ragkb.AccountAllegro, Status: ragkb.AccountConnected,
		Secrets: ragkb.AccountSecrets{AccessToken: plainSecrets[1], RefreshToken: plainSecrets[2]}, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateAccount(ctx, a), "CreateAccount")
	wh := &ragkb.Webhook{ID: ragkb.NewID("wh"), TenantID: ten.ID, URL: "https://hooks.example", Events: []ragkb.EventType{ragkb.EventAccountFailed},
		Secret: plainSecrets[3], CreatedAt: t0}
	must(t, s.CreateWebhook(ctx, wh), "CreateWebhook")
	must(t, s.Close(), "Close")
	dump := raw(t)
	for _, sec := range plainSecrets {
		if !strings.Contains(dump, sec) {
			t.Fatalf("the raw dump does not show the plain secret %q written without a key: the dump cannot prove anything", sec)
		}
	}

	check := func(s ragkb.Store, what string) {
		t.Helper()
		gr, err := s.GetResource(ctx, ten.ID, r.ID)
		must(t, err, what+": GetResource")
		ga, err := s.GetAccount(ctx, ten.ID, a.ID)
		must(t, err, what+": GetAccount")
		gw, err := s.GetWebhook(ctx, ten.ID, wh.ID)
		must(t, err, what+": GetWebhook")
		if gotOrders, err := s.GetResource(ctx, ten.ID, ord.ID); err != nil || gotOrders.Orders.Token != plainSecrets[4] {
			t.Errorf("%s: orders token read back %+v (%v), want the original", what, gotOrders, err)
		}
		if gr.Offers.Token != plainSecrets[0] || ga.Secrets != a.Secrets || gw.Secret != plainSecrets[3] {
			t.Errorf("%s: read back token %q, account secrets %+v, webhook secret %q; want the originals", what, gr.Offers.Token, ga.Secrets, gw.Secret)
		}
	}
	noPlain := func(what string) string {
		t.Helper()
		dump := raw(t)
		for _, sec := range plainSecrets {
			if strings.Contains(dump, sec) {
				t.Errorf("%s: the secret %q is readable in the database", what, sec)
			}
		}
		return dump
	}

	// Opened with a key: the plain secrets are sealed, and still read back.
	s = mustOpen(box1)
	check(s, "sealed on open")
	must(t, s.Close(), "Close")
	if dump := noPlain("after opening with RAGKB_SECRET_KEY"); !strings.Contains(dump, secretbox.Prefix+box1.KeyID()+":") {
		t.Errorf("no value sealed with key id %s in the database", box1.KeyID())
	}

	// Written with a key: sealed at once.
	s = mustOpen(box1)
	a2 := &ragkb.Account{ID: ragkb.NewID("acc"), TenantID: ten.ID, Name: "Allegro 2", Type: ragkb.AccountAllegro, Status: ragkb.AccountPending,
		Secrets: ragkb.AccountSecrets{DeviceCode: "device-code-secret-1f0a"}, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateAccount(ctx, a2), "CreateAccount sealed")
	a2.Secrets.AccessToken = "fresh-access-token-66aa"
	must(t, s.UpdateAccount(ctx, a2), "UpdateAccount sealed")
	must(t, s.Close(), "Close")
	if dump := noPlain("after writing with a key"); strings.Contains(dump, "device-code-secret-1f0a") || strings.Contains(dump, "fresh-access-token-66aa") {
		t.Error("an account secret written with a key is readable in the database")
	}

	// Rotation: the new key seals everything again, the old one still opens.
	s = mustOpen(rotated)
	check(s, "after rotation")
	must(t, s.Close(), "Close")
	if dump := noPlain("after rotation"); strings.Contains(dump, secretbox.Prefix+box1.KeyID()+":") {
		t.Error("values sealed with the old key remain after opening with the rotated keys")
	}

	// Without the key the secrets cannot be read: the store refuses to open.
	wrong, _ := secretbox.New(secretbox.NewKey())
	if s, err := open(wrong); err == nil {
		s.Close()
		t.Error("a store opened with another key read the sealed secrets")
	}
}
