package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram"
	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/outbox"
)

// Several Telegram bots: the 07:45 check-in reminder of staff whose
// offices are split between two bots, queued by the real reminder job and
// sent by the real dispatcher and Telegram adapters, each bot against its
// own fake Bot API with Telegram's real limits.

// secondBot is the account name of the second bot in the wave.
const secondBot = "kedua"

// WaveResult is one reminder wave over two bots.
type WaveResult struct {
	PerBot  int           // reminders each bot delivers
	Offices int           // offices, alternately on each bot
	Queue   time.Duration // the reminder job over every office (queuing only)
	Elapsed time.Duration // first to last send over both bots
	Sent    [2]int        // messages each fake received
	Rate    [2]float64    // each bot's messages/s, its first to last send
	Got429  [2]int        // 429 answers of each fake
	Allowed float64       // Telegram's limit per bot: 30/s
}

// Fraction is what both bots together delivered per second, over twice
// the limit of one bot.
func (r WaveResult) Fraction() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Sent[0]+r.Sent[1]-1) / r.Elapsed.Seconds() / (2 * r.Allowed)
}

// splitAccounts serves every other office from the second bot.
type splitAccounts map[string]string

func (s splitAccounts) Account(p bot.Platform, office string) string {
	if p != bot.Telegram {
		return ""
	}
	return s[office]
}

func (splitAccounts) Handle(bot.Platform, string) string { return "" }

// waveDay is a working day (Monday 16 March 2026) at 07:45 WIB, two weeks
// after the offices' go-live.
var (
	waveDay    = time.Date(2026, 3, 16, 7, 45, 0, 0, time.FixedZone("WIB", 7*3600))
	waveGoLive = civil.Date{Year: 2026, Month: 3, Day: 2}
)

// newAccountsEnv imports n generated staff in offices offices in dir,
// links each on Telegram (chat = user = staff ID) and returns the store,
// the office codes and the service that serves every other office from
// the second bot.
func newAccountsEnv(ctx context.Context, dir string, n, offices int, link bool) (*Env, []string, splitAccounts, *bot.Service, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, nil, nil, err
	}
	env, err := NewEnv(ctx, dir, n, offices)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	all, err := env.Store.Offices(ctx)
	if err != nil {
		env.Close()
		return nil, nil, nil, nil, err
	}
	codes := make([]string, len(all))
	split := splitAccounts{}
	for i, o := range all {
		codes[i] = o.Code
		if i%2 == 1 {
			split[o.Code] = secondBot
		}
	}
	if link {
		if _, err := env.Store.DB().ExecContext(ctx, `INSERT INTO identities (platform, external_id, chat_id, staff_id, linked_at)
			SELECT 'telegram', id, id, id, 0 FROM staff`); err != nil {
			env.Close()
			return nil, nil, nil, nil, fmt.Errorf("bench: link staff: %w", err)
		}
	}
	svc := bot.New(bot.Options{
		Store: env.Store, Clock: time.Now, Accounts: split,
		Policy: func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60, Since: waveGoLive} },
	})
	return env, codes, split, svc, nil
}

