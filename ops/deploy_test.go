package ops

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// dockerInstructions are the Dockerfile instructions (docs.docker.com/reference/dockerfile).
var dockerInstructions = map[string]bool{
	"FROM": true, "RUN": true, "CMD": true, "LABEL": true, "EXPOSE": true, "ENV": true, "ADD": true,
	"COPY": true, "ENTRYPOINT": true, "VOLUME": true, "USER": true, "WORKDIR": true, "ARG": true,
	"ONBUILD": true, "STOPSIGNAL": true, "HEALTHCHECK": true, "SHELL": true,
}

// instructions splits a Dockerfile into instructions, joining
// continuation lines and dropping comments and parser directives.
func instructions(t *testing.T, src string) [][2]string {
	t.Helper()
	var out [][2]string
	var cur string
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur == "" && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasPrefix(trimmed, "#") {
			continue // a comment inside a continued instruction
		}
		cont := strings.HasSuffix(trimmed, `\`)
		cur += " " + strings.TrimSuffix(trimmed, `\`)
		if cont {
			continue
		}
		kw, args, _ := strings.Cut(strings.TrimSpace(cur), " ")
		if !dockerInstructions[strings.ToUpper(kw)] {
			t.Errorf("Dockerfile line %d: unknown instruction %q", i+1, kw)
		}
		out = append(out, [2]string{strings.ToUpper(kw), strings.TrimSpace(args)})
		cur = ""
	}
	if cur != "" {
		t.Error("Dockerfile ends inside a continued line")
	}
	return out
}

// buildCommand is how the README and the Dockerfile build the binary.
const buildCommand = `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/piket ./cmd/piket`

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	ins := instructions(t, string(b))
	var stages []string
	var builds []string
	user, entry := "", ""
	for i, in := range ins {
		switch in[0] {
		case "FROM":
			f := strings.Fields(in[1])
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				stages = append(stages, f[2])
			} else {
				stages = append(stages, "")
			}
		case "RUN":
			if strings.Contains(in[1], "go build") {
				builds = append(builds, in[1])
			}
		case "COPY":
			if m := regexp.MustCompile(`--from=(\S+)`).FindStringSubmatch(in[1]); m != nil {
				found := false
				for _, s := range stages[:len(stages)-1] {
					found = found || s == m[1]
				}
				if !found {
					t.Errorf("COPY --from=%s: no earlier stage of that name", m[1])
				}
			}
		case "USER":
			user = in[1]
		case "ENTRYPOINT":
			entry = in[1]
		}
		if i == 0 && in[0] != "FROM" && in[0] != "ARG" {
			t.Errorf("the first instruction is %s, want FROM", in[0])
		}
	}
	if len(stages) < 2 {
		t.Errorf("%d stages, want a multi-stage build", len(stages))
	}
	if len(builds) != 1 || builds[0] != buildCommand {
		t.Errorf("go build in the Dockerfile: %q, want exactly %q", builds, buildCommand)
	}
	if user == "" || strings.HasPrefix(user, "root") || strings.HasPrefix(user, "0") {
		t.Errorf("USER %q: the image must not run as root", user)
	}
	if !strings.Contains(entry, "/usr/local/bin/piket") {
		t.Errorf("ENTRYPOINT %q", entry)
	}
}

// TestDeployDocs: the Deploy text shows the Dockerfile's build command, and
// the examples use commands that exist.
func TestDeployDocs(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	main := read("../README.md")
	_, deploy, ok := strings.Cut(main, "\n## Deploy\n")
	if !ok {
		t.Fatal("README.md has no Deploy section")
	}
	if !strings.Contains(deploy, buildCommand) {
		t.Errorf("README.md's Deploy section does not show the build command %q", buildCommand)
	}
	compose := read("../deploy/docker-compose.example.yml")
	for _, want := range []string{"/data/piket.yaml", "TELEGRAM_TOKEN", `"healthcheck"`, "piket-data:/data"} {
		if !strings.Contains(compose, want) {
			t.Errorf("docker-compose.example.yml lacks %q", want)
		}
	}
	unit := read("../deploy/piket.service")
	for _, want := range []string{"User=piket", "StateDirectory=piket", "Restart=on-failure", "ExecStart=/usr/local/bin/piket serve -config /etc/piket/piket.yaml"} {
		if !strings.Contains(unit, want) {
			t.Errorf("piket.service lacks %q", want)
		}
	}
}
