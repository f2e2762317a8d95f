package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"

	pstore "github.com/piket-id/piket/store"
)

// Session is the session store as a running Piket uses it. While the
// adapter uses the paired device it holds the session lock (LockSession),
// so `piket whatsapp pair` and `piket whatsapp groups` cannot connect a
// second client of the same device beside it; while no device is paired
// it holds nothing, so the operator can pair with `piket whatsapp pair`
// while Piket runs, and the adapter picks the new device up.
type Session struct {
	path      string
	container *sqlstore.Container
	newClient func(*store.Device) *whatsmeow.Client

	mu   sync.Mutex
	lock *pstore.InstanceLock
}

// NewSession returns the session of container, opened from path
// (whatsapp.session_db; "" is DefaultStorePath). newClient builds the
// client of a paired device; nil is NewClient with log.
func NewSession(container *sqlstore.Container, path string, log *slog.Logger, newClient func(*store.Device) *whatsmeow.Client) *Session {
	if path == "" {
		path = DefaultStorePath
	}
	if newClient == nil {
		newClient = func(d *store.Device) *whatsmeow.Client { return NewClient(d, log) }
	}
	return &Session{path: path, container: container, newClient: newClient}
}

// LockSession takes the session lock of the session store at path (""
// is DefaultStorePath): an exclusive lock on path+".lock". It fails with
// an error wrapping store.ErrLocked while a running Piket uses the paired
// device, or another command uses the session.
func LockSession(path string) (*pstore.InstanceLock, error) {
	if path == "" {
		path = DefaultStorePath
	}
	l, err := pstore.Lock(path)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: session %s: %w", path, err)
	}
	return l, nil
}

// acquire returns a client of the paired device and holds the session lock
// until release. With no paired device, or while another process holds the
// lock (a pairing in progress), it returns nil and why. The device gone,
// logged out, is not paired even while whatsmeow is still deleting it.
func (s *Session) acquire(ctx context.Context, gone types.JID) (*whatsmeow.Client, types.JID, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Look before locking: polling an unpaired store must not take the
	// lock, even briefly, or `piket whatsapp pair` could find it taken.
	device, err := s.container.GetFirstDevice(ctx)
	if err != nil {
		return nil, types.EmptyJID, "", fmt.Errorf("whatsapp: load device: %w", err)
	}
	if device.ID == nil || (!gone.IsEmpty() && *device.ID == gone) {
		return nil, types.EmptyJID, "no paired device: run `piket whatsapp pair` (Piket picks the pairing up without a restart)", nil
	}
	if s.lock == nil {
		l, err := LockSession(s.path)
		if errors.Is(err, pstore.ErrLocked) {
			return nil, types.EmptyJID, "a device is paired, but the session is held by another command (`piket whatsapp pair` finishing?)", nil
		}
		if err != nil {
			return nil, types.EmptyJID, "", err
		}
		s.lock = l
	}
	// Read again under the lock: a pairing may have finished meanwhile.
	if device, err = s.container.GetFirstDevice(ctx); err != nil || device.ID == nil || *device.ID == gone {
		s.unlock()
		if err != nil {
			return nil, types.EmptyJID, "", fmt.Errorf("whatsapp: load device: %w", err)
		}
		return nil, types.EmptyJID, "no paired device: run `piket whatsapp pair` (Piket picks the pairing up without a restart)", nil
	}
	return s.newClient(device), *device.ID, "", nil
}

// release lets other commands use the session again.
func (s *Session) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unlock()
}

func (s *Session) unlock() {
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
}
