"""CSV cells that a spreadsheet will not run as a formula (OWASP: CSV injection).

A cell that starts with = + - @, a tab or a carriage return is prefixed with a single quote, so
Excel and LibreOffice show it as text. Numbers are left alone: a negative amount stays a number.
"""

from numbers import Number

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None or isinstance(value, Number):
        return value
    text = str(value)
    if text.startswith(_TRIGGERS):
        return "'" + text
    return text


def safe_row(values):
    return [safe_cell(v) for v in values]
