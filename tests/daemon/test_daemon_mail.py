"""License email delivery against a loopback Postmark: every license's mail goes out exactly once,
through outages, timeouts, rejections, crashes and racing workers, on both databases."""

from __future__ import annotations

import email
import email.policy
import re
import threading
from datetime import date

import pytest

from datatools import license as codec
from datatools import license_keys
from licensed.db import open_database
from licensed.mailer import MailRejected, MailRetryable, PostmarkTransport
from licensed.message import license_message
from licensed.outbox import DeliveryWorker
from licensed.records import License
from tests.daemon.harness import LiveDaemon, gumroad_sale, quick
from tests.daemon.fake_postmark import TOKEN, FakePostmark


def a_license() -> License:
    """A license record as the query layer returns it, for tests of the transport alone."""
    return License(
        id=1, lid="L-1", source="manual", order_id="M-1", name="A", email="a@example.com",
        product="datatools", product_key="datatools-pro", tier="pro", seats=1,
        issued="2026-11-23", updates_until=None, expires=None, kid="test-1", blob="DTLIC2:x.y",
        offer_code=None, amount_minor=0, currency="USD", test=False, note=None, status="active",
        revoked_at=None, revoke_reason=None, created_at="2026-11-23T12:00:00.000000+00:00")

def blob_in(text: str) -> str:
    """The license block of a mail body, as a buyer would select and copy it."""
    block = text.split("block):", 1)[1].strip().split("\n\n", 1)[0]
    assert block.startswith("DTLIC2:")
    return block


def verifies(live: LiveDaemon, pasted: str) -> codec.License:
    keyring = license_keys.load_keyring(live.settings.secrets_dir / "signing" / "keyring.json")
    return codec.verify_blob(pasted, keyring, product="datatools", today=date(2026, 11, 23),
                             release_date=date(2026, 11, 23))


def outbox(live: LiveDaemon, query: str = "") -> list[dict]:
    answer = live.admin("GET", "/internal/outbox" + query)
    assert answer.status == 200, answer.body
    return answer.json()["outbox"]


def test_a_sale_mails_its_license_once_in_a_block_that_survives_copy_paste(mailing, postmark):
    mailing.ping(gumroad_sale("MAIL-1"))
    mailing.ping(gumroad_sale("MAIL-1"))  # a duplicate delivery queues nothing
    report = mailing.daemon.worker.run_once()
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    assert mailing.daemon.worker.run_once().sent == 0
    (sent,) = postmark.accepted
    lic = mailing.license_for("MAIL-1")
    assert (sent["From"], sent["To"], sent["Subject"], sent["Tag"], sent["Metadata"]["lid"]) == (
        "DataTools <licenses@example.com>", "Zoë Ångström-Müller <zoe@example.com>",
        "Your DataTools Pro license", "license", lic["lid"])
    assert "Hello Zoë Ångström-Müller," in sent["TextBody"]
    assert "every update released until 2027-11-20" in sent["TextBody"]
    block = blob_in(sent["TextBody"])
    assert max(len(line) for line in block.splitlines()) <= 60
    assert block.replace("\n", "") == lic["blob"]
    assert verifies(mailing, block).lid == lic["lid"]
    replied = "\n".join("> " + line for line in block.splitlines())  # quoted in a reply
    assert verifies(mailing, replied).lid == lic["lid"]
    html_block = re.search(r"<pre[^>]*>(.*?)</pre>", sent["HtmlBody"], re.S).group(1)
    assert verifies(mailing, html_block).lid == lic["lid"]
    (row,) = mailing.admin("GET", "/internal/outbox?status=sent").json()["outbox"]
    assert (row["message_id"], row["attempts"], row["license_id"]) == (
        sent["MessageID"], 1, lic["id"])
    assert outbox(mailing) == []  # nothing pending or failed


def test_postmark_down_for_a_while_then_back_delivers_every_message_once(mailing, postmark, clock):
    for n in range(3):
        mailing.ping(gumroad_sale(f"DOWN-{n}"))
    postmark.script = [503, 500, 429, 503, 503, 500]  # two tries per message, all refused
    report = mailing.daemon.worker.run_once()
    assert (report.sent, report.retrying) == (0, 3)
    assert {row["status"] for row in outbox(mailing)} == {"pending"}
    assert mailing.daemon.worker.run_once().sent == 0  # not due yet: backing off
    clock.advance(hours=2)
    assert mailing.daemon.worker.run_once().sent == 3
    lids = sorted(m["Metadata"]["lid"] for m in postmark.accepted)
    assert lids == sorted(mailing.license_for(f"DOWN-{n}")["lid"] for n in range(3))
    clock.advance(days=2)
    assert mailing.daemon.worker.run_once().sent == 0
    assert len(postmark.accepted) == 3