// TwoBotWave sends the check-in reminder to perBot×2 linked staff, whose
// offices are split between two bots, through the real reminder job,
// dispatcher and Telegram adapters, each bot against its own fake Bot API
// enforcing Telegram's limits (30/s a bot, 1/s a chat, 20/min a group).
func TwoBotWave(ctx context.Context, dir string, perBot, offices int) (WaveResult, error) {
	res := WaveResult{PerBot: perBot, Offices: offices, Allowed: 30}
	env, codes, _, svc, err := newAccountsEnv(ctx, filepath.Join(dir, "wave"), 2*perBot, offices, true)
	if err != nil {
		return res, err
	}
	defer env.Close()

	tb := &nopTB{}
	defer tb.close()
	fakes := [2]*tgfake.Server{
		tgfake.New(tb, tgfake.Options{}),
		tgfake.New(tb, tgfake.Options{Token: "222222222:TEST-second-bot", Username: "piket_kedua_bot"}),
	}
	var senders [2]bot.Sender
	for i, f := range fakes {
		account := ""
		if i == 1 {
			account = secondBot
		}
		ad, err := telegram.New(telegram.Options{Token: f.Token(), APIURL: f.URL(), Account: account, Handler: nopHandler{}, Offsets: noOffsets{}, Username: f.Username()})
		if err != nil {
			return res, err
		}
		senders[i] = ad
	}
	d := outbox.New(outbox.Options{Store: env.Store,
		Senders:  map[bot.Platform]bot.Sender{bot.Telegram: senders[0]},
		Limits:   map[bot.Platform]outbox.Limits{bot.Telegram: outbox.TelegramLimits()},
		Accounts: []outbox.Account{{Queue: outbox.Queue{Platform: bot.Telegram, Account: secondBot}, Sender: senders[1], Limits: outbox.TelegramLimits()}},
	})
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Run(rctx) }()

	// The 07:45 job: every office's reminder, while the dispatcher runs.
	rem := bot.NewReminders(svc)
	t0 := time.Now()
	queued := 0
	for _, code := range codes {
		n, err := rem.RemindCheckIn(ctx, code, waveDay)
		if err != nil {
			return res, err
		}
		queued += n
	}
	res.Queue = time.Since(t0)
	d.Notify()
	if queued != 2*perBot {
		return res, fmt.Errorf("bench: wave: the reminder job queued %d reminders, want %d", queued, 2*perBot)
	}
	if err := waitDrained(ctx, env.Store, time.Duration(float64(perBot)/29*float64(time.Second))*2+time.Minute); err != nil {
		return res, err
	}
	cancel()
	<-done
	var first, last time.Time
	for i, f := range fakes {
		sent := f.Sent()
		res.Sent[i], res.Got429[i] = len(sent), f.Count429()
		if len(sent) < 2 {
			return res, fmt.Errorf("bench: wave: bot %d received %d messages", i+1, len(sent))
		}
		a, b := sent[0].Time, sent[len(sent)-1].Time
		res.Rate[i] = float64(len(sent)-1) / b.Sub(a).Seconds()
		if first.IsZero() || a.Before(first) {
			first = a
		}
		if b.After(last) {
			last = b
		}
	}
	res.Elapsed = last.Sub(first)
	return res, nil
}

// LinkResult is linking people by their Telegram contact cards.
type LinkResult struct {
	People      int
	Senders     int
	Elapsed     time.Duration
	First, Last float64 // links/s over the first and the last tenth
	// FirstCPU and LastCPU are the process's CPU time per link over the
	// first and the last tenth (zero where /proc/self/stat is missing):
	// what a growing cost (a scan) would raise, whatever else the machine
	// runs meanwhile.
	FirstCPU, LastCPU time.Duration
}

// CPURatio is the last tenth's CPU time per link over the first's.
func (r LinkResult) CPURatio() float64 {
	if r.FirstCPU == 0 {
		return 0
	}
	return float64(r.LastCPU) / float64(r.FirstCPU)
}

// Ratio is the last tenth's rate over the first's (1: constant).
func (r LinkResult) Ratio() float64 {
	if r.First == 0 {
		return 0
	}
	return r.Last / r.First
}

