package all

import (
	"testing"

	"github.com/ragkb/ragkb"
)

func TestValidateAccountOffers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		o     ragkb.OffersSpec
		field string
	}{
		{"allegro by account", ragkb.OffersSpec{Source: "allegro", AccountID: "acc_abc"}, ""},
		{"shopify by account", ragkb.OffersSpec{Source: "shopify", AccountID: "acc_abc"}, ""},
		{"woocommerce by account", ragkb.OffersSpec{Source: "woocommerce", AccountID: "acc_abc"}, ""},
		{"with a url", ragkb.OffersSpec{Source: "shopify", AccountID: "acc_abc", URL: "https://shop.example"}, "offers.url"},
		{"with a token", ragkb.OffersSpec{Source: "allegro", AccountID: "acc_abc", Token: "t"}, "offers.token"},
		{"feed by account", ragkb.OffersSpec{Source: "google_feed", AccountID: "acc_abc"}, "offers.account_id"},
		{"not an account id", ragkb.OffersSpec{Source: "allegro", AccountID: "res_abc"}, "offers.account_id"},
		{"no source", ragkb.OffersSpec{AccountID: "acc_abc"}, "offers.source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.o
			err := ValidateSpec(&ragkb.Resource{Type: ragkb.TypeOffers, Offers: &o})
			if got := ragkb.ErrorField(err); got != tc.field || (tc.field == "") != (err == nil) {
				t.Errorf("got %v (field %q), want field %q", err, got, tc.field)
			}
		})
	}
}
