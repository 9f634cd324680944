"""One-line JSON log records (SEC-16): CR/LF and control characters in user input cannot forge lines."""

import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record):
        # local import: LOGGING builds this formatter before the app registry is ready (audit imports models)
        from .audit import request_context

        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": (request_context.get() or {}).get("request_id", ""),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes \n, \r and every other control character.
        return json.dumps(entry, ensure_ascii=False)
