package bot

import (
	"sync"
	"time"
)

// locCache loads each time zone once. Names come from validated config and
// the database; an unknown name falls back to WIB rather than failing a
// check-in.
type locCache struct {
	mu   sync.Mutex
	locs map[string]*time.Location
}

func newLocCache() *locCache { return &locCache{locs: map[string]*time.Location{}} }

func (c *locCache) get(name string) *time.Location {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.locs[name]; ok {
		return l
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" {
		l = time.FixedZone("WIB", 7*3600)
	}
	c.locs[name] = l
	return l
}
