// Package console is a terminal chat with Piket: the operator picks who
// they are, talks to the bot in private or in an office's group chat, and
// sees every message the bot sends to anyone. It reads lines from any
// reader (a terminal or a pipe); EOF ends it cleanly. Console controls
// start with ":" so they never collide with bot commands.
//
// Console chat IDs: a person's private chat is their NIP; an office's
// group chat is "grup:" + office code. Only this package reads them.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

const groupPrefix = "grup:"

// Directory is what the console reads of the staff registry.
type Directory interface {
	FindStaff(ctx context.Context, q string) ([]store.Staff, error)
	Offices(ctx context.Context) ([]store.Office, error)
}

// Clock is the console's settable simulated clock.
type Clock interface {
	Now() time.Time
	Set(time.Time)
}

// Options configure a Console.
type Options struct {
	In        io.Reader
	Out       io.Writer
	Handler   bot.Handler
	Directory Directory
	Clock     Clock
	// DefaultTZ is the zone :waktu reads and prints a time in unless the
	// time names its own (the deployment's default zone).
	DefaultTZ *time.Location
	// Advance moves the clock to a later time: with runDue, every job due
	// on the way runs, in order, and what they send is sent, before it
	// returns; without (the first :waktu, which starts the simulation),
	// nothing in between runs. Nil: the clock is set and Settle called.
	Advance func(ctx context.Context, to time.Time, runDue bool) error
	// Settle is called after each line and each clock change: it runs due
	// jobs and sends queued messages, so output appears in order.
	Settle func(ctx context.Context) error
	Lang   string
	// Prompt shows "> " before each line (for terminals).
	Prompt bool
}

// Console is the console platform adapter.
type Console struct {
	o       Options
	mu      sync.Mutex // guards out and names
	names   map[string]string
	who     *store.Staff
	group   string // office code when speaking in a group
	session int64
	seq     int
	started bool // :waktu has set the clock once
	t       consoleTexts
}

var (
	_ bot.Sender    = (*Console)(nil)
	_ bot.Addresser = (*Console)(nil)
)

// New returns a Console.
func New(o Options) *Console {
	if o.DefaultTZ == nil {
		o.DefaultTZ = time.UTC
	}
	if o.Settle == nil {
		o.Settle = func(context.Context) error { return nil }
	}
	return &Console{o: o, names: map[string]string{}, session: time.Now().UnixNano(), t: textsFor(o.Lang)}
}

// Platform implements bot.Addresser.
func (c *Console) Platform() bot.Platform { return bot.Console }

// PersonChat implements bot.Addresser.
func (c *Console) PersonChat(nip string) string { return nip }

// GroupChat implements bot.Addresser.
func (c *Console) GroupChat(code string) string { return groupPrefix + code }

// TrustsSender implements bot.Addresser: the operator picks who speaks.
func (c *Console) TrustsSender() bool { return true }

// Send implements bot.Sender: it prints the message as
// "→ [recipient] text", continuing lines indented by two spaces.
func (c *Console) Send(ctx context.Context, m bot.Outbound) (string, error) {
	label := c.label(ctx, m.ChatID)
	c.mu.Lock()
	defer c.mu.Unlock()
	lines := strings.Split(m.Text, "\n")
	var b strings.Builder
	fmt.Fprintf(&b, "→ [%s] %s\n", label, lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	if m.RequestContact {
		fmt.Fprintf(&b, "  %s\n", c.t.contactButton)
	}
	if _, err := io.WriteString(c.o.Out, b.String()); err != nil {
		return "", fmt.Errorf("console: write: %w", err)
	}
	return fmt.Sprintf("out-%d", m.ID), nil
}

func (c *Console) label(ctx context.Context, chat string) string {
	if code, ok := strings.CutPrefix(chat, groupPrefix); ok {
		return "grup " + code
	}
	c.mu.Lock()
	name, ok := c.names[chat]
	c.mu.Unlock()
	if ok {
		return name
	}
	name = chat
	if people, err := c.o.Directory.FindStaff(ctx, chat); err == nil && len(people) == 1 && people[0].NIP == chat {
		name = people[0].Name
	}
	c.mu.Lock()
	c.names[chat] = name
	c.mu.Unlock()
	return name
}

// Run reads lines until EOF or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.o.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	c.say(c.t.welcome)
	for {
		c.prompt()
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					return fmt.Errorf("console: read: %w", err)
				}
				return nil
			}
			if err := c.line(ctx, line); err != nil {
				if err == errQuit {
					return nil
				}
				return err
			}
		}
	}
}

