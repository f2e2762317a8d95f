package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
)

type fakePairer struct {
	items      []whatsmeow.QRChannelItem
	keepOpen   bool // don't close the channel after the items
	connectErr error
	phoneCode  string
	phoneErr   error

	phones      []string
	disconnects int
	loggedIn    bool
}

func (f *fakePairer) GetQRChannel(context.Context) (<-chan whatsmeow.QRChannelItem, error) {
	ch := make(chan whatsmeow.QRChannelItem, len(f.items))
	for _, it := range f.items {
		ch <- it
	}
	if !f.keepOpen {
		close(ch)
	}
	return ch, nil
}

func (f *fakePairer) ConnectContext(context.Context) error { return f.connectErr }
func (f *fakePairer) Disconnect()                          { f.disconnects++ }
func (f *fakePairer) IsLoggedIn() bool                     { return f.loggedIn }

func (f *fakePairer) PairPhone(_ context.Context, phone string, _ bool, _ whatsmeow.PairClientType, name string) (string, error) {
	f.phones = append(f.phones, phone)
	if !strings.Contains(name, " (") {
		return "", errors.New("display name must look like Browser (OS)")
	}
	return f.phoneCode, f.phoneErr
}

func qrCode(code string) whatsmeow.QRChannelItem {
	return whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: code, Timeout: 20 * time.Second}
}

func TestPairQR(t *testing.T) {
	f := &fakePairer{items: []whatsmeow.QRChannelItem{qrCode("2@first"), qrCode("2@second"), whatsmeow.QRChannelSuccess}, loggedIn: true}
	var out bytes.Buffer
	var shown []string
	if err := pair(context.Background(), f, &out, "", time.Millisecond, func(code string) { shown = append(shown, code) }); err != nil {
		t.Fatalf("pair: %v", err)
	}
	if want := []string{"2@first", "2@second"}; !slices.Equal(shown, want) {
		t.Errorf("codes handed to onQR = %q, want %q", shown, want)
	}
	s := out.String()
	for _, want := range []string{"Perangkat tertaut → Tautkan perangkat", "Kode QR baru", "▀", "Berhasil"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if f.disconnects != 1 {
		t.Errorf("disconnects = %d, want 1", f.disconnects)
	}
	if len(f.phones) != 0 {
		t.Error("PairPhone called in QR mode")
	}
}

func TestPairPhone(t *testing.T) {
	f := &fakePairer{items: []whatsmeow.QRChannelItem{qrCode("a"), qrCode("b"), whatsmeow.QRChannelSuccess}, phoneCode: "ABCD-EFGH", loggedIn: true}
	var out bytes.Buffer
	if err := pair(context.Background(), f, &out, "0812-3456-7890", time.Millisecond, nil); err != nil {
		t.Fatalf("pair: %v", err)
	}
	if want := []string{"6281234567890"}; len(f.phones) != 1 || f.phones[0] != want[0] {
		t.Errorf("PairPhone numbers %v, want %v", f.phones, want)
	}
	s := out.String()
	if !strings.Contains(s, "ABCD-EFGH") || !strings.Contains(s, "Tautkan dengan nomor telepon saja") || strings.Contains(s, "▀") {
		t.Errorf("output:\n%s", s)
	}
}

func TestPairFailures(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		f     *fakePairer
		phone string
		want  error
	}{
		{"timeout", context.Background(), &fakePairer{items: []whatsmeow.QRChannelItem{qrCode("a"), whatsmeow.QRChannelTimeout}}, "", ErrPairTimeout},
		{"channel closed", context.Background(), &fakePairer{items: []whatsmeow.QRChannelItem{qrCode("a")}}, "", ErrPairTimeout},
		{"rejected", context.Background(), &fakePairer{items: []whatsmeow.QRChannelItem{{Event: whatsmeow.QRChannelEventError, Error: errBoom}}}, "", errBoom},
		{"connect", context.Background(), &fakePairer{connectErr: errBoom}, "", errBoom},
		{"phone code", context.Background(), &fakePairer{items: []whatsmeow.QRChannelItem{qrCode("a")}, phoneErr: whatsmeow.ErrPhoneNumberTooShort}, "+6281234567890", whatsmeow.ErrPhoneNumberTooShort},
		{"ctx", cancelled, &fakePairer{keepOpen: true}, "", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pair(tt.ctx, tt.f, &bytes.Buffer{}, tt.phone, time.Millisecond, nil)
			if !errors.Is(err, tt.want) {
				t.Errorf("pair = %v, want %v", err, tt.want)
			}
		})
	}
	for _, phone := range []string{"12", "abc", "+0 812"} {
		if err := pair(context.Background(), &fakePairer{}, &bytes.Buffer{}, phone, time.Millisecond, nil); err == nil {
			t.Errorf("phone %q accepted", phone)
		}
	}
	if err := pair(context.Background(), &fakePairer{items: []whatsmeow.QRChannelItem{whatsmeow.QRChannelClientOutdated}}, &bytes.Buffer{}, "", time.Millisecond, nil); err == nil {
		t.Error("client outdated not reported")
	}
}
