"""Starts `ontap-console serve` (the built binary, $ONTAP_CONSOLE_BIN) with the embedded
simulator on a free loopback port over HTTPS, and connects NetApp's client to it as a real
ONTAP client would: scheme https, the server's certificate verified (chain and host name)
against a CA. `cargo xtask conformance` makes that CA and the server's certificate and key in
$ONTAP_TLS_DIR (`ca.pem`, `server.pem`, `server-key.pem`).

ONTAP's error codes come from core's catalog through $ONTAP_CODES (a JSON file `cargo xtask
conformance` writes): no code is spelled as a number here.
"""

import json
import os
import subprocess
import threading

import pytest
from netapp_ontap import HostConnection, config

USER = "admin"
PASSWORD = "conformance-password-1"
BANNER = "ONTAP security console: "

# requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's `verify` path (only
# `verify=False` is kept by netapp-ontap's session): with either set, the client would check
# the simulator against the system's roots instead of the test CA, and refuse it.
for _bundle in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
    os.environ.pop(_bundle, None)


def tls_file(name):
    return os.path.join(os.environ["ONTAP_TLS_DIR"], name)


def codes():
    with open(os.environ["ONTAP_CODES"], encoding="utf-8") as f:
        return json.load(f)


class Served:
    """One `ontap-console serve` process and a connection to it."""

    def __init__(self, scenario, job_seconds):
        env = dict(os.environ, ONTAP_CONSOLE_PASSWORD=PASSWORD, RUST_LOG="warn")
        self.proc = subprocess.Popen(
            [
                os.environ["ONTAP_CONSOLE_BIN"],
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--scenario",
                scenario,
                "--job-seconds",
                str(job_seconds),
                "--ui",
                "/nonexistent-ui",
                "--tls-cert",
                tls_file("server.pem"),
                "--tls-key",
                tls_file("server-key.pem"),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        url = None
        for line in self.proc.stdout:
            if line.startswith(BANNER):
                url = line[len(BANNER):].strip().rstrip("/")
                break
        if url is None:
            self.proc.kill()
            raise RuntimeError("ontap-console serve printed no banner")
        # Keep reading so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()
        scheme, host_port = url.split("://", 1)
        if scheme != "https":
            self.proc.kill()
            raise RuntimeError(f"ontap-console serve answers {scheme}, not https")
        host, port = host_port.rsplit(":", 1)
        self.origin = url
        self.connection = HostConnection(
            host,
            username=USER,
            password=PASSWORD,
            verify=tls_file("ca.pem"),
            port=int(port),
            poll_interval=1,
            poll_timeout=30,
        )

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def demo():
    """The demo cluster; jobs take a second, so the client has to follow them."""
    served = Served("demo", 1)
    config.CONNECTION = served.connection
    yield served
    config.CONNECTION = None
    served.stop()


@pytest.fixture()
def empty():
    """A fresh empty cluster for one test; jobs finish at once."""
    served = Served("empty", 0)
    config.CONNECTION = served.connection
    yield served
    config.CONNECTION = None
    served.stop()


@pytest.fixture(scope="session")
def code():
    return codes()
