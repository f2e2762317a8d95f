package whatsapp

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"go.mau.fi/whatsmeow/store/sqlstore"
	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

// DefaultStorePath is the session file used when the config names none.
const DefaultStorePath = "piket-whatsapp.db"

// OpenStore opens (creating if needed) the WhatsApp session database at
// path, a SQLite file separate from Piket's attendance database (see the
// package documentation for why), and brings whatsmeow's tables up to date.
// A new file is created readable by its owner only. Close the returned
// container when done.
func OpenStore(ctx context.Context, path string, log *slog.Logger) (*sqlstore.Container, error) {
	if path == "" {
		path = DefaultStorePath
	}
	if strings.Contains(path, "?") {
		return nil, fmt.Errorf("whatsapp: open session store: path %q must not contain '?'", path)
	}
	// Create the file ourselves so that it, and the -wal and -shm files
	// SQLite derives from it, are private to the service user.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: open session store: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("whatsapp: open session store: %w", err)
	}

	db, err := sql.Open("sqlite", storeDSN(path))
	if err != nil {
		return nil, fmt.Errorf("whatsapp: open session store: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("whatsapp: open session store: %w", err), db.Close())
	}
	container := sqlstore.NewWithDB(db, "sqlite", NewLogger(log).Sub("Database"))
	if err := container.Upgrade(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("whatsapp: upgrade session store: %w", err), container.Close())
	}
	return container, nil
}

// storeDSN is the modernc.org/sqlite data source name for path. A plain
// path (not a file: URI) keeps SQLite from interpreting '%' or '#' in it;
// the driver strips and applies the query itself.
func storeDSN(path string) string {
	// Applied to every connection. whatsmeow's Upgrade refuses to run
	// without foreign keys; busy_timeout and immediate transactions let
	// whatsmeow's concurrent writers wait for each other instead of failing
	// with SQLITE_BUSY.
	pragmas := []string{"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)"}
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode()
}
