package main

import (
	"strings"
	"testing"

	"github.com/ragkb/ragkb/connectors/allegro"
)

func TestAllegroAPIURLSetting(t *testing.T) {
	tests := []struct {
		name, value, want, wantErr string
	}{
		{name: "default production", want: allegro.ProductionAPI},
		{name: "sandbox", value: allegro.SandboxAPI, want: allegro.SandboxAPI},
		{name: "test server", value: "http://127.0.0.1:8123", want: "http://127.0.0.1:8123"},
		{name: "not a URL", value: "api.allegro.pl", wantErr: "RAGKB_ALLEGRO_API_URL"},
		{name: "another scheme", value: "ftp://api.allegro.pl", wantErr: "RAGKB_ALLEGRO_API_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"RAGKB_ALLEGRO_API_URL": tt.value}
			cfg, err := loadConfig(func(k string) string { return env[k] })
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("got %v, want an error naming %s", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case cfg.AllegroAPIURL != tt.want:
				t.Errorf("got %q, want %q", cfg.AllegroAPIURL, tt.want)
			}
		})
	}
}
