package app_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/app"
	"github.com/ragkb/ragkb/client"
)

// Example embeds ragkb in-process: a knowledge base is added, indexed by
// the worker, and asked through the Go client.
func Example() {
	ctx, stop := context.WithCancel(context.Background())
	dir, _ := os.MkdirTemp("", "ragkb-example-")
	defer os.RemoveAll(dir)

	const adminKey = "example-admin-key-0123456789"
	a, err := app.New(ctx, app.Config{DataDir: dir, AdminKey: adminKey, RefreshSchedule: "off"})
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	done := make(chan error)
	go func() { done <- a.Run(ctx) }() // the worker; Config.Addr would serve the API too
	defer func() { stop(); <-done }()
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()

	admin := client.New(srv.URL, adminKey)
	tenant, _ := admin.CreateTenant(ctx, "Example shop")
	key, _ := admin.CreateKey(ctx, tenant.ID, ragkb.RoleMerchant)
	shop := client.New(srv.URL, key.Key)
	r, _ := shop.CreateResource(ctx, client.ResourceInput{Name: "FAQ", Type: ragkb.TypeKnowledgeBase,
		KnowledgeBase: &ragkb.KnowledgeBase{Invoice: "Yes, every order comes with a VAT invoice sent by e-mail."}})
	r, _ = client.WaitResource(ctx, shop, r.ID)
	ans, err := shop.Answer(ctx, ragkb.AnswerRequest{Question: "Do you issue invoices?"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status, ans.Status, ans.Tier)
	fmt.Println(ans.Answer)
	// Output:
	// success answered fast
	// Yes, every order comes with a VAT invoice sent by e-mail.
}