def test_inactive_recipient_406_fails_the_row_without_retrying(mailing, postmark, clock):
    mailing.ping(gumroad_sale("BOUNCED-1"))
    postmark.script = [("422", 406)]
    assert mailing.daemon.worker.run_once().failed == 1
    clock.advance(days=3)
    assert mailing.daemon.worker.run_once().sent == 0
    assert postmark.requests == 1
    (row,) = outbox(mailing, "?status=failed")
    assert (row["status"], row["error_code"], row["last_error"]) == (
        "failed", 406, "Postmark answered HTTP 422, ErrorCode 406: Inactive recipient")
    # The operator reactivates the address at Postmark, then sends the license again.
    lic = mailing.license_for("BOUNCED-1")
    resent = mailing.admin("POST", f"/internal/licenses/{lic['id']}/resend")
    assert (resent.status, resent.json()["outbox"]["purpose"]) == (202, "resend")
    assert mailing.daemon.worker.run_once().sent == 1
    assert postmark.accepted[0]["Subject"] == "Your DataTools Pro license (sent again)"


def test_a_postmark_timeout_is_retried_and_the_mail_goes_out_once(mailing, postmark, clock):
    quick(mailing.daemon.worker.transport, attempts=1)
    postmark.script = ["hang"]
    mailing.ping(gumroad_sale("SLOW-1"))
    report = mailing.daemon.worker.run_once()
    assert report.retrying == 1
    (row,) = outbox(mailing)
    assert row["last_error"].startswith("cannot reach Postmark: ")
    clock.advance(hours=1)
    assert mailing.daemon.worker.run_once().sent == 1
    assert len(postmark.accepted) == 1


def test_a_daemon_killed_after_the_license_commit_still_sends_after_restart(mail_world, postmark, clock):
    first = LiveDaemon(mail_world, clock).start()  # its worker never runs: it "dies" first
    first.ping(gumroad_sale("CRASH-1"))
    first.stop()
    second = LiveDaemon(mail_world, clock).start()
    try:
        quick(second.daemon.worker.transport)
        assert second.daemon.worker.run_once().sent == 1
        assert [m["Metadata"]["lid"] for m in postmark.accepted] == [second.license_for("CRASH-1")["lid"]]
    finally:
        second.stop()


def test_a_worker_that_dies_holding_a_claim_loses_it_after_the_lease(mailing, postmark, clock):
    mailing.ping(gumroad_sale("LEASE-1"))
    dead = DeliveryWorker(mailing.daemon.db, mailing.daemon.worker.transport,
                          sender="x@example.com", clock=clock)
    assert len(dead.claim()) == 1  # claimed, then the process is gone before sending
    assert mailing.daemon.worker.run_once().sent == 0
    clock.advance(minutes=6)
    assert mailing.daemon.worker.run_once().sent == 1
    assert len(postmark.accepted) == 1


