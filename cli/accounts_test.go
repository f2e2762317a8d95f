package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWhatsAppUnknownAccount: -account names a number of
// whatsapp.accounts; another name is a usage error listing the names, and
// nothing is opened.
func TestWhatsAppUnknownAccount(t *testing.T) {
	cfg, db := writeConfig(t, "whatsapp:\n  accounts:\n    - {name: kedua, offices: [BKPSDM]}\n")
	for _, cmd := range []string{"pair", "groups"} {
		r := run(t, "", "whatsapp", cmd, "-config", cfg, "-account", "ketiga")
		if r.code != 2 || !strings.Contains(r.stderr, `-account: unknown WhatsApp account "ketiga": whatsapp.accounts has utama, kedua`) {
			t.Errorf("whatsapp %s -account ketiga: exit %d, %q; want 2 naming the accounts", cmd, r.code, r.stderr)
		}
	}
	for _, f := range []string{"piket-whatsapp-ketiga.db", "piket-whatsapp.db", "piket-whatsapp-kedua.db"} {
		for _, dir := range []string{".", filepath.Dir(db)} { // session files are relative to the working directory
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				t.Errorf("%s was created in %s", f, dir)
			}
		}
	}
}
