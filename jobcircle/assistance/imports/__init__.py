"""Excel ledger imports (ECO-08, SEC-34): upload → check (dry run) → confirm → apply, as background tasks.

``services`` (submit, confirm) → ``tasks`` (the queue) → ``runner`` (the work); the package itself
imports nothing, so the tasks never import back into what enqueues them.

- The uploaded file passes the one upload gate (``common.uploads``) and is kept under a generated name.
- A batch is keyed by the file's SHA-256: a file already applied is recognised at once and changes
  nothing (0 created / 0 updated); rows are upserted by the ID blind index anyway.
- Checking and applying run the same code; the apply runs in ONE transaction and any row error
  rolls all of it back. Errors come back as a workbook listing row, column and reason.
- Progress is reported through ``common.progress`` so the page shows a bar.
"""
