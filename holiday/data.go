package holiday

import "github.com/piket-id/piket/civil"

// This table lists Indonesia's national public holidays (hari libur
// nasional) and collective leave days (cuti bersama) as set by the yearly
// joint decree of the Minister of Religious Affairs, the Minister of
// Manpower and the Minister of Administrative and Bureaucratic Reform
// (SKB 3 Menteri), including its later revisions, plus the election days
// made national holidays by presidential decree (Keppres). Offices can add
// days (regional holidays such as Galungan in Bali) or correct a day in
// their configuration; a configured day replaces the built-in day on the
// same date. See Calendar.With and ParseFile.
//
// Notes per year:
//   - 2020: the cuti bersama were revised several times during the
//     COVID-19 pandemic (in April 2020, and again in December 2020). The
//     table holds the final, revised list: the Idul Fitri cuti bersama of
//     May were first moved to the end of December and then cut to
//     31 December only; 21 August and 28 and 30 October were added;
//     24 December was kept.
//     9 December 2020 was the simultaneous regional election day.
//   - 2021: revised twice; only 12 May remained as cuti bersama. Tahun Baru
//     Islam moved to 11 August and Maulid Nabi to 20 October.
//   - 2022: cuti bersama for Idul Fitri as revised in April 2022.
//   - 2023: revised in 2023 to add Idul Fitri and Idul Adha cuti bersama.
//   - 2024: 14 February (general election) and 27 November (regional
//     elections) were national holidays.
//   - 2025: 18 August was added as cuti bersama.
//   - 2027: no SKB was available when this table was written. The fixed
//     dates are certain; the dates marked "(perkiraan)" are astronomical
//     estimates, and no cuti bersama are listed. Replace these rows with the
//     SKB for 2027 once it is published.
var builtin = []Holiday{
	// 2020
	n("2020-01-01", "Tahun Baru 2020 Masehi"),
	n("2020-01-25", "Tahun Baru Imlek 2571 Kongzili"),
	n("2020-03-22", "Isra Mikraj Nabi Muhammad SAW"),
	n("2020-03-25", "Hari Suci Nyepi Tahun Baru Saka 1942"),
	n("2020-04-10", "Wafat Isa Al Masih"),
	n("2020-05-01", "Hari Buruh Internasional"),
	n("2020-05-07", "Hari Raya Waisak 2564 BE"),
	n("2020-05-21", "Kenaikan Isa Al Masih"),
	n("2020-05-24", "Hari Raya Idul Fitri 1441 Hijriah"),
	n("2020-05-25", "Hari Raya Idul Fitri 1441 Hijriah"),
	n("2020-06-01", "Hari Lahir Pancasila"),
	n("2020-07-31", "Hari Raya Idul Adha 1441 Hijriah"),
	n("2020-08-17", "Hari Kemerdekaan Republik Indonesia"),
	n("2020-08-20", "Tahun Baru Islam 1442 Hijriah"),
	c("2020-08-21", "Cuti Bersama Tahun Baru Islam 1442 Hijriah"),
	c("2020-10-28", "Cuti Bersama Maulid Nabi Muhammad SAW"),
	n("2020-10-29", "Maulid Nabi Muhammad SAW"),
	c("2020-10-30", "Cuti Bersama Maulid Nabi Muhammad SAW"),
	n("2020-12-09", "Hari Pemungutan Suara Pemilihan Kepala Daerah Serentak 2020"),
	c("2020-12-24", "Cuti Bersama Hari Raya Natal"),
	n("2020-12-25", "Hari Raya Natal"),
	c("2020-12-31", "Cuti Bersama pengganti Hari Raya Idul Fitri 1441 Hijriah"),

	// 2021
	n("2021-01-01", "Tahun Baru 2021 Masehi"),
	n("2021-02-12", "Tahun Baru Imlek 2572 Kongzili"),
	n("2021-03-11", "Isra Mikraj Nabi Muhammad SAW"),
	n("2021-03-14", "Hari Suci Nyepi Tahun Baru Saka 1943"),
	n("2021-04-02", "Wafat Isa Al Masih"),
	n("2021-05-01", "Hari Buruh Internasional"),
	c("2021-05-12", "Cuti Bersama Hari Raya Idul Fitri 1442 Hijriah"),
	n("2021-05-13", "Kenaikan Isa Al Masih dan Hari Raya Idul Fitri 1442 Hijriah"),
	n("2021-05-14", "Hari Raya Idul Fitri 1442 Hijriah"),
	n("2021-05-26", "Hari Raya Waisak 2565 BE"),
	n("2021-06-01", "Hari Lahir Pancasila"),
	n("2021-07-20", "Hari Raya Idul Adha 1442 Hijriah"),
	n("2021-08-11", "Tahun Baru Islam 1443 Hijriah"),
	n("2021-08-17", "Hari Kemerdekaan Republik Indonesia"),
	n("2021-10-20", "Maulid Nabi Muhammad SAW"),
	n("2021-12-25", "Hari Raya Natal"),

	// 2022
	n("2022-01-01", "Tahun Baru 2022 Masehi"),
	n("2022-02-01", "Tahun Baru Imlek 2573 Kongzili"),
	n("2022-02-28", "Isra Mikraj Nabi Muhammad SAW"),
	n("2022-03-03", "Hari Suci Nyepi Tahun Baru Saka 1944"),
	n("2022-04-15", "Wafat Isa Al Masih"),
	c("2022-04-29", "Cuti Bersama Hari Raya Idul Fitri 1443 Hijriah"),
	n("2022-05-01", "Hari Buruh Internasional"),
	n("2022-05-02", "Hari Raya Idul Fitri 1443 Hijriah"),
	n("2022-05-03", "Hari Raya Idul Fitri 1443 Hijriah"),
	c("2022-05-04", "Cuti Bersama Hari Raya Idul Fitri 1443 Hijriah"),
	c("2022-05-05", "Cuti Bersama Hari Raya Idul Fitri 1443 Hijriah"),
	c("2022-05-06", "Cuti Bersama Hari Raya Idul Fitri 1443 Hijriah"),
	n("2022-05-16", "Hari Raya Waisak 2566 BE"),
	n("2022-05-26", "Kenaikan Isa Al Masih"),
	n("2022-06-01", "Hari Lahir Pancasila"),
	n("2022-07-10", "Hari Raya Idul Adha 1443 Hijriah"),
	n("2022-07-30", "Tahun Baru Islam 1444 Hijriah"),
	n("2022-08-17", "Hari Kemerdekaan Republik Indonesia"),
	n("2022-10-08", "Maulid Nabi Muhammad SAW"),
	n("2022-12-25", "Hari Raya Natal"),

	// 2023
	n("2023-01-01", "Tahun Baru 2023 Masehi"),
	n("2023-01-22", "Tahun Baru Imlek 2574 Kongzili"),
	c("2023-01-23", "Cuti Bersama Tahun Baru Imlek 2574 Kongzili"),
	n("2023-02-18", "Isra Mikraj Nabi Muhammad SAW"),
	n("2023-03-22", "Hari Suci Nyepi Tahun Baru Saka 1945"),
	c("2023-03-23", "Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1945"),
	n("2023-04-07", "Wafat Isa Al Masih"),
	c("2023-04-19", "Cuti Bersama Hari Raya Idul Fitri 1444 Hijriah"),
	c("2023-04-20", "Cuti Bersama Hari Raya Idul Fitri 1444 Hijriah"),
	c("2023-04-21", "Cuti Bersama Hari Raya Idul Fitri 1444 Hijriah"),
	n("2023-04-22", "Hari Raya Idul Fitri 1444 Hijriah"),
	n("2023-04-23", "Hari Raya Idul Fitri 1444 Hijriah"),
	c("2023-04-24", "Cuti Bersama Hari Raya Idul Fitri 1444 Hijriah"),
	c("2023-04-25", "Cuti Bersama Hari Raya Idul Fitri 1444 Hijriah"),
	n("2023-05-01", "Hari Buruh Internasional"),
	n("2023-05-18", "Kenaikan Isa Al Masih"),
	n("2023-06-01", "Hari Lahir Pancasila"),
	c("2023-06-02", "Cuti Bersama Hari Raya Waisak 2567 BE"),
	n("2023-06-04", "Hari Raya Waisak 2567 BE"),
	c("2023-06-28", "Cuti Bersama Hari Raya Idul Adha 1444 Hijriah"),
	n("2023-06-29", "Hari Raya Idul Adha 1444 Hijriah"),
	c("2023-06-30", "Cuti Bersama Hari Raya Idul Adha 1444 Hijriah"),
	n("2023-07-19", "Tahun Baru Islam 1445 Hijriah"),
	n("2023-08-17", "Hari Kemerdekaan Republik Indonesia"),
	n("2023-09-28", "Maulid Nabi Muhammad SAW"),
	n("2023-12-25", "Hari Raya Natal"),
	c("2023-12-26", "Cuti Bersama Hari Raya Natal"),

	// 2024
	n("2024-01-01", "Tahun Baru 2024 Masehi"),
	n("2024-02-08", "Isra Mikraj Nabi Muhammad SAW"),
	c("2024-02-09", "Cuti Bersama Tahun Baru Imlek 2575 Kongzili"),
	n("2024-02-10", "Tahun Baru Imlek 2575 Kongzili"),
	n("2024-02-14", "Hari Pemungutan Suara Pemilihan Umum 2024"),
	n("2024-03-11", "Hari Suci Nyepi Tahun Baru Saka 1946"),
	c("2024-03-12", "Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1946"),
	n("2024-03-29", "Wafat Isa Al Masih"),
	n("2024-03-31", "Hari Paskah"),
	c("2024-04-08", "Cuti Bersama Hari Raya Idul Fitri 1445 Hijriah"),
	c("2024-04-09", "Cuti Bersama Hari Raya Idul Fitri 1445 Hijriah"),
	n("2024-04-10", "Hari Raya Idul Fitri 1445 Hijriah"),
	n("2024-04-11", "Hari Raya Idul Fitri 1445 Hijriah"),
	c("2024-04-12", "Cuti Bersama Hari Raya Idul Fitri 1445 Hijriah"),
	c("2024-04-15", "Cuti Bersama Hari Raya Idul Fitri 1445 Hijriah"),
	n("2024-05-01", "Hari Buruh Internasional"),
	n("2024-05-09", "Kenaikan Isa Al Masih"),
	c("2024-05-10", "Cuti Bersama Kenaikan Isa Al Masih"),
	n("2024-05-23", "Hari Raya Waisak 2568 BE"),
	c("2024-05-24", "Cuti Bersama Hari Raya Waisak 2568 BE"),
	n("2024-06-01", "Hari Lahir Pancasila"),
	n("2024-06-17", "Hari Raya Idul Adha 1445 Hijriah"),
	c("2024-06-18", "Cuti Bersama Hari Raya Idul Adha 1445 Hijriah"),
	n("2024-07-07", "Tahun Baru Islam 1446 Hijriah"),
	n("2024-08-17", "Hari Kemerdekaan Republik Indonesia"),
	n("2024-09-16", "Maulid Nabi Muhammad SAW"),
	n("2024-11-27", "Hari Pemungutan Suara Pemilihan Kepala Daerah Serentak 2024"),
	n("2024-12-25", "Hari Raya Natal"),
	c("2024-12-26", "Cuti Bersama Hari Raya Natal"),

	// 2025
	n("2025-01-01", "Tahun Baru 2025 Masehi"),
	n("2025-01-27", "Isra Mikraj Nabi Muhammad SAW"),
	c("2025-01-28", "Cuti Bersama Tahun Baru Imlek 2576 Kongzili"),
	n("2025-01-29", "Tahun Baru Imlek 2576 Kongzili"),
	c("2025-03-28", "Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1947"),
	n("2025-03-29", "Hari Suci Nyepi Tahun Baru Saka 1947"),
	n("2025-03-31", "Hari Raya Idul Fitri 1446 Hijriah"),
	n("2025-04-01", "Hari Raya Idul Fitri 1446 Hijriah"),
	c("2025-04-02", "Cuti Bersama Hari Raya Idul Fitri 1446 Hijriah"),
	c("2025-04-03", "Cuti Bersama Hari Raya Idul Fitri 1446 Hijriah"),
	c("2025-04-04", "Cuti Bersama Hari Raya Idul Fitri 1446 Hijriah"),
	c("2025-04-07", "Cuti Bersama Hari Raya Idul Fitri 1446 Hijriah"),
	n("2025-04-18", "Wafat Yesus Kristus"),
	n("2025-04-20", "Kebangkitan Yesus Kristus (Paskah)"),
	n("2025-05-01", "Hari Buruh Internasional"),
	n("2025-05-12", "Hari Raya Waisak 2569 BE"),
	c("2025-05-13", "Cuti Bersama Hari Raya Waisak 2569 BE"),
	n("2025-05-29", "Kenaikan Yesus Kristus"),
	c("2025-05-30", "Cuti Bersama Kenaikan Yesus Kristus"),
	n("2025-06-01", "Hari Lahir Pancasila"),
	n("2025-06-06", "Hari Raya Idul Adha 1446 Hijriah"),
	c("2025-06-09", "Cuti Bersama Hari Raya Idul Adha 1446 Hijriah"),
	n("2025-06-27", "Tahun Baru Islam 1447 Hijriah"),
	n("2025-08-17", "Hari Kemerdekaan Republik Indonesia"),
	c("2025-08-18", "Cuti Bersama Hari Kemerdekaan Republik Indonesia"),
	n("2025-09-05", "Maulid Nabi Muhammad SAW"),
	n("2025-12-25", "Hari Raya Natal"),
	c("2025-12-26", "Cuti Bersama Hari Raya Natal"),

	// 2026
	n("2026-01-01", "Tahun Baru 2026 Masehi"),
	n("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
	c("2026-02-16", "Cuti Bersama Tahun Baru Imlek 2577 Kongzili"),
	n("2026-02-17", "Tahun Baru Imlek 2577 Kongzili"),
	c("2026-03-18", "Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1948"),
	n("2026-03-19", "Hari Suci Nyepi Tahun Baru Saka 1948"),
	c("2026-03-20", "Cuti Bersama Hari Raya Idul Fitri 1447 Hijriah"),
	n("2026-03-21", "Hari Raya Idul Fitri 1447 Hijriah"),
	n("2026-03-22", "Hari Raya Idul Fitri 1447 Hijriah"),
	c("2026-03-23", "Cuti Bersama Hari Raya Idul Fitri 1447 Hijriah"),
	c("2026-03-24", "Cuti Bersama Hari Raya Idul Fitri 1447 Hijriah"),
	n("2026-04-03", "Wafat Yesus Kristus"),
	n("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)"),
	n("2026-05-01", "Hari Buruh Internasional"),
	n("2026-05-14", "Kenaikan Yesus Kristus"),
	c("2026-05-15", "Cuti Bersama Kenaikan Yesus Kristus"),
	n("2026-05-27", "Hari Raya Idul Adha 1447 Hijriah"),
	c("2026-05-28", "Cuti Bersama Hari Raya Idul Adha 1447 Hijriah"),
	n("2026-05-31", "Hari Raya Waisak 2570 BE"),
	n("2026-06-01", "Hari Lahir Pancasila"),
	n("2026-06-16", "Tahun Baru Islam 1448 Hijriah"),
	n("2026-08-17", "Hari Kemerdekaan Republik Indonesia"),
	n("2026-08-25", "Maulid Nabi Muhammad SAW"),
	c("2026-12-24", "Cuti Bersama Hari Raya Natal"),
	n("2026-12-25", "Hari Raya Natal"),

	// 2027: provisional, see the note above.
	n("2027-01-01", "Tahun Baru 2027 Masehi"),
	n("2027-01-06", "Isra Mikraj Nabi Muhammad SAW (perkiraan)"),
	n("2027-02-06", "Tahun Baru Imlek 2578 Kongzili"),
	n("2027-03-08", "Hari Suci Nyepi Tahun Baru Saka 1949"),
	n("2027-03-10", "Hari Raya Idul Fitri 1448 Hijriah (perkiraan)"),
	n("2027-03-11", "Hari Raya Idul Fitri 1448 Hijriah (perkiraan)"),
	n("2027-03-26", "Wafat Yesus Kristus"),
	n("2027-03-28", "Kebangkitan Yesus Kristus (Paskah)"),
	n("2027-05-01", "Hari Buruh Internasional"),
	n("2027-05-06", "Kenaikan Yesus Kristus"),
	n("2027-05-17", "Hari Raya Idul Adha 1448 Hijriah (perkiraan)"),
	n("2027-05-20", "Hari Raya Waisak 2571 BE (perkiraan)"),
	n("2027-06-01", "Hari Lahir Pancasila"),
	n("2027-06-06", "Tahun Baru Islam 1449 Hijriah (perkiraan)"),
	n("2027-08-15", "Maulid Nabi Muhammad SAW (perkiraan)"),
	n("2027-08-17", "Hari Kemerdekaan Republik Indonesia"),
	n("2027-12-25", "Hari Raya Natal"),
}

func n(date, name string) Holiday { return Holiday{civil.MustParse(date), name, National} }
func c(date, name string) Holiday { return Holiday{civil.MustParse(date), name, CutiBersama} }
