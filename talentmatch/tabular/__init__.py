"""PURE: what every spreadsheet import shares (postings, talent lists, cost lines).

- `files`: size limits, decoding Japanese CSV explicitly, CSV and Excel cells, file errors.
- `headers`: folding header spellings (Japanese or English, with 必須/※ marks) to column keys.
- `cells`: single cells: formula text, e-mail addresses.
- `table`: the header row and the rows of an import, with every error by row and column.

Era dates and fiscal years in cells are read by `talentmatch.wareki`.
"""
