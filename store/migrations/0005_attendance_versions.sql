-- 0005: how many versions an attendance record has had, so a check-in can
-- write the record and learn whether it was new in one statement.
ALTER TABLE attendance ADD COLUMN versions INTEGER NOT NULL DEFAULT 1;
