"""The earlier system's way, as a peer for bench/server: FastAPI + uvicorn + SQLAlchemy ORM.

The same Gumroad Ping transaction on the same schema (migrated by `licensed migrate`): audit
row, find-or-create the order's license (signed with Ed25519 by the same codec), its outbox
row, commit; a duplicate that loses the race to the unique key rolls back and finds the winner.
Run: `python bench/peers/fastapi_orm.py DATABASE_URL PORT KEY_PEM KID` (bench-only extras).
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy import create_engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from datatools import license as codec  # noqa: E402
from datatools import license_keys  # noqa: E402


class Base(DeclarativeBase):
    pass


class License(Base):
    __tablename__ = "licenses"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    lid: Mapped[str] = mapped_column(String)
    source: Mapped[str] = mapped_column(String)
    order_id: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String)
    email: Mapped[str] = mapped_column(String)
    product: Mapped[str] = mapped_column(String)
    product_key: Mapped[str] = mapped_column(String)
    tier: Mapped[str] = mapped_column(String)
    seats: Mapped[int] = mapped_column(Integer)
    issued: Mapped[str] = mapped_column(String)
    updates_until: Mapped[str | None] = mapped_column(String)
    kid: Mapped[str] = mapped_column(String)
    blob: Mapped[str] = mapped_column(String)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String)
    test: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebhookEvent(Base):
    __tablename__ = "webhook_events"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source: Mapped[str] = mapped_column(String)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    remote_addr: Mapped[str | None] = mapped_column(String)
    headers: Mapped[str] = mapped_column(String)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    kind: Mapped[str | None] = mapped_column(String)
    order_id: Mapped[str | None] = mapped_column(String)
    outcome: Mapped[str] = mapped_column(String)
    license_id: Mapped[int | None] = mapped_column(ForeignKey("licenses.id"))


class Outbox(Base):
    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    license_id: Mapped[int] = mapped_column(ForeignKey("licenses.id"))
    purpose: Mapped[str] = mapped_column(String)
    recipient: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String)
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def make_app(database_url: str, key_pem: Path, kid: str, secret: str) -> FastAPI:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1),
                           pool_size=8, max_overflow=4)
    sessions = sessionmaker(engine, expire_on_commit=False)
    key = license_keys.load_private_key(key_pem)
    app = FastAPI()

    def mint(session: Session, fields: dict[str, str], now: datetime) -> License:
        lid = "L-" + base64.b32encode(secrets.token_bytes(10)).decode("ascii")
        issued = date.today().isoformat()
        payload = {"lid": lid, "product": "datatools", "tier": "pro", "seats": 1,
                   "name": fields.get("full_name", ""), "email": fields["email"],
                   "issued": issued, "updates_until": None, "expires": None}
        lic = License(lid=lid, source="gumroad", order_id=fields["sale_id"],
                      name=payload["name"], email=payload["email"], product="datatools",
                      product_key="datatools-pro", tier="pro", seats=1, issued=issued,
                      updates_until=None, kid=kid, blob=codec.mint_blob(payload, key, kid),
                      amount_minor=int(fields.get("price", "0")), currency="USD", test=False,
                      created_at=now)
        session.add(lic)
        session.flush()
        session.add(Outbox(license_id=lic.id, purpose="license", recipient=lic.email,
                           status="pending", attempts=0, next_attempt_at=now, created_at=now))
        return lic

    def handle(body: bytes, remote: str | None) -> str:
        fields = dict(parse_qsl(body.decode("utf-8")))
        now = datetime.now(timezone.utc)
        for attempt in range(2):
            with sessions() as session:
                existing = session.scalars(select(License).where(
                    License.source == "gumroad", License.order_id == fields["sale_id"])).first()
                outcome = "duplicate"
                try:
                    lic = existing or mint(session, fields, now)
                    if existing is None:
                        outcome = "minted"
                    session.add(WebhookEvent(
                        source="gumroad", received_at=now, remote_addr=remote,
                        headers=json.dumps({}), body=body, kind="sale",
                        order_id=fields["sale_id"], outcome=outcome, license_id=lic.id))
                    session.commit()
                    return outcome
                except IntegrityError:
                    session.rollback()  # lost the race to a duplicate: find its license
        raise RuntimeError("unreachable: the second attempt finds the winner's license")

    @app.post("/webhooks/gumroad")
    async def gumroad(request: Request) -> Response:
        if not hmac.compare_digest(request.query_params.get("secret", "").encode(), secret.encode()):
            return Response(status_code=404)
        body = await request.body()
        host = request.client.host if request.client else None
        outcome = await run_in_threadpool(handle, body, host)
        return Response(json.dumps({"outcome": outcome}), media_type="application/json")

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    import uvicorn

    url, port, pem, kid, secret = sys.argv[1:6]
    uvicorn.run(make_app(url, Path(pem), kid, secret), host="127.0.0.1", port=int(port),
                log_level="warning", access_log=False)
