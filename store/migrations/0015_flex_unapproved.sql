-- 0015: a check-in away from the office in an office in mode fleksibel: the kind of day it was (wfa or wfh, as approved or as stated) and whether it had no approved request (tanpa persetujuan)
ALTER TABLE attendance ADD COLUMN flex_kind TEXT NOT NULL DEFAULT '' CHECK (flex_kind IN ('', 'wfa', 'wfh'));
ALTER TABLE attendance ADD COLUMN unapproved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attendance_history ADD COLUMN flex_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance_history ADD COLUMN unapproved INTEGER NOT NULL DEFAULT 0;
