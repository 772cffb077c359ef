"""Reading a 会议纪要 (.docx) as Word, WPS and LibreOffice save it: ``reader`` (safe read, reading
order, tables, text boxes) and ``numbering`` (Word's automatic numbering as the reader sees it).
"""
