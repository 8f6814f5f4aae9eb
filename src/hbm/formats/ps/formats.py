"""Pashto: Django has no formats for it. Afghanistan writes dates in Pashto as in Dari, so these
are Django's Persian ones (django/conf/locale/fa/formats.py, which Dari gets by itself), but with
the month as a number: Django has no Pashto catalogue, so a month name would come out in English
("7 December 2026")."""

DATE_FORMAT = "Y/n/j"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "Y/n/j، G:i"
YEAR_MONTH_FORMAT = "Y/n"
MONTH_DAY_FORMAT = "n/j"
SHORT_DATE_FORMAT = "Y/n/j"
SHORT_DATETIME_FORMAT = "Y/n/j، G:i"
FIRST_DAY_OF_WEEK = 6  # Saturday
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
