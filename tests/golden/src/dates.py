"""dates suite (issue 3): Sprig's date functions on fixed inputs only (no
`now`): toDate, date, dateInZone, htmlDate, htmlDateInZone, dateModify,
duration, durationRound, unixEpoch, ago-free forms.  Times are built with
toDate so the output never depends on the clock; TZ is UTC for helm."""
from gsrc import Suite

SUITE = s = Suite("dates")
T = '(toDate "2006-01-02T15:04:05Z07:00" "2024-03-09T17:05:09+01:00")'
T2 = '(toDate "2006-01-02" "1999-12-31")'
V = "epoch: 1700000000\nsepoch: '1700000000'\n"

LAYOUTS = ["2006-01-02", "Jan 2, 2006 at 3:04pm (MST)", "Mon Jan _2 15:04:05 2006", "02/01/06 15:04:05.000",
           "2006-01-02T15:04:05Z07:00", "Monday, January 2 2006", "3:4:5 PM", "-0700 -07:00 Z0700 MST",
           ".000000 .999 ,000", "__2 002", "06 1 2", "15h 03h 3h"]
s.exprs("date-layouts", ['date "%s" %s' % (l, T) for l in LAYOUTS])
s.exprs("date-layouts-2", ['date "%s" %s' % (l, T2) for l in LAYOUTS])
# (date of a float64 or a string formats time.Now(): not testable here)
s.exprs("date-epoch", ['date "2006-01-02 15:04:05" (int64 .Values.epoch)', 'date "2006-01-02" 0',
                       'date "2006-01-02" (int64 86400)', 'date "2006-01-02 15:04" (int 1700000000)'], values=V)
ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Nope/Zone", ""]
s.exprs("dateInZone", ['dateInZone "2006-01-02 15:04 MST -0700" %s "%s"' % (T, z) for z in ZONES])
s.exprs("htmlDate", ['htmlDate %s' % T, 'htmlDate %s' % T2, 'htmlDate 0'])
s.exprs("htmlDateInZone", ['htmlDateInZone %s "Asia/Tokyo"' % T, 'htmlDateInZone %s "UTC"' % T2])
s.exprs("toDate", ['toDate "2006-01-02" "2024-02-29"', 'toDate "2006-01-02" "2023-02-29"',
                   'toDate "02/01/2006" "31/12/2020" | date "2006-01-02"',
                   'toDate "2006-01-02 15:04" "2024-01-01 10:30" | unixEpoch'])
s.err("mustToDate-bad", 'mustToDate "2006-01-02" "bad"')
s.exprs("mustToDate", ['mustToDate "2006-01-02" "2024-01-01" | date "Jan 2"'])
s.exprs("dateModify", ['dateModify "1h30m" %s | date "15:04"' % T, 'dateModify "-48h" %s | date "2006-01-02"' % T,
                       'dateModify "bad" %s | date "15:04"' % T, 'dateModify "1.5h" %s | date "15:04:05"' % T])
s.err("mustDateModify-bad", 'mustDateModify "bad" %s' % T)
s.exprs("unixEpoch", ['unixEpoch %s' % T, 'unixEpoch %s' % T2])
s.exprs("duration", ['duration 0', 'duration 59', 'duration 3600', 'duration 90061', 'duration "45"',
                     'duration -5', 'duration 1.5', 'duration "x"'])
s.exprs("durationRound", ['durationRound "2h10m5s"', 'durationRound 3600', 'durationRound "400h"',
                          'durationRound "8760h1m"', 'durationRound "-5m"', 'durationRound "1s"',
                          'durationRound "100ms"', 'durationRound "bad"'])
s.exprs("date-types", ['typeOf %s' % T, 'date "2006" (toDate "2006" "2010")'])
s.exprs("ago-form", ['regexMatch "^[0-9hms.]+$" (ago %s)' % T])
s.exprs("underscore-aliases", ['date_in_zone "2006-01-02 15:04" %s "Asia/Tokyo"' % T,
                               'date_modify "2h" %s | date "15:04"' % T,
                               'must_date_modify "-1h" %s | date "15:04"' % T])
s.err("must_date_modify-bad", 'must_date_modify "x" %s' % T)
