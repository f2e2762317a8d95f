package bench

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/store"
)

// E2EConfig sizes the end-to-end run: the real `piket serve` in a child
// process, polling a fake Bot API with Telegram's limits.
type E2EConfig struct {
	Staff, Offices int     // imported staff, every one linked on Telegram
	Messages       int     // check-ins of the ingest phase (≤ Staff)
	Latency        int     // check-ins of each latency phase
	LatencyRate    float64 // check-ins per second in the latency phases
	Wave           int     // bulk messages queued before the second latency phase
	Rounds         int     // the ingest and the raw baseline alternate this many times (default 1)
	Dir            string  // where the database goes (default: a temporary directory)
}

// E2EResult is one end-to-end run.
type E2EResult struct {
	Staff, Messages int
	Rounds          int
	Warm            int           // check-ins before each round's measure (serve's and the baseline's), not counted
	Elapsed         time.Duration // ingest: first update injected → last check-in committed, summed over the rounds
	Raw             float64       // the raw four-row baseline, check-ins/s, same file, in rounds between the ingest's
	P50, P99        time.Duration // reply latency, update → sendMessage, nothing queued
	WaveP50         time.Duration // the same with the bulk wave queued
	WaveP99         time.Duration
	Wave            int
	WaveSent        int     // wave messages the fake received during the measure
	Got429          int     // 429 answers over the whole run
	DispatcherShare float64 // of the serving process's CPU samples under ingest
	ServeCPU        float64 // CPU seconds per second of the serving process under ingest
	IdleRSS         uint64  // serving process, polling, nothing to do
	LoadRSS         uint64  // its peak under the ingest
	Profile         string  // the CPU profile of the ingest's first round (each round's is kept with -dir)
}

// PerSecond is the check-ins committed per second.
func (r E2EResult) PerSecond() float64 { return float64(r.Messages) / r.Elapsed.Seconds() }

// Ratio is the ingest against the raw baseline.
func (r E2EResult) Ratio() float64 { return r.PerSecond() / r.Raw }

// warmUp is how many check-ins serve handles after each restart before a
// round is measured (and the baseline writes before its clock starts).
func warmUp(perRound int) int { return min(1000, perRound/10) }

// tgUser is the Telegram user (and private chat) ID of the i-th staff member.
func tgUser(i int) int64 { return 7_000_000_000 + int64(i) }

