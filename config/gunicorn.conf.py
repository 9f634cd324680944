"""Gunicorn settings for the web processes: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

See docs/operations.md (Processes). Command-line options override these; bench/matching.py serves
the application with this file, so its throughput figure is the served configuration's.

- ``workers``: one process per core (``WEB_CONCURRENCY``); each keeps its own job snapshot and,
  per thread, its own persistent database connection (``DATABASE_CONN_MAX_AGE``).
- ``threads``: a request spends part of its time waiting for the database, so a few threads per
  process keep the core busy meanwhile (``GUNICORN_THREADS``).
- ``keepalive = 0``: every response closes its connection. A threaded worker accepts greedily, and
  kept-alive connections stay with the worker that accepted them for good: eight clients that
  connect at once all ended up on one worker (one core, one GIL) while the other stood idle.
  Closing after each response spreads requests, not connections, over the workers; the reverse
  proxy in front keeps its own connections to the clients alive.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
keepalive = 0
