"""gunicorn's settings for Sharewell (`gunicorn sharewell.wsgi`, as the Procfile runs it).

Everything from the environment, like the site's own settings; .env is read too.
"""

import multiprocessing
from pathlib import Path

import environ

environ.Env.read_env(Path(__file__).resolve().parent / ".env")  # optional, as in settings.py
env = environ.Env()

# Platforms that run a Procfile set PORT (and WEB_CONCURRENCY, their name for the worker
# count); BIND_ADDRESS=127.0.0.1 keeps the server to this machine, behind a local proxy.
bind = f"{env.str('BIND_ADDRESS', default='0.0.0.0')}:{env.int('PORT', default=8000)}"
# Each worker is one request at a time: two per core and one over is gunicorn's advice,
# capped so that a large machine does not open more database connections than it needs.
workers = env.int("WEB_CONCURRENCY", default=min(multiprocessing.cpu_count() * 2 + 1, 8))
# A request that runs longer than this is stuck: the worker is killed and replaced.
timeout = env.int("GUNICORN_TIMEOUT", default=60)
# On a deploy or a stop (SIGTERM), requests under way get this long to finish.
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=30)
keepalive = 5
accesslog = "-"  # stdout: the platform or honcho keeps the logs
errorlog = "-"
# Forwarded headers (X-Forwarded-For, -Proto) are trusted from these proxies only;
# gunicorn's own default is 127.0.0.1. Django reads the scheme from SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = env.str("FORWARDED_ALLOW_IPS", default="127.0.0.1,::1")
# gunicorn's control socket lives at one path per user (~/.gunicorn/gunicorn.ctl), so a second
# server on the machine (CI beside `make serve-prod`, two sites) would take it over; the
# platform's signals (TERM to stop, HUP to reload) are all Sharewell needs.
control_socket_disable = True
# Each worker builds the partner finder's matrices when it starts (seconds at 100,000
# arrangements), in a thread so that the arbiter's timeout, which a long build at start could
# overrun, does not kill it; a query arriving meanwhile waits for that build rather than
# starting its own. FINDER_WARM_AT_START=false leaves it to the first query.
finder_warm_at_start = env.bool("FINDER_WARM_AT_START", default=True)


def post_worker_init(worker):
    if not finder_warm_at_start:
        return
    import threading

    def warm():
        from django.db import connection

        from partners import services

        try:
            services.warm()
        except Exception:  # the first query builds instead, and reports what went wrong
            worker.log.exception("The partner finder's matrices were not built at start")
        finally:
            connection.close()

    threading.Thread(target=warm, name="finder-warm", daemon=True).start()