var errQuit = fmt.Errorf("console: quit")

func (c *Console) prompt() {
	if !c.o.Prompt {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	where := ""
	if c.who != nil {
		where = c.who.Name
		if c.group != "" {
			where += " @ grup " + c.group
		}
	}
	fmt.Fprintf(c.o.Out, "%s> ", where)
}

func (c *Console) say(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.o.Out, "· "+format+"\n", args...)
}

// line handles one input line.
func (c *Console) line(ctx context.Context, line string) error {
	trimmed := strings.TrimSpace(line)
	if trimmed == "" {
		return nil
	}
	if strings.HasPrefix(trimmed, ":") {
		return c.control(ctx, trimmed)
	}
	if c.who == nil {
		c.say(c.t.pickFirst)
		return nil
	}
	c.seq++
	m := bot.Inbound{
		Platform:  bot.Console,
		MessageID: fmt.Sprintf("c%d-%d", c.session, c.seq),
		SenderID:  c.who.NIP,
		ChatID:    c.who.NIP,
		Text:      line,
		Time:      c.o.Clock.Now(),
		Addressed: true,
	}
	if c.group != "" {
		m.ChatID, m.Group = groupPrefix+c.group, true
	}
	if err := c.o.Handler.Handle(ctx, m); err != nil {
		c.say(c.t.failed, err)
		return nil
	}
	return c.settle(ctx)
}

func (c *Console) settle(ctx context.Context) error {
	if err := c.o.Settle(ctx); err != nil {
		c.say(c.t.failed, err)
	}
	return nil
}

func (c *Console) control(ctx context.Context, line string) error {
	word, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch strings.ToLower(word) {
	case ":as", ":saya":
		return c.as(ctx, arg)
	case ":grup", ":group":
		return c.joinGroup(ctx, arg)
	case ":pribadi", ":private":
		c.group = ""
		c.say(c.t.private)
	case ":waktu", ":time":
		return c.setTime(ctx, arg)
	case ":bantuan", ":help":
		c.say(c.t.help)
	case ":keluar", ":quit", ":exit":
		return errQuit
	default:
		c.say(c.t.unknownControl, word)
	}
	return nil
}

