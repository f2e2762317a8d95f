-- 0012: placeholder so that 0013_flex applies in branch h19flex; the lead drops it at merge (another branch adds the real 0012)
SELECT 1;
