package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/types"
)

type fakeLister struct {
	groups []*types.GroupInfo
	err    error
}

func (f fakeLister) GetJoinedGroups(context.Context) ([]*types.GroupInfo, error) {
	return f.groups, f.err
}

func TestListGroups(t *testing.T) {
	g2 := types.NewJID("120363000000000002", types.GroupServer)
	lister := fakeLister{groups: []*types.GroupInfo{
		{JID: groupJID, GroupName: types.GroupName{Name: "Piket Kecamatan"}, Participants: make([]types.GroupParticipant, 3)},
		nil,
		{JID: g2, GroupName: types.GroupName{Name: "Dinas\tKominfo"}, ParticipantCount: 41},
	}}
	got, err := ListGroups(context.Background(), lister)
	if err != nil {
		t.Fatal(err)
	}
	want := []Group{
		{JID: "120363000000000002@g.us", Name: "Dinas\tKominfo", Participants: 41},
		{JID: "120363000000000001@g.us", Name: "Piket Kecamatan", Participants: 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListGroups = %+v, want %+v", got, want)
	}

	var out bytes.Buffer
	if err := PrintGroups(&out, got); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID GRUP") ||
		!strings.Contains(lines[1], "120363000000000002@g.us") || !strings.HasSuffix(lines[1], "Dinas Kominfo") ||
		!strings.Contains(lines[2], " 3 ") {
		t.Errorf("PrintGroups output:\n%s", out.String())
	}
}

func TestListGroupsEmptyAndError(t *testing.T) {
	var out bytes.Buffer
	if err := PrintGroups(&out, nil); err != nil || !strings.Contains(out.String(), "belum tergabung") {
		t.Errorf("PrintGroups(nil) = %v, %q", err, out.String())
	}
	if _, err := ListGroups(context.Background(), fakeLister{err: errBoom}); !errors.Is(err, errBoom) {
		t.Errorf("ListGroups error = %v, want wrapped errBoom", err)
	}
}
