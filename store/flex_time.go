package store

import (
	"context"
	"fmt"
	"time"

	"github.com/piket-id/piket/civil"
)

// SaveDayEnd records the end of a person's working day (/pulang) and the
// minutes worked; a later /pulang the same day replaces it.
func (t *Tx) SaveDayEnd(ctx context.Context, staffID int64, day civil.Date, end time.Time, minutes int, inboundID int64) error {
	_, err := t.exec(ctx, `INSERT INTO day_ends (staff_id, day, end_at, minutes, inbound_id) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (staff_id, day) DO UPDATE SET end_at = excluded.end_at, minutes = excluded.minutes, inbound_id = excluded.inbound_id`,
		staffID, day.String(), ms(end), minutes, nullID(inboundID))
	if err != nil {
		return fmt.Errorf("store: save day end: %w", err)
	}
	return nil
}

// DayMinutes returns a person's recorded minutes per day between from and
// to (inclusive).
func (t *Tx) DayMinutes(ctx context.Context, staffID int64, from, to civil.Date) (map[civil.Date]int, error) {
	rows, err := t.query(ctx, `SELECT day, minutes FROM day_ends WHERE staff_id = ? AND day BETWEEN ? AND ?`, staffID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: read day ends: %w", err)
	}
	defer rows.Close()
	out := map[civil.Date]int{}
	for rows.Next() {
		var day string
		var m int
		if err := rows.Scan(&day, &m); err != nil {
			return nil, fmt.Errorf("store: read day ends: %w", err)
		}
		out[parseSince(day)] = m
	}
	return out, rows.Err()
}

// Progress is one daily progress entry (progres harian).
type Progress struct {
	StaffID  int64
	Day      civil.Date
	Activity string
	Output   string
	At       time.Time
}

// AddProgress records a progress entry.
func (t *Tx) AddProgress(ctx context.Context, p Progress, inboundID int64) error {
	_, err := t.exec(ctx, `INSERT INTO progress (staff_id, day, activity, output, at, inbound_id) VALUES (?, ?, ?, ?, ?, ?)`,
		p.StaffID, p.Day.String(), p.Activity, p.Output, ms(p.At), nullID(inboundID))
	if err != nil {
		return fmt.Errorf("store: add progress: %w", err)
	}
	return nil
}

// CountProgress counts a person's progress entries of a day.
func (t *Tx) CountProgress(ctx context.Context, staffID int64, day civil.Date) (int, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM progress WHERE staff_id = ? AND day = ?`, staffID, day.String()).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count progress: %w", err)
	}
	return n, nil
}

// ProgressEntry is one line of the e-Kinerja export: a progress entry,
// or a work report part (/laporan) of a day without progress entries.
type ProgressEntry struct {
	Day            civil.Date
	NIP, Name      string
	Office         string
	Activity       string
	Output         string
	FromWorkReport bool
}

const selectProgress = `SELECT p.day, s.nip, s.name, o.code, p.activity, p.output, 0, p.at, p.id
	FROM progress p JOIN staff s ON s.id = p.staff_id JOIN offices o ON o.id = s.office_id
	WHERE p.day BETWEEN ?1 AND ?2 AND (?3 = '' OR o.code = ?3)
	UNION ALL
	SELECT w.day, s.nip, s.name, o.code, w.text, '', 1, w.created_at, w.id
	FROM work_reports w JOIN staff s ON s.id = w.staff_id JOIN offices o ON o.id = s.office_id
	WHERE w.day BETWEEN ?1 AND ?2 AND (?3 = '' OR o.code = ?3)
		AND NOT EXISTS (SELECT 1 FROM progress p WHERE p.staff_id = w.staff_id AND p.day = w.day)
	ORDER BY 1, 2, 8, 9`

// Progress lists the daily progress of every person (of office, when not
// "") between from and to, by day, NIP and time: the /progres entries,
// and on a day without any, the /laporan parts.
func (s *Store) Progress(ctx context.Context, office string, from, to civil.Date) ([]ProgressEntry, error) {
	rows, err := s.r.QueryContext(ctx, selectProgress, from.String(), to.String(), office)
	if err != nil {
		return nil, fmt.Errorf("store: list progress: %w", err)
	}
	defer rows.Close()
	var out []ProgressEntry
	for rows.Next() {
		var p ProgressEntry
		var day string
		var at, id int64
		if err := rows.Scan(&day, &p.NIP, &p.Name, &p.Office, &p.Activity, &p.Output, &p.FromWorkReport, &at, &id); err != nil {
			return nil, fmt.Errorf("store: list progress: %w", err)
		}
		p.Day = parseSince(day)
		out = append(out, p)
	}
	return out, rows.Err()
}

// LocationCheck is the verdict on one shared location. Lat and Lon are
// kept only when configured (Keep).
type LocationCheck struct {
	StaffID  int64
	Day      civil.Date
	At       time.Time
	Against  string // kantor or domisili
	Distance int    // metres; -1: no place to compare with
	Verdict  string
	Keep     bool
	Lat, Lon float64
}

// AddLocationCheck records a location check.
func (t *Tx) AddLocationCheck(ctx context.Context, c LocationCheck, inboundID int64) error {
	var dist, lat, lon any
	if c.Distance >= 0 {
		dist = c.Distance
	}
	if c.Keep {
		lat, lon = c.Lat, c.Lon
	}
	_, err := t.exec(ctx, `INSERT INTO location_checks (staff_id, day, at, against, distance_m, verdict, lat, lon, inbound_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.StaffID, c.Day.String(), ms(c.At), c.Against, dist, c.Verdict, lat, lon, nullID(inboundID))
	if err != nil {
		return fmt.Errorf("store: add location check: %w", err)
	}
	return nil
}