// E2E imports and links c.Staff people, starts `piket serve` on the
// database as a child process of this binary (ServeChild), and measures,
// through the fake Bot API: reply latency with nothing queued and with a
// bulk wave queued, then the committed check-in rate of a flood of
// check-ins, and afterwards the raw baseline on the same file.
func E2E(ctx context.Context, c E2EConfig, progress io.Writer) (E2EResult, error) {
	step := func(f string, a ...any) { fmt.Fprintf(progress, "piket-bench: e2e: "+f+"\n", a...) }
	res := E2EResult{Staff: c.Staff, Messages: c.Messages, Wave: c.Wave, Rounds: max(c.Rounds, 1)}
	res.Warm = warmUp(c.Messages / res.Rounds)
	if c.Messages+2*c.Latency+res.Rounds*res.Warm > c.Staff {
		return res, errors.New("bench: e2e: more check-ins than staff")
	}
	dir := c.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "piket-e2e-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	dir = filepath.Join(dir, "e2e")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	step("importing %d staff in %d offices and linking them on Telegram", c.Staff, c.Offices)
	env, err := NewEnv(ctx, dir, c.Staff, c.Offices)
	if err != nil {
		return res, err
	}
	if err := linkAll(ctx, env.Store); err != nil {
		env.Close()
		return res, err
	}
	if err := env.Close(); err != nil {
		return res, err
	}

	tb := &nopTB{}
	defer tb.close()
	fake := tgfake.New(tb, tgfake.Options{Limits: tgfake.DefaultLimits()})
	child, err := startServe(ctx, dir, env.Path, fake, 0)
	if err != nil {
		return res, err
	}
	defer func() { child.kill() }() // the last one started
	if err := waitFor(ctx, 60*time.Second, "serve to poll", func() bool { return fake.Calls("getUpdates") > 0 }); err != nil {
		return res, child.explain(err)
	}
	time.Sleep(2 * time.Second) // start-up work done, the first sends' warm-up over
	res.IdleRSS = child.rss()

	next := 0 // the next person to check in
	people := func(n int) []int {
		ps := make([]int, n)
		for i := range ps {
			ps[i] = next
			next++
		}
		return ps
	}
	step("reply latency: %d check-ins at %g/s, nothing queued", c.Latency, c.LatencyRate)
	if res.P50, res.P99, err = replyLatency(ctx, fake, people(c.Latency), c.LatencyRate); err != nil {
		return res, child.explain(err)
	}

	step("reply latency again behind a wave of %d bulk messages", c.Wave)
	waveFrom := len(fake.Sent())
	if err := queueWave(ctx, env.Path, c.Wave, c.Staff); err != nil {
		return res, err
	}
	if err := waitFor(ctx, 30*time.Second, "the wave to start", func() bool { return len(fake.Sent()) > waveFrom+10 }); err != nil {
		return res, child.explain(err)
	}
	if res.WaveP50, res.WaveP99, err = replyLatency(ctx, fake, people(c.Latency), c.LatencyRate); err != nil {
		return res, child.explain(err)
	}
	res.WaveSent = len(fake.Sent()) - waveFrom - c.Latency

	// The ingest and the raw baseline alternate in rounds, serve stopped
	// while the baseline runs (no second writer on the file): load from
	// elsewhere on a shared machine then weighs on both sides of the
	// ratio alike, not on whichever ran in a busier moment.
	rounds := max(c.Rounds, 1)
	db, err := sql.Open("sqlite", store.DSN(env.Path))
	if err != nil {
		return res, err
	}
	defer db.Close()
	count := func() (int, error) {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM attendance`).Scan(&n)
		return n, err
	}
	// While serve works, progress is read from the highest row ID: the
	// rows are only added to, and counting them all (an index scan of a
	// growing table, ten times a second) would take CPU serve shares.
	last := func() (int, error) {
		var n sql.NullInt64
		err := db.QueryRowContext(ctx, `SELECT max(rowid) FROM attendance`).Scan(&n)
		return int(n.Int64), err
	}
	inject := func(ps []int) {
		flood := make([]models.Update, 0, len(ps))
		for _, p := range ps {
			flood = append(flood, models.Update{Message: fake.NewMessage(tgUser(p), tgUser(p), checkInTexts[p%len(checkInTexts)])})
		}
		fake.InjectMany(flood) // serve starts on them now
	}
	// The end is known to within 10 ms (a round lasts about a second:
	// polling every 100 ms overstated it by 5 % on average); reading the
	// highest row ID is one index seek, so polling this often costs
	// serve no CPU worth counting.
	committed := func(fromID, n int, timeout time.Duration, what string) error {
		return waitEvery(ctx, 10*time.Millisecond, timeout, what, func() bool {
			k, err := last()
			return err == nil && k >= fromID+n
		})
	}
	var cpu, wall, rawTime time.Duration
	var profiles []string
	rawDone := 0
	for r := range rounds {
		n := c.Messages/rounds + boolInt(r < c.Messages%rounds)
		if r > 0 {
			polls := fake.Calls("getUpdates")
			if child, err = startServe(ctx, dir, env.Path, fake, r); err != nil {
				return res, err
			}
			if err := waitFor(ctx, 60*time.Second, "serve to poll again", func() bool { return fake.Calls("getUpdates") > polls }); err != nil {
				return res, child.explain(err)
			}
		}
		// serve is restarted for each round only so that the baseline
		// has the file alone; a serving process is warm (caches, heap,
		// prepared statements) by the time a wave comes: it handles a
		// few check-ins first, and the baseline writes as many first.
		if res.Warm > 0 {
			step("warm-up, round %d of %d: %d check-ins, not counted", r+1, rounds, res.Warm)
			fromID, err := last()
			if err != nil {
				return res, err
			}
			inject(people(res.Warm))
			if err := committed(fromID, res.Warm, time.Minute, "the warm-up check-ins to be committed"); err != nil {
				return res, child.explain(err)
			}
		}
		step("ingest, round %d of %d: %d check-ins, served in batches of up to 100", r+1, rounds, n)
		base, err := count()
		if err != nil {
			return res, err
		}
		baseID, err := last()
		if err != nil {
			return res, err
		}
		if err := child.signal(syscall.SIGUSR1); err != nil { // profile on
			return res, err
		}
		cpu0, wall0 := child.cpu(), time.Now()
		peak := child.peakRSS(50 * time.Millisecond)
		inject(people(n))
		start := time.Now()
		err = committed(baseID, n, 10*time.Minute, "the check-ins to be committed")
		res.Elapsed += time.Since(start)
		if err == nil {
			// Every row ID used is a check-in stored, once.
			if k, cerr := count(); cerr != nil || k != base+n {
				err = cmp.Or(cerr, fmt.Errorf("bench: e2e: %d check-ins committed in round %d, want %d", k-base, r+1, n))
			}
		}
		res.LoadRSS = max(res.LoadRSS, peak())
		cpu += child.cpu() - cpu0
		wall += time.Since(wall0)
		if serr := child.signal(syscall.SIGUSR1); serr != nil && err == nil { // profile off
			err = serr
		}
		if err != nil {
			return res, child.explain(err)
		}
		profiles = append(profiles, child.profile)
		time.Sleep(500 * time.Millisecond) // the profile is written
		res.Got429 = fake.Count429()
		if err := child.stop(); err != nil {
			return res, err
		}

		step("raw baseline, round %d of %d: %d check-ins' four rows, 1,000 per transaction, same file, serve stopped", r+1, rounds, n)
		raw, err := RawCheckInCeiling(ctx, env.Path, res.Warm, n, 1000)
		if err != nil {
			return res, err
		}
		rawTime += time.Duration(float64(n) / raw * float64(time.Second))
		rawDone += n
	}
	res.Raw = float64(rawDone) / rawTime.Seconds()
	res.ServeCPU = cpu.Seconds() / wall.Seconds()
	res.Profile = profiles[0]
	if res.DispatcherShare, err = dispatcherShare(profiles...); err != nil {
		step("dispatcher share unknown: %v", err)
		res.DispatcherShare = -1
	}
	return res, nil
}

// linkAll links every active staff member to Telegram user tgUser(i), in
// import order, as /daftar with a contact card would.
func linkAll(ctx context.Context, st *store.Store) error {
	active, err := st.ActiveStaff(ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(active, func(a, b store.Staff) int { return int(a.ID - b.ID) })
	now := time.Now()
	for from := 0; from < len(active); from += 5000 {
		part := active[from:min(from+5000, len(active))]
		err := st.Tx(ctx, func(tx *store.Tx) error {
			for i, s := range part {
				id := strconv.FormatInt(tgUser(from+i), 10)
				if err := tx.LinkIdentity(ctx, s.ID, store.Identity{Platform: "telegram", ExternalID: id, ChatID: id}, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("bench: link staff: %w", err)
		}
	}
	return nil
}

// queueWave queues n bulk messages (a reminder wave) to the last n
// people, from a second process's connection as `piket` commands do;
// the serving dispatcher notices the commit.
func queueWave(ctx context.Context, path string, n, staff int) error {
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	return st.Tx(ctx, func(tx *store.Tx) error {
		for i := range n {
			chat := strconv.FormatInt(tgUser(staff-1-i%staff), 10)
			_, _, err := tx.Enqueue(ctx, store.OutMsg{Platform: "telegram", ChatID: chat, Priority: store.PriorityBulk,
				Text: "Pengingat: jangan lupa absen hari ini sebelum 08.00."}, now)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// replyLatency sends one check-in from each of people at rate per second
// and returns the median and 99th percentile of the time from injecting
// the update to the fake receiving the reply's sendMessage.
func replyLatency(ctx context.Context, fake *tgfake.Server, people []int, rate float64) (p50, p99 time.Duration, err error) {
	sentAt := make(map[int64]time.Time, len(people))
	iv := time.Duration(float64(time.Second) / rate)
	tick := time.NewTicker(iv)
	defer tick.Stop()
	for _, p := range people {
		u := tgUser(p)
		sentAt[u] = time.Now()
		fake.PrivateText(u, "hadir wfh sehat")
		select {
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		case <-tick.C:
		}
	}
	var lat []time.Duration
	err = waitFor(ctx, 2*time.Minute, "every reply", func() bool {
		lat = lat[:0]
		seen := make(map[int64]bool, len(people))
		for _, m := range fake.Sent() {
			if at, ok := sentAt[m.ChatID]; ok && !seen[m.ChatID] && !m.Time.Before(at) {
				seen[m.ChatID] = true // the first message after the check-in
				lat = append(lat, m.Time.Sub(at))
			}
		}
		return len(lat) >= len(people)
	})
	if err != nil {
		return 0, 0, err
	}
	slices.Sort(lat)
	return quantile(lat, 0.5), quantile(lat, 0.99), nil
}

// waitFor polls cond every 20 ms until it holds, limit passes or ctx ends.
func waitFor(ctx context.Context, limit time.Duration, what string, cond func() bool) error {
	return waitEvery(ctx, 20*time.Millisecond, limit, what, cond)
}

// waitEvery is waitFor polling every interval.
func waitEvery(ctx context.Context, every, limit time.Duration, what string, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: e2e: timed out after %s waiting for %s", limit, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
	return nil
}

// serveProcess is the child running `piket serve`.
type serveProcess struct {
	cmd     *exec.Cmd
	log     string
	profile string // its CPU profile (SIGUSR1)
	done    chan error
	once    sync.Once
}

// startServe writes a configuration for the database at db and the fake,
// and starts this binary as the serving child (ServeChild).
func startServe(ctx context.Context, dir, db string, fake *tgfake.Server, round int) (*serveProcess, error) {
	cfg := filepath.Join(dir, "piket.yaml")
	yaml := fmt.Sprintf(`database: %s
timezone: Asia/Jakarta
console:
  enabled: false
telegram:
  enabled: true
  token: %q
  api_url: %s
  mode: polling
http:
  listen: 127.0.0.1:0
log:
  level: warn
`, db, fake.Token(), fake.URL())
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "serve.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self)
	prof := filepath.Join(dir, fmt.Sprintf("serve-ingest-%d.pprof", round+1))
	cmd.Env = append(os.Environ(), ServeEnv+"="+cfg, profileEnv+"="+prof)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	p := &serveProcess{cmd: cmd, log: logPath, profile: prof, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); logf.Close() }()
	return p, nil
}

func (p *serveProcess) signal(s os.Signal) error { return p.cmd.Process.Signal(s) }

// stop ends serve as a SIGTERM does and waits for it.
func (p *serveProcess) stop() error {
	var err error
	p.once.Do(func() {
		_ = p.signal(syscall.SIGTERM)
		select {
		case err = <-p.done:
		case <-time.After(60 * time.Second):
			_ = p.cmd.Process.Kill()
			err = errors.New("bench: e2e: serve did not stop within a minute")
		}
	})
	return err
}

func (p *serveProcess) kill() {
	p.once.Do(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
}

// explain adds the end of serve's log to err.
func (p *serveProcess) explain(err error) error {
	b, _ := os.ReadFile(p.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return fmt.Errorf("%w; serve's log ends:\n%s", err, b)
}

// rss is the child's resident set size.
func (p *serveProcess) rss() uint64 { return procRSS(p.cmd.Process.Pid) }

// cpu is the child's user + system CPU time so far.
func (p *serveProcess) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

// peakRSS samples the child's RSS until the returned function is called.
func (p *serveProcess) peakRSS(every time.Duration) func() uint64 {
	stop := peakOf(every, func() MemSample { return MemSample{RSS: p.rss()} })
	return func() uint64 { return stop().RSS }
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
