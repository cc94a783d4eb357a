#!/usr/bin/python3
"""knead serve, run for real on an ephemeral loopback port and called with a real HTTP client.

usage: check_serve.py KNEAD WORK_DIR

Checks every endpoint and error answer, malformed, oversized, slow and stalled requests, idle
connections, the connection limit, 50 concurrent keep-alive clients x 200 requests answered
exactly as `knead recommend` answers the same request, and a SIGTERM under load that loses no
answered request. Only 127.0.0.1 is used, and every loop and wait is bounded.
"""

import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time

KNEAD, WORK = sys.argv[1], sys.argv[2]
HOST = "127.0.0.1"
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL: " + message, flush=True)


class Server:
    def __init__(self, *extra, log="access.log", read_timeout="1"):
        self.log_path = os.path.join(WORK, log)
        self.stderr_path = os.path.join(WORK, log + ".stderr")
        self.stderr = open(self.stderr_path, "w+")
        self.proc = subprocess.Popen(
            [KNEAD, "serve", "--port", "0", "--threads", "4", "--read-timeout", read_timeout, "--idle-timeout", "2",
             "--max-body", "65536", "--max-connections", "64", "--access-log", self.log_path, *extra],
            stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.time() + 20
        self.port = None
        while time.time() < deadline and self.port is None:
            time.sleep(0.05)
            self.stderr.seek(0)
            m = re.search(r"listening on http://([0-9.]+):(\d+)/", self.stderr.read())
            if m:
                self.address, self.port = m.group(1), int(m.group(2))
            if self.proc.poll() is not None:
                break
        if self.port is None:
            self.stderr.seek(0)
            sys.exit("check_serve.py: the server did not start: " + self.stderr.read())

    def connection(self, timeout=10):
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def stop(self, timeout=20):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None


def request(conn, method, path, body=None, content_type="application/json"):
    headers = {"Content-Type": content_type} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    res = conn.getresponse()
    data = res.read()
    return res.status, dict(res.getheaders()), data


def raw(port, payload, wait=3.0):
    """Sends bytes on a fresh socket and returns what the server answers before closing."""
    with socket.create_connection((HOST, port), timeout=wait) as s:
        s.sendall(payload)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
        return b"".join(chunks)


def make_requests():
    """CDS Hooks requests for each example: the shipped one, and the bundles split into the prefetch keys."""
    keys = {"Patient": "patient", "Condition": "conditions", "MedicationStatement": "medicationStatements",
            "MedicationRequest": "medicationRequests", "Medication": "medicationRequests",
            "AllergyIntolerance": "allergies", "Observation": "observations"}
    paths = ["examples/fhir/patient_view_request.json"]
    for name in ("fibromyalgia_bundle", "cellulitis_knee_bundle"):
        bundle = json.load(open("examples/fhir/%s.json" % name))
        prefetch = {k: {"resourceType": "Bundle", "type": "searchset", "entry": []} for k in set(keys.values())}
        for entry in bundle["entry"]:
            r = entry["resource"]
            if r["resourceType"] == "Patient":
                prefetch["patient"] = r
            else:
                prefetch[keys[r["resourceType"]]]["entry"].append({"resource": r})
        req = {"hook": "patient-view", "hookInstance": "00000000-0000-4000-8000-000000000001",
               "context": {"userId": "Practitioner/1", "patientId": prefetch["patient"]["id"]}, "prefetch": prefetch}
        path = os.path.join(WORK, name + "_request.json")
        with open(path, "w") as f:
            json.dump(req, f)
        paths.append(path)
    out = []
    for path in paths:
        cli = subprocess.run([KNEAD, "recommend", "--input", "fhir", "--format", "cds-hooks", path],
                             capture_output=True, timeout=60)
        check(cli.returncode == 0, "knead recommend --input fhir %s exits %d: %s" % (path, cli.returncode, cli.stderr))
        # The server's answer is the same bytes as the command's output (without its final newline).
        out.append((open(path, "rb").read(), cli.stdout.rstrip(b"\n")))
    return out


def endpoints(server, requests):
    conn = server.connection()
    status, headers, body = request(conn, "GET", "/cds-services")
    check(status == 200, "discovery status %d" % status)
    services = json.loads(body)["services"]
    check([s["id"] for s in services] == ["knead-patient-view", "knead-order-select"], "discovery ids: %s" % services)
    check(services[0]["hook"] == "patient-view" and "Condition?patient={{context.patientId}}" in services[0]["prefetch"].values(),
          "discovery prefetch templates")
    check("sha256:" in headers.get("Knead-Ruleset", ""), "the rule set digest in every answer (discovery)")

    status, headers, body = request(conn, "GET", "/health")
    check(status == 200 and json.loads(body)["status"] == "ok", "health: %d %s" % (status, body))

    for service in ("knead-patient-view", "knead-order-select"):
        text, expected = requests[0]
        payload = json.loads(text)
        payload["hook"] = service[len("knead-"):]
        status, headers, body = request(conn, "POST", "/cds-services/" + service, json.dumps(payload))
        check(status == 200, "%s status %d %s" % (service, status, body[:200]))
        check(body == expected, "%s answers as knead recommend does" % service)
        check("sha256:" in headers.get("Knead-Ruleset", ""), "the digest in a hook answer")
        check(json.loads(body)["extension"]["knead.ruleset"]["digest"].startswith("sha256:"), "the digest in the cards answer")

    def error(method, path, body, content_type, want, code=None):
        status, headers, data = request(conn, method, path, body, content_type)
        check(status == want, "%s %s: status %d, want %d (%s)" % (method, path, status, want, data[:200]))
        try:
            err = json.loads(data)["error"]
            check(code is None or err["code"] == code, "%s %s: error code %s, want %s" % (method, path, err["code"], code))
            check(bool(err["message"]), "an error message")
        except (ValueError, KeyError):
            check(False, "%s %s: not a JSON error: %r" % (method, path, data[:200]))
        check("sha256:" in headers.get("Knead-Ruleset", ""), "the digest in an error answer")

    text = requests[0][0]
    error("POST", "/cds-services/nope", text, "application/json", 404, "unknown_service")
    error("GET", "/elsewhere", None, None, 404, "not_found")
    error("GET", "/cds-services/knead-patient-view", None, None, 405)
    error("POST", "/cds-services/knead-patient-view", b'{"hook": "patient-view", "prefetch": {', "application/json", 400,
          "malformed_json")
    error("POST", "/cds-services/knead-patient-view", b'{"hook": "patient-view", "context": {}}', "application/json", 400,
          "cds_hooks.request")
    error("POST", "/cds-services/knead-patient-view", b'[1, 2]', "application/json", 400)
    error("POST", "/cds-services/knead-patient-view", json.dumps({"hook": "order-select", "prefetch": {}}), "application/json",
          400, "cds_hooks.request")
    error("POST", "/cds-services/knead-patient-view", text, "text/plain", 415, "unsupported_media_type")
    conn.close()

    # Over the body limit: 413, and the connection is closed.
    big = b'{"hook": "patient-view", "prefetch": {"x": "' + b"a" * 70000 + b'"}}'
    conn = server.connection()
    try:
        status, _, data = request(conn, "POST", "/cds-services/knead-patient-view", big)
        check(status == 413 and b"too_large" in data, "oversized body: %d" % status)
    except (ConnectionError, http.client.HTTPException) as e:
        check(False, "oversized body: no 413 answer (%s)" % e)
    conn.close()

    answer = raw(server.port, b"GARBAGE\x00\x01 / HTTP/9\r\n\r\n")
    check_server_error(answer, 400, "bad_http", "malformed HTTP")
    answer = raw(server.port, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    check_server_error(answer, 431, "header_too_large", "an oversized header")
    answer = raw(server.port, b"POST /cds-services/knead-patient-view HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              b"Content-Length: 99999999\r\n\r\n{")
    check_server_error(answer, 413, "too_large", "a declared oversized body (at once)")


def check_server_error(answer, status, code, what):
    """An error the HTTP layer finds itself is answered like the service's own: the status, a JSON
    error with its code, and the rule set named in the body and the Knead-Ruleset header."""
    head, _, body = answer.partition(b"\r\n\r\n")
    check(head.startswith(b"HTTP/1.1 %d" % status), "%s gets %d: %r" % (what, status, answer[:60]))
    check(b"Knead-Ruleset: " in head and b"sha256:" in head, "%s: the answer names the rule set (header)" % what)
    try:
        doc = json.loads(body)
        check(doc["error"]["code"] == code, "%s: error code %s: %s" % (what, code, doc["error"]))
        check(doc["ruleset"]["digest"].startswith("sha256:"), "%s: the rule set in the body" % what)
        return doc["error"]
    except (ValueError, KeyError, TypeError):
        check(False, "%s: not a JSON error naming the rule set: %r" % (what, body[:200]))
        return {}


def answer_then_close(s, limit):
    """What the server sends on `s` until it closes it (or `limit` seconds pass), and when it closed."""
    s.settimeout(0.1)
    chunks, deadline = [], time.time() + limit
    while time.time() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks), time.time()


def check_408(answer, what):
    head = answer.partition(b"\r\n\r\n")[0]
    check(b"Connection: close" in head, "%s: the 408 closes the connection" % what)
    err = check_server_error(answer, 408, "timeout", what)
    check("1 s" in err.get("message", ""), "%s: the 408 says why: %s" % (what, err))


def slow(server):
    """The read timeout is 1 s here. A request begun but not finished in time gets 408 and the
    connection closes; a connection that sends nothing closes quietly; others are served meanwhile."""
    post = (b"POST /cds-services/knead-patient-view HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n")
    halves = {"half the headers": post[:40], "the headers and half the body": post + b'{"hook": "patient-view", "pre'}
    for what, half in halves.items():
        with socket.create_connection((HOST, server.port), timeout=6) as s:
            start = time.time()
            s.sendall(half)
            answer, closed = answer_then_close(s, 6)
            check_408(answer, what)
            check(0.8 < closed - start < 3, "%s: 408 at the read timeout, after %.1f s" % (what, closed - start))

    # Ten stalled clients, more than the server's four threads, do not hold up anyone else.
    stalled = [socket.create_connection((HOST, server.port), timeout=6) for _ in range(10)]
    try:
        start = time.time()
        for s in stalled:
            s.sendall(post + b"{")
        conn = server.connection()
        for _ in range(20):
            status, _, _ = request(conn, "GET", "/health")
            check(status == 200, "served while slow clients wait: %d" % status)
        conn.close()
        check(time.time() - start < 0.8, "20 requests answered while 10 clients stall, in %.2f s" % (time.time() - start))
        for s in stalled:
            check_408(answer_then_close(s, 6)[0], "a stalled client among ten")
    finally:
        for s in stalled:
            s.close()

    # A slowloris (one byte of header every 0.1 s) is cut at the read timeout with a 408 too.
    with socket.create_connection((HOST, server.port), timeout=6) as s:
        start = time.time()
        s.sendall(post[:20])
        answer = b""
        try:
            for _ in range(40):
                if select.select([s], [], [], 0.1)[0]:
                    break
                s.sendall(b"X")
            answer = answer_then_close(s, 6)[0]
        except (BrokenPipeError, ConnectionResetError) as e:
            check(False, "a slowloris: reset instead of answered (%s)" % e)
        check_408(answer, "a slowloris")
        check(time.time() - start < 4, "a slowloris is cut within the read timeout")

    # Nothing sent: closed quietly at the read timeout (a new connection) or at the idle timeout
    # plus the read timeout (a kept-alive one, 2 + 1 s here).
    with socket.create_connection((HOST, server.port), timeout=6) as idle:
        start = time.time()
        kept = server.connection()
        status, _, _ = request(kept, "GET", "/health")
        check(status == 200, "a kept-alive request: %d" % status)
        answer, closed = answer_then_close(idle, 6)
        check(answer == b"" and 0.8 < closed - start < 3, "an idle new connection closes quietly at the read timeout: "
              "%r after %.1f s" % (answer[:60], closed - start))
        answer, closed = answer_then_close(kept.sock, 6)
        kept.close()
        check(answer == b"" and 2.8 < closed - start < 5, "an idle kept-alive connection closes quietly: %r after %.1f s"
              % (answer[:60], closed - start))


def connection_limit(server):
    sockets = []
    try:
        for _ in range(64):
            sockets.append(socket.create_connection((HOST, server.port), timeout=5))
        time.sleep(0.3)
        answer = raw(server.port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        check_server_error(answer, 503, "busy", "connection 65")
    finally:
        for s in sockets:
            s.close()
    time.sleep(0.3)
    conn = server.connection()
    status, _, _ = request(conn, "GET", "/health")
    conn.close()
    check(status == 200, "served again once connections close")


def concurrent(server, requests, clients=50, per_client=200):
    errors = []
    counts = [0] * clients

    def client(index):
        conn = server.connection(timeout=30)
        try:
            for i in range(per_client):
                text, expected = requests[(index + i) % len(requests)]
                status, _, body = request(conn, "POST", "/cds-services/knead-patient-view", text)
                if status != 200 or body != expected:
                    errors.append("client %d request %d: %d %r" % (index, i, status, body[:100]))
                    return
                counts[index] += 1
        except Exception as e:  # noqa: BLE001 - any failure is a test failure, reported
            errors.append("client %d: %s" % (index, e))
        finally:
            conn.close()

    start = time.time()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.time() - start
    check(not errors, "concurrent clients: %s" % errors[:3])
    check(sum(counts) == clients * per_client, "concurrent: %d of %d answered" % (sum(counts), clients * per_client))
    print("concurrent: %d requests in %.1f s (%.0f/s)" % (sum(counts), elapsed, sum(counts) / elapsed), flush=True)


def shutdown_under_load(requests):
    server = Server(log="shutdown.log")
    stop = threading.Event()
    answered = [0]
    wrong = []
    lock = threading.Lock()

    def client(index):
        text, expected = requests[index % len(requests)]
        for _ in range(1000):
            if stop.is_set():
                return
            conn = server.connection(timeout=30)
            try:
                for _ in range(50):
                    status, _, body = request(conn, "POST", "/cds-services/knead-patient-view", text)
                    if status != 200 or body != expected:
                        wrong.append((status, body[:100]))
                    with lock:
                        answered[0] += 1
            except (OSError, http.client.HTTPException):
                pass  # not answered: the connection closed; fine while stopping, never a wrong answer
            finally:
                conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    before = answered[0]
    start = time.time()
    code = server.stop()
    took = time.time() - start
    stop.set()
    for t in threads:
        t.join(timeout=30)
    check(code == 0, "SIGTERM under load: exit %s" % code)
    check(took < 10, "SIGTERM under load: stopped in %.1f s" % took)
    check(before > 0, "requests answered before SIGTERM")
    check(not wrong, "no answered request is wrong or cut: %s" % wrong[:3])
    server.stderr.seek(0)
    check("stopped" in server.stderr.read(), "the server says it stopped")


def main():
    os.makedirs(WORK, exist_ok=True)
    requests = make_requests()
    server = Server()
    check(server.address == "127.0.0.1", "listens on loopback by default")
    try:
        endpoints(server, requests)
        slow(server)
        concurrent(server, requests)
    finally:
        code = server.stop()
    # Its own server, whose idle connections outlast opening 64 of them on a busy machine (with a
    # read timeout of 1 s the first could close before the 65th connects and free its place).
    limited = Server(log="limit.log", read_timeout="30")
    try:
        connection_limit(limited)
    finally:
        limited.stop()
    check(code == 0, "idle server stops with 0 on SIGTERM, got %s" % code)
    log = open(server.log_path).read()
    check(re.search(r"^\S+ POST /cds-services/knead-patient-view 200 \d+ [0-9.]+ms$", log, re.M) is not None,
          "access log lines")
    check("syn-0003" not in log and "Fibromyalgia" not in log and "Almond" not in log, "no patient data in the access log")
    shutdown_under_load(requests)
    if FAILURES:
        sys.exit("%d check(s) failed" % len(FAILURES))
    print("ok")


if __name__ == "__main__":
    main()
