"""gunicorn's settings for the web processes: `gunicorn -c config/gunicorn.py config.wsgi`
(README "Production"). Each value can be changed from the environment.

The access log is the app's own request line (config/request_log.py: JSON, with the
request id and duration), so gunicorn's is off; its error log is JSON like the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

# gunicorn loads this file by path: make the project importable for the shared log format.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from config.log_format import JSON_FORMATTER

bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: each serves one request at a time; gunicorn's rule of thumb, capped so a
# big machine does not open more database connections than PostgreSQL allows.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
# A request still running after this many seconds gets its worker killed and restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # on a deploy, let running requests finish
keepalive = 5  # behind a proxy that keeps connections open
# Recycle each worker after about a thousand requests, at different moments (the jitter),
# so memory a request kept (WeasyPrint, big exports) is handed back without a pause.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm"  # heartbeat files off the disk
# No control socket: its default path is one per user, which two sites on a machine would share;
# the process manager steers gunicorn by signals (HUP reloads, TERM stops gracefully).
control_socket_disable = True

accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_FORMATTER},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