def test_two_workers_racing_never_send_a_message_twice(mailing, postmark, clock):
    for n in range(30):
        answer = mailing.admin("POST", "/internal/mint", {
            "name": f"Buyer {n}", "email": f"b{n}@example.com", "tier": "pro"})
        assert answer.status == 201
    # Two workers as two processes would be: each with its own connections.
    databases = [open_database(mailing.settings.database_url) for _ in range(2)]
    workers = [DeliveryWorker(db, quick(PostmarkTransport(postmark.url, TOKEN)), batch=4,
                              sender="DataTools <licenses@example.com>", clock=clock)
               for db in databases]
    start, reports = threading.Barrier(2), []

    def race(worker: DeliveryWorker) -> None:
        start.wait()
        reports.append(worker.run_once())

    threads = [threading.Thread(target=race, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for db in databases:
        db.close()
    assert sum(r.sent for r in reports) == 30
    ids = [m["Metadata"]["outbox_id"] for m in postmark.accepted]
    assert len(ids) == len(set(ids)) == 30


def test_without_a_postmark_token_each_mail_is_an_eml_file(live):
    live.ping(gumroad_sale("SPOOL-1"))
    report = live.daemon.worker.run_once()
    assert (report.sent, report.spooled) == (0, 1)
    (path,) = live.settings.mail_spool_dir.glob("*.eml")
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    (to,) = mail["To"].addresses
    assert (to.display_name, to.addr_spec, mail["Subject"]) == (
        "Zoë Ångström-Müller", "zoe@example.com", "Your DataTools Pro license")
    text = mail.get_body(("plain",)).get_content()
    assert verifies(live, blob_in(text)).lid == live.license_for("SPOOL-1")["lid"]
    assert mail.get_body(("html",)) is not None
    # Nobody received it: the row says so, and is not among the sent ones.
    assert live.admin("GET", "/internal/outbox?status=sent").json()["outbox"] == []
    (row,) = live.admin("GET", "/internal/outbox?status=spooled").json()["outbox"]
    assert row["message_id"] == path.name


def test_resend_refuses_revoked_or_missing_licenses_and_outbox_checks_its_filter(live):
    live.ping(gumroad_sale("GONE-1"))
    live.ping(gumroad_sale("GONE-1", refunded="true"))
    lic = live.license_for("GONE-1")
    refused = live.admin("POST", f"/internal/licenses/{lic['id']}/resend")
    assert (refused.status, refused.json()["error"]["code"]) == (409, "license_revoked")
    assert live.admin("POST", "/internal/licenses/999999/resend").status == 404
    bad = live.admin("GET", "/internal/outbox?status=lost")
    assert (bad.status, bad.json()["error"]["message"]) == (
        400, "status must be one of pending, sending, sent, spooled, failed, cancelled, bounced")


@pytest.mark.parametrize("script, kind, code", [
    ([("422", 300)], MailRejected, 300),
    ([("422", 406)], MailRejected, 406),
    ([("422", 100), ("422", 100)], MailRetryable, 100),
    ([429, 429], MailRetryable, 429),
    ([503, 503], MailRetryable, 503),
])
def test_postmark_answers_decide_between_retry_and_give_up(postmark, script, kind, code):
    postmark.script = list(script)
    lic = a_license()
    with pytest.raises(kind) as caught:
        quick(PostmarkTransport(postmark.url, TOKEN)).send(license_message(lic, sender="s@example.com"))
    assert caught.value.error_code == code
    assert postmark.requests == len(script)  # terminal answers are never sent twice


def test_a_wrong_token_is_terminal_and_a_transient_error_is_retried_in_place(postmark):
    lic = a_license()
    message = license_message(lic, sender="s@example.com")
    with pytest.raises(MailRejected) as caught:
        quick(PostmarkTransport(postmark.url, "account-token")).send(message)
    assert caught.value.error_code == 10
    postmark.script = [500]
    assert quick(PostmarkTransport(postmark.url, TOKEN)).send(message) == postmark.accepted[0]["MessageID"]


def self_signed_certificate(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 that no trust store knows (what a man in the middle has)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def test_tls_is_verified_so_an_untrusted_certificate_gets_no_mail(tmp_path):
    import ssl

    fake = FakePostmark()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed_certificate(tmp_path))
    fake.server.socket = context.wrap_socket(fake.server.socket, server_side=True)
    fake.start()
    try:
        lic = a_license()
        transport = quick(PostmarkTransport(fake.url.replace("http:", "https:"), TOKEN), attempts=1)
        with pytest.raises(MailRetryable) as caught:
            transport.send(license_message(lic, sender="s@example.com"))
    finally:
        fake.stop()
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.message
    assert fake.accepted == []


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\x0b", "\x0c", "\u2029"])
def test_a_buyer_name_with_a_line_separator_is_mailed_like_any_other(live, separator):
    live.ping(gumroad_sale("ODD-1", full_name=f"Zoë{separator}Müller"))
    live.ping(gumroad_sale("PLAIN-1", full_name="Ann Plain"))
    report = live.daemon.worker.run_once()
    assert (report.spooled, report.failed) == (2, 0)
    names = sorted(email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["To"]
                   .addresses[0].display_name for p in live.settings.mail_spool_dir.glob("*.eml"))
    assert names == ["Ann Plain", "Zoë Müller"]


class BreaksOnOne:
    """A transport with a bug for one recipient (what a third-party library may do): an error
    that is neither MailRetryable nor MailRejected."""

    name = "breaks-on-one"

    def __init__(self, inner, recipient: str):
        self.inner, self.recipient = inner, recipient
        self.spools = inner.spools

    def send(self, message):
        if self.recipient in str(message.to):
            raise UnicodeError("the transport cannot encode this message")
        return self.inner.send(message)


def test_one_message_the_transport_chokes_on_fails_alone_and_the_batch_goes_on(live):
    worker = live.daemon.worker
    worker.transport = BreaksOnOne(worker.transport, "bad@example.com")
    for n in range(5):
        email_address = "bad@example.com" if n == 1 else f"ok{n}@example.com"
        live.ping(gumroad_sale(f"BATCH-{n}", email=email_address))
    report = worker.run_once()
    assert (report.spooled, report.failed) == (4, 1)
    (failed,) = live.admin("GET", "/internal/outbox?status=failed").json()["outbox"]
    assert failed["recipient"] == "bad@example.com"
    assert failed["last_error"].startswith("UnicodeError: the transport cannot encode")
    assert live.admin("GET", "/internal/outbox?status=sending").json()["outbox"] == []
