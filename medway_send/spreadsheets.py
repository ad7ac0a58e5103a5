"""Writing CSV that is safe to open in a spreadsheet."""


def csv_safe(value):
    """Stop spreadsheet software treating text as a formula (CSV injection).

    Editors' text and addresses typed by the public may start with = + - @;
    Excel and LibreOffice would run them. A leading apostrophe shows the text as typed.
    """
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
