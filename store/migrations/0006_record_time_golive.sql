-- 0006: attendance sent long before it was received is flagged delayed; each office has a go-live day
ALTER TABLE attendance ADD COLUMN delayed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attendance_history ADD COLUMN delayed INTEGER NOT NULL DEFAULT 0;

-- The local day (YYYY-MM-DD) the office started using Piket; '' unknown.
-- Exports and recaps count nothing before it.
ALTER TABLE offices ADD COLUMN since TEXT NOT NULL DEFAULT '';

-- Existing offices: the earliest of their first staff's creation and their
-- first attendance record. Indonesian zones have no daylight saving time, so
-- a fixed offset gives the local day; other zones use UTC.
UPDATE offices SET since = COALESCE(min(COALESCE(first_staff, first_day), COALESCE(first_day, first_staff)), '')
FROM (
    SELECT o.id AS office_id,
        (SELECT MIN(date(s.created_at / 1000, 'unixepoch', CASE o.tz
            WHEN 'Asia/Jakarta' THEN '+7 hours' WHEN 'Asia/Pontianak' THEN '+7 hours'
            WHEN 'Asia/Makassar' THEN '+8 hours' WHEN 'Asia/Jayapura' THEN '+9 hours' ELSE '+0 hours' END))
            FROM staff s WHERE s.office_id = o.id) AS first_staff,
        (SELECT MIN(a.day) FROM attendance a JOIN staff s ON s.id = a.staff_id WHERE s.office_id = o.id) AS first_day
    FROM offices o
) AS f
WHERE f.office_id = offices.id;