func (c *Console) as(ctx context.Context, q string) error {
	people, err := c.o.Directory.FindStaff(ctx, q)
	if err != nil {
		return fmt.Errorf("console: find staff: %w", err)
	}
	if q != "" {
		for _, p := range people {
			if p.NIP == q || strings.EqualFold(p.Name, q) {
				people = []store.Staff{p}
				break
			}
		}
	}
	switch {
	case q != "" && len(people) == 1:
		p := people[0]
		c.who = &p
		if c.group != "" && c.group != p.Office.Code {
			c.group = ""
		}
		roles := ""
		if len(p.Roles) > 0 {
			roles = ", " + strings.Join(p.Roles, ",")
		}
		c.say(c.t.nowYou, p.Name, p.NIP, p.Office.Code, p.Level, roles)
		return nil
	case q != "" && len(people) == 0:
		c.say(c.t.noMatch, q)
		return nil
	case q != "":
		c.say(c.t.manyMatch, q)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range people {
		role := ""
		if len(p.Roles) > 0 {
			role = " (" + strings.Join(p.Roles, ",") + ")"
		}
		fmt.Fprintf(c.o.Out, "  %s  %-12s %-10s %s%s\n", p.NIP, p.Office.Code, p.Level, p.Name, role)
	}
	return nil
}

func (c *Console) joinGroup(ctx context.Context, code string) error {
	if code == "" && c.who != nil {
		code = c.who.Office.Code
	}
	offices, err := c.o.Directory.Offices(ctx)
	if err != nil {
		return fmt.Errorf("console: list offices: %w", err)
	}
	var codes []string
	for _, o := range offices {
		codes = append(codes, o.Code)
		if strings.EqualFold(o.Code, code) {
			c.group = o.Code
			c.say(c.t.inGroup, o.Code)
			return nil
		}
	}
	c.say(c.t.noOffice, code, strings.Join(codes, ", "))
	return nil
}

func (c *Console) setTime(ctx context.Context, arg string) error {
	if arg == "" {
		loc := c.o.DefaultTZ
		c.say(c.t.timeIs, c.o.Clock.Now().In(loc).Format("2006-01-02 15:04"), bot.ZoneName(loc))
		return nil
	}
	t, loc, err := parseTime(arg, c.o.DefaultTZ)
	if err != nil {
		c.say(c.t.badTime, arg)
		return nil
	}
	if now := c.o.Clock.Now(); c.started && t.Before(now) {
		c.say(c.t.timeBack, now.In(loc).Format("2006-01-02 15:04"), bot.ZoneName(loc))
		return nil
	}
	c.say(c.t.timeSet, t.In(loc).Format("2006-01-02 15:04"), bot.ZoneName(loc))
	runDue := c.started
	c.started = true
	if c.o.Advance == nil {
		c.o.Clock.Set(t)
		return c.settle(ctx)
	}
	if err := c.o.Advance(ctx, t, runDue); err != nil {
		if ctx.Err() != nil {
			return nil // shutting down
		}
		c.say(c.t.failed, err)
	}
	return nil
}

type consoleTexts struct {
	welcome, pickFirst, failed, private, help, unknownControl, nowYou, noMatch, manyMatch,
	inGroup, noOffice, timeIs, badTime, timeBack, timeSet, contactButton string
}

func textsFor(lang string) consoleTexts {
	if lang == "en" {
		return consoleTexts{
			welcome:        "Piket console. :as NAME-or-NIP picks who you are, :as lists people, :grup OPD speaks in an office group, :pribadi back to private, :waktu YYYY-MM-DD HH:MM [WIB|WITA|WIT] sets the simulated clock (forward only; the jobs due on the way run), :bantuan help. Ctrl-D ends.",
			pickFirst:      "Pick who you are first: :as NIP or part of a name (:as lists everyone).",
			failed:         "error: %v",
			private:        "Now in the private chat with the bot.",
			help:           "Controls: :as [NIP|name], :grup [OPD], :pribadi, :waktu [YYYY-MM-DD HH:MM [WIB|WITA|WIT]], :keluar. Anything else is a chat message; try /bantuan.",
			unknownControl: "Unknown console control %s (try :bantuan).",
			nowYou:         "You are now %s (NIP %s, %s, %s%s).",
			noMatch:        "Nobody matches %q.",
			manyMatch:      "More than one person matches %q; be more specific:",
			inGroup:        "Now speaking in the group chat of %s.",
			noOffice:       "No office %q. Offices: %s.",
			timeIs:         "Simulated time: %s %s.",
			badTime:        "Cannot read the time %q; write e.g. :waktu 2020-03-18 15:00 or :waktu 2020-03-18 08:00 WITA.",
			timeBack:       "The simulated clock does not go back: it is already %s %s. Give that time or a later one.",
			timeSet:        "Simulated time set to %s %s.",
			contactButton:  "[button: Share phone number]",
		}
	}
	return consoleTexts{
		welcome:        "Konsol Piket. :as NAMA-atau-NIP memilih siapa Anda, :as menampilkan daftar pegawai, :grup OPD berbicara di grup OPD, :pribadi kembali ke obrolan pribadi, :waktu YYYY-MM-DD HH:MM [WIB|WITA|WIT] mengatur jam simulasi (hanya maju; tugas terjadwal yang terlewati dijalankan), :bantuan bantuan. Ctrl-D untuk selesai.",
		pickFirst:      "Pilih dulu siapa Anda: :as NIP atau bagian nama (:as menampilkan semua pegawai).",
		failed:         "galat: %v",
		private:        "Sekarang di obrolan pribadi dengan bot.",
		help:           "Kontrol: :as [NIP|nama], :grup [OPD], :pribadi, :waktu [YYYY-MM-DD HH:MM [WIB|WITA|WIT]], :keluar. Baris lain adalah pesan obrolan; coba /bantuan.",
		unknownControl: "Kontrol konsol %s tidak dikenal (coba :bantuan).",
		nowYou:         "Anda sekarang %s (NIP %s, %s, %s%s).",
		noMatch:        "Tidak ada pegawai yang cocok dengan %q.",
		manyMatch:      "Lebih dari satu pegawai cocok dengan %q; persempit pencarian:",
		inGroup:        "Sekarang berbicara di grup %s.",
		noOffice:       "OPD %q tidak ada. Daftar OPD: %s.",
		timeIs:         "Waktu simulasi: %s %s.",
		badTime:        "Waktu %q tidak terbaca; tulis misalnya :waktu 2020-03-18 15:00 atau :waktu 2020-03-18 08:00 WITA.",
		timeBack:       "Maaf, jam simulasi tidak bisa mundur: sekarang sudah %s %s. Tulis waktu itu atau sesudahnya.",
		timeSet:        "Waktu simulasi diatur ke %s %s.",
		contactButton:  "[tombol: Bagikan nomor telepon]",
	}
}
