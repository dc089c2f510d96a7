"""PURE: the standard recruitment template (標準募集様式), one module per concern.

MIC asked every municipality to describe an opening in one unified form so professionals can
compare municipalities. The web form, the spreadsheet import and the API all use it:

- `fields`: the template's fields, their choices and sections (a data table).
- `headers`: the import column headers, Japanese and English, for each field.
- `cleaners`: `clean_field()`, turning one untrusted value into a clean one or an error.
- `validation`: `validate()`, the whole posting for a draft or for submission.
- `qualifications`: scarce qualifications (data/qualifications.csv) named in a text.
- `advice`: the seed deck's アドバイス例 as non-blocking suggestions.
"""
