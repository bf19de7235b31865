"""The acceptance tests' emulators, forked from one warm moto process.

A fresh `moto_server` spends about a second of CPU before its first IAM call
is answered (Python's start, moto's imports, AWS's ~1,300 managed policies)
and more than a second on its first EC2 call; with an emulator per test that
was a third of the suite's CPU. This process pays it once: it loads moto,
makes one read call per service the provider talks to (IAM, STS, EC2, EKS),
which builds those backends exactly as a fresh server builds them on first
use, and then forks one child per emulator. A child starts with that state
and nothing else, and shares nothing with its siblings once forked.

One request per line on stdin, one answer per line on stdout:
    start LOGPATH  ->  PORT PID   a child serving on 127.0.0.1:PORT, its
                                  output (the request log) in LOGPATH
    stop PID       ->  stopped
When stdin closes (the test process ended, however it ended) every child is
killed and this process exits.
"""

import ctypes
import functools
import gc
import os
import signal
import sys
import threading

os.environ["MOTO_PORT"] = "0"  # as `moto_server -p 0` sets it

import moto.backends  # noqa: E402
import moto.core.utils  # noqa: E402
from moto.moto_api._internal import mock_random  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.test import Client  # noqa: E402

PR_SET_PDEATHSIG = 1


def remember_what_never_changes():
    """Two of moto's lookups read the disk again on every request although
    their answers cannot change while it runs: the names of its own packages
    (a directory listing and a stat per service, to route each request) and
    botocore's service names (to serialize each error). Asked once here, in
    the fork server, they were about a tenth of an emulator's CPU."""
    packages = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: packages
    moto.core.utils.service_name_from_moto_package_name = functools.cache(
        moto.core.utils.service_name_from_moto_package_name
    )


def signed_for(service):
    # moto tells the service and the region from the signature's scope; it
    # does not check the signature itself.
    return {
        "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/"
        f"{service}/aws4_request, SignedHeaders=host, Signature=0",
    }


def warm(app):
    """One read call per service, as a test's first calls would make them."""
    client = Client(app)
    # Addressed as the emulators are: moto routes by host, then signature.
    base_url = "http://127.0.0.1/"
    calls = [
        ("iam", "Action=ListRoles&Version=2010-05-08"),
        ("sts", "Action=GetCallerIdentity&Version=2011-06-15"),
        ("ec2", "Action=DescribeVpcs&Version=2016-11-15"),
    ]
    for service, body in calls:
        answer = client.post(
            "/",
            base_url=base_url,
            data=body,
            content_type="application/x-www-form-urlencoded",
            headers=signed_for(service),
        )
        assert answer.status_code == 200, f"warming {service}: {answer.status}"
    answer = client.get("/clusters", base_url=base_url, headers=signed_for("eks"))
    assert answer.status_code == 200, f"warming eks: {answer.status}"


def serve(app, log_path, port_out):
    """In the child: serve on a port of its own until killed."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the fork server ended before prctl took hold
        os._exit(1)
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    # moto's own random source (ids, keys) would otherwise be the same in
    # every child; Python reseeds only its module-level generator on fork.
    mock_random.seed()
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler
    )
    os.write(port_out, f"{server.server_port}\n".encode())
    os.close(port_out)
    server.serve_forever()


def start(app, log_path):
    port_in, port_out = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(port_in)
        try:
            serve(app, log_path, port_out)
        finally:
            os._exit(1)
    os.close(port_out)
    with os.fdopen(port_in) as said:
        port = said.readline().strip()
    if not port:
        os.waitpid(pid, 0)
        return "failed: the emulator exited before listening"
    return f"{port} {pid}"


def stop(pid, children):
    if pid in children:
        children.discard(pid)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return "stopped"


def main():
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True
    remember_what_never_changes()
    warm(app)
    # Forking is only safe with one thread, and frozen objects are not
    # touched by the collector, so a child copies fewer pages.
    assert threading.active_count() == 1, "the fork server must not run threads"
    gc.freeze()
    children = set()
    print("ready", flush=True)
    for line in sys.stdin:
        verb, _, argument = line.strip().partition(" ")
        if verb == "start":
            answer = start(app, argument)
            if not answer.startswith("failed"):
                children.add(int(answer.split()[1]))
        elif verb == "stop":
            answer = stop(int(argument), children)
        else:
            answer = f"failed: unknown request {line.strip()!r}"
        print(answer, flush=True)
    for pid in list(children):
        stop(pid, children)


if __name__ == "__main__":
    main()