// LinkByContact links n generated staff, each by sharing their own
// contact card with their office's bot (offices split between two bots),
// through the real handler from senders concurrent senders, and measures
// the rate of the first and the last tenth.
func LinkByContact(ctx context.Context, dir string, n, offices, senders int) (LinkResult, error) {
	res := LinkResult{People: n, Senders: senders}
	env, _, split, svc, err := newAccountsEnv(ctx, filepath.Join(dir, "link"), n, offices, false)
	if err != nil {
		return res, err
	}
	defer env.Close()
	type card struct {
		user, phone, account string
	}
	rows, err := env.Store.DB().QueryContext(ctx, `SELECT s.id, s.phone, o.code FROM staff s JOIN offices o ON o.id = s.office_id WHERE s.active = 1 ORDER BY s.id`)
	if err != nil {
		return res, err
	}
	var cards []card
	for rows.Next() {
		var id int64
		var phone, office string
		if err := rows.Scan(&id, &phone, &office); err != nil {
			rows.Close()
			return res, err
		}
		cards = append(cards, card{user: strconv.FormatInt(1_000_000+id, 10), phone: phone, account: split[office]})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	if len(cards) != n {
		return res, fmt.Errorf("bench: link: %d staff with phones, want %d", len(cards), n)
	}
	done := make([]time.Time, n)
	tenth := n / 10
	var finished atomic.Int64
	var cpu [4]time.Duration // at the start, after the first tenth, before the last, at the end
	cpu[0] = cpuTime()
	start := time.Now()
	err = inParallel(ctx, n, senders, func(i int) error {
		c := cards[i]
		id := c.user + ":1" // the adapter's message key: chat:message, prefixed by a second bot's name
		if c.account != "" {
			id = c.account + "/" + id
		}
		m := bot.Inbound{Platform: bot.Telegram, Account: c.account, MessageID: id, ChatID: c.user, SenderID: c.user,
			Contact: &bot.Contact{Phone: c.phone, UserID: c.user}}
		if err := svc.Handle(ctx, m); err != nil {
			return err
		}
		done[i] = time.Now()
		switch int(finished.Add(1)) {
		case tenth:
			cpu[1] = cpuTime()
		case n - tenth:
			cpu[2] = cpuTime()
		case n:
			cpu[3] = cpuTime()
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("bench: link: %w", err)
	}
	res.Elapsed = time.Since(start)
	var linked int
	if err := env.Store.DB().QueryRowContext(ctx, `SELECT count(*) FROM identities WHERE platform = 'telegram'`).Scan(&linked); err != nil {
		return res, err
	}
	if linked != n {
		return res, fmt.Errorf("bench: link: %d people linked, want %d", linked, n)
	}
	slices.SortFunc(done, time.Time.Compare)
	if tenth < 1 {
		return res, nil
	}
	res.First = float64(tenth) / done[tenth-1].Sub(start).Seconds()
	res.Last = float64(tenth) / done[n-1].Sub(done[n-1-tenth]).Seconds()
	if cpu[3] > 0 {
		res.FirstCPU = (cpu[1] - cpu[0]) / time.Duration(tenth)
		res.LastCPU = (cpu[3] - cpu[2]) / time.Duration(tenth)
	}
	return res, nil
}

// cpuTime is the CPU time the process used so far (user and system,
// from /proc/self/stat in clock ticks of 10 ms); 0 where it cannot be
// read.
func cpuTime() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name in parentheses: state is the 3rd
	// field, utime the 14th, stime the 15th.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// inParallel calls f(0) … f(n-1) from workers goroutines and returns the
// first error.
func inParallel(ctx context.Context, n, workers int, f func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// AccountsResult is the several-accounts part of a bench run.
type AccountsResult struct {
	Wave WaveResult
	Link LinkResult
}

// Accounts runs the two-bot wave and the linking of c.LinkPeople people.
func Accounts(ctx context.Context, c Config, dir string, step func(string, ...any)) (AccountsResult, error) {
	var res AccountsResult
	// At least 25 people an office (the generator needs 4), at most c.Offices.
	offices := func(people int) int { return max(2, min(c.Offices, people/25)) }
	step("accounts: a 2 × %d reminder wave, offices split between two bots, at Telegram's real limits", c.WavePerBot)
	w, err := TwoBotWave(ctx, dir, c.WavePerBot, offices(2*c.WavePerBot))
	if err != nil {
		return res, err
	}
	step("accounts: linking %d people by contact card, each with their office's bot", c.LinkPeople)
	l, err := LinkByContact(ctx, dir, c.LinkPeople, offices(c.LinkPeople), 64)
	if err != nil {
		return res, err
	}
	return AccountsResult{Wave: w, Link: l}, nil
}

// print writes the rows of r with p; ok marks a figure below its target.
func (r AccountsResult) print(p func(string, ...any), ok func(bool) string) {
	w, l := r.Wave, r.Link
	p("accounts: 2 bots, offices split, reminder wave 2 × %d (job queuing %s)\t%d + %d sent in %s\t",
		w.PerBot, w.Queue.Round(time.Millisecond), w.Sent[0], w.Sent[1], w.Elapsed.Round(100*time.Millisecond))
	p("accounts: wave rate per bot (first to last send)\t%.1f/s, %.1f/s of %.0f/s\t", w.Rate[0], w.Rate[1], w.Allowed)
	p("accounts: wave, both bots / (2 × %.0f/s)\t%.3f\t≥ 0.95 %s", w.Allowed, w.Fraction(), ok(w.Fraction() >= 0.95))
	p("accounts: 429 answers during the wave (bot 1, bot 2)\t%d, %d\t0 %s", w.Got429[0], w.Got429[1], ok(w.Got429 == [2]int{}))
	p("accounts: linking %d people by contact card (%d senders), links/s first / last 10 %%\t%.0f / %.0f = %.2f\twithin 20 %% %s",
		l.People, l.Senders, l.First, l.Last, l.Ratio(), ok(l.Ratio() >= 0.8 && l.Ratio() <= 1.25))
	p("accounts: linking, CPU time per link first / last 10 %% (a scan would grow it)\t%s / %s = %.2f\t",
		l.FirstCPU.Round(time.Microsecond), l.LastCPU.Round(time.Microsecond), l.CPURatio())
}
