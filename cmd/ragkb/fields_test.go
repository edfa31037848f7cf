package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// A misspelt questionnaire key is a 400 naming it and the known keys, on
// POST, PUT and NDJSON, instead of the answer silently vanishing.
func TestUnknownQuestionnaireFieldsRefused(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, _ := s.tenantWithKeys("Shop")
	type problem struct {
		Status        int
		Field, Detail string
	}
	post := func(method, path, ct, body string) problem {
		t.Helper()
		code, _, data := s.send(method, path, merchant, ct, strings.NewReader(body))
		var p problem
		_ = json.Unmarshal(data, &p)
		p.Status = code
		return p
	}
	ok := post("POST", "/v1/resources", "application/json",
		`{"name":"Shop","type":"knowledge_base","knowledge_base":{"delivery_time":"1-2 days","custom":[{"question":"q?","answer":"a","examples":["e"]}]}}`)
	if ok.Status != 202 {
		t.Fatalf("a valid questionnaire: got %d %s", ok.Status, ok.Detail)
	}
	var created struct{ ID string }
	code, _, data := s.send("POST", "/v1/resources", merchant, "application/json", strings.NewReader(
		`{"name":"Shop 2","type":"knowledge_base","knowledge_base":{"invoice":"yes"}}`))
	_ = json.Unmarshal(data, &created)
	if code != 202 {
		t.Fatalf("second questionnaire: %d %s", code, data)
	}

	for _, tc := range []struct {
		name, method, path, ct, body, field, mention string
	}{
		{"misspelt key", "POST", "/v1/resources", "application/json",
			`{"name":"Shop","type":"knowledge_base","knowledge_base":{"delivery":"1-2 days","invoice":"yes"}}`,
			"knowledge_base.delivery", "delivery_time"},
		{"two unknown keys", "POST", "/v1/resources", "application/json",
			`{"name":"Shop","type":"knowledge_base","knowledge_base":{"warrenty":"2 years","delivery":"x"}}`,
			"knowledge_base.delivery", "warrenty"},
		{"custom question key", "POST", "/v1/resources", "application/json",
			`{"name":"Shop","type":"knowledge_base","knowledge_base":{"custom":[{"question":"q?","answer":"a"},{"question":"q2?","answer":"b","example":["x"]}]}}`,
			"knowledge_base.custom[1].example", "examples"},
		{"on PUT", "PUT", "/v1/resources/" + created.ID, "application/json",
			`{"name":"Shop 2","type":"knowledge_base","knowledge_base":{"invoices":"yes"}}`,
			"knowledge_base.invoices", "invoice"},
		{"NDJSON first line", "POST", "/v1/resources", "application/x-ndjson",
			`{"name":"Shop","type":"knowledge_base","knowledge_base":{"pickup":"yes"}}` + "\n",
			"knowledge_base.pickup", "store_pickup"},
		{"NDJSON question line", "POST", "/v1/resources", "application/x-ndjson",
			`{"name":"Shop","type":"knowledge_base"}` + "\n" + `{"question":"q?","answer":"a"}` + "\n" + `{"question":"q?","anwser":"a"}` + "\n",
			"knowledge_base.custom[1].anwser", "answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := post(tc.method, tc.path, tc.ct, tc.body)
			if p.Status != 400 || p.Field != tc.field || !strings.Contains(p.Detail, tc.mention) {
				t.Errorf("got %d field %q detail %q, want 400 field %q mentioning %q", p.Status, p.Field, p.Detail, tc.field, tc.mention)
			}
		})
	}
}
