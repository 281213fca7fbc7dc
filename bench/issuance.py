"""Issuing permits against a bare WeasyPrint render of the same HTML, in the same run.

    .venv/bin/python bench/issuance.py            # SQLite, a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izin .venv/bin/python bench/issuance.py

Issuance is CPU work (HTML, QR code, offline token, WeasyPrint, the PAdES signature) plus a
handful of queries, so it runs on SQLite as well as on PostgreSQL: without DATABASE_URL it uses a
temporary SQLite file; with it, its own database ``izin_bench_issuance`` beside the one the URL
names (created, migrated and dropped; the named database is never touched). Signing uses a
throwaway development CA and offline-token key made in a temporary folder, and the PDFs are
stored there too.

The catalogue, the office's signer and the demo business come from ``demo.loader.seed_demo``
(no permits, no treasury); ``--permits N`` (default 30) applications of the low-risk TDUP type
are submitted through the real services (approved on submission). Celery is not eager here: the
tasks anything queues (the issuance itself, notices, deliveries) wait in an in-memory broker, as
they wait in the broker for the workers, and each application is issued by the timed
``documents.issuance.application_issue``, which is what the issuance worker's task runs. For
each permit, in the same loop:

1. **issuance**: ``application_issue`` — allocate the number, context, offline token, QR code,
   HTML, WeasyPrint, PAdES signature, store the file and issue the application;
2. **bare render**: ``rendering.html_to_pdf`` of the very HTML that permit's PDF was made from
   (QR code drawing included, since it is part of that HTML): no database, no token, no QR
   encoding, no signature.

It prints the median of each and their ratio (the claim: issuance at most 1.2× the bare render);
beside them, each step of issuance timed alone (context, HTML, signature; the rest is queries
and storage), the render with no QR code and with the QR code as drawn before, and the QR code's
own cost now against the encoding issuance used before (a JSON token in base64url, the best of
eight masks, a square per module), each with the size of the code and of its SVG. Nothing is
asserted. See bench/README.md.
"""

import base64
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PERMITS = 30
BENCH_DB = "izin_bench_issuance"

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
SCRATCH = Path(tempfile.mkdtemp(prefix="izin-bench-issuance-"))
# Before Django reads its settings: nothing of the developer's own folders is used.
os.environ["SIGNING_DEV_DIR"] = str(SCRATCH / "signing")
os.environ["PRIVATE_MEDIA_ROOT"] = str(SCRATCH / "private")
os.environ.setdefault("SIGNING_TSA_URL", "")
# Not eager: what an issue queues (notices, deliveries) waits in memory, as it waits in the
# broker for the default workers; the issuance worker's own work is what is timed.
os.environ["CELERY_BROKER_URL"] = "memory://"

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.disable(logging.INFO)  # one line per permit is not what is measured

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # nothing printed


def refuse(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(2)


def admin(database: dict, *statements: str) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user=database["USER"],
                            password=database["PASSWORD"], host=database["HOST"] or None,
                            port=database["PORT"] or None)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def use_scratch_database() -> dict | None:
    """Point the default connection at the benchmark's own database; the PostgreSQL settings
    (to drop it later), or None on SQLite."""
    database = settings.DATABASES["default"]
    if settings.SIGNING_PKCS12_PATH or not settings.DEBUG:
        refuse("Run this with the local settings (a development CA is made for it).")
    if database["ENGINE"] == "django.db.backends.postgresql":
        if database["NAME"] == BENCH_DB:
            refuse(f"DATABASE_URL names {BENCH_DB}, the benchmark's own scratch database: "
                   "point it at your usual database.")
        admin(database, f"DROP DATABASE IF EXISTS {BENCH_DB}", f"CREATE DATABASE {BENCH_DB}")
        database["NAME"] = BENCH_DB
        return database
    database["NAME"] = str(SCRATCH / "bench.sqlite3")
    return None


def applications(count: int) -> list[int]:
    """``count`` TDUP applications approved on submission, through the real services; their
    issuance tasks wait in the in-memory broker, never run."""
    from demo.loader import BUSINESS, seed_demo
    from demo.permits import _pdf, _png, _Upload  # the demo's own upload stand-ins
    from documents.services import attachment_upload
    from licensing import services
    from licensing.models import Business, PermitType

    seed_demo(permits=False, treasury=False)
    business = Business.objects.get(nib=BUSINESS["nib"])
    owner = business.memberships.first().user
    tdup = PermitType.objects.get(code="TDUP")
    kinds = ["kafe", "homestay", "hiburan", "jasa_perjalanan"]
    ids = []
    for n in range(count):
        answers = {"tourism_kind": kinds[n % len(kinds)], "opening_date": "2026-01-05",
                   "venue": {"street": f"Jl. Bench No. {n + 1}", "kelurahan": "Sukaramai",
                             "kecamatan": "pekanbaru_kota"}}
        application = services.application_create(business=business, permit_type=tdup,
                                                   actor=owner, answers=answers)
        for requirement in tdup.required_documents.all():
            content, name = ((_pdf(), "dokumen.pdf") if "pdf" in requirement.accepted_formats
                             else (_png(), "foto.png"))
            attachment_upload(application=application, requirement=requirement,
                              actor=owner, uploaded_file=_Upload(content, name))
        ids.append(services.application_submit(application=application, actor=owner).pk)
    return ids


def legacy_qr_content(permit) -> str:
    """The QR content as issuance made it before: the token as base64url JSON (format 1)."""
    from documents.context import permit_content, verification_url
    from documents.offline_token import private_key

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    import hashlib
    from urllib.parse import urlencode

    content = json.dumps(permit_content(permit), sort_keys=True, ensure_ascii=False).encode()
    payload = json.dumps({
        "v": 1, "n": permit.number, "b": permit.holder.nib, "f": permit.valid_from.isoformat(),
        "u": permit.valid_until.isoformat() if permit.valid_until else None,
        "h": b64(hashlib.sha256(content).digest()),
    }, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    token = f"{b64(payload)}.{b64(private_key().sign(payload))}"
    return f"{verification_url(permit)}&{urlencode({'t': token})}"


def legacy_qr(data: str):
    """The QR code as issuance drew it before: fitted version, the best of eight masks."""
    import qrcode
    import qrcode.image.svg

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(data)
    code.make(fit=True)
    return code.version, code.make_image().to_string(encoding="unicode")


def best_of(work, times: int = 20) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    count = int(sys.argv[sys.argv.index("--permits") + 1]) if "--permits" in sys.argv else PERMITS
    database = use_scratch_database()
    where = (f"PostgreSQL database {BENCH_DB} on {database['HOST'] or 'localhost'}" if database
             else "SQLite (a temporary file)")
    try:
        call_command("signing_init", stdout=io.StringIO())
        print(f"{where}: migrating…", flush=True)
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        ids = applications(count + 1)
        print(f"{count + 1} applications submitted and approved in "
              f"{time.perf_counter() - start:.1f} s", flush=True)

        from documents import qr, rendering
        from documents.context import permit_context
        from documents.issuance import application_issue
        from documents.signing import sign_pdf

        application_issue(application_id=ids.pop())  # warm: WeasyPrint's fonts, pyHanko
        times = {name: [] for name in ("issuance", "bare", "context", "qr", "html", "sign",
                                       "bare_no_qr", "bare_old_qr")}

        def timed(name, work, *args, **kwargs):
            start = time.perf_counter()
            result = work(*args, **kwargs)
            times[name].append(time.perf_counter() - start)
            return result

        for application_id in ids:
            permit = timed("issuance", application_issue, application_id=application_id)
            context = timed("context", permit_context, permit)
            svg = timed("qr", qr.qr_svg, context["qr_url"])
            html = timed("html", rendering.permit_html, context)
            pdf = timed("bare", rendering.html_to_pdf, html)
            timed("sign", sign_pdf, pdf, reason="bench", location="bench")
            timed("bare_no_qr", rendering.html_to_pdf, html.replace(svg, ""))
            old_svg = legacy_qr(legacy_qr_content(permit))[1]
            timed("bare_old_qr", rendering.html_to_pdf, html.replace(svg, old_svg))

        median = {name: statistics.median(values) * 1000 for name, values in times.items()}
        now_content, old_content = context["qr_url"], legacy_qr_content(permit)
        now_seconds = best_of(lambda: qr.qr_svg(now_content))
        old_seconds = best_of(lambda: legacy_qr(old_content))
        old_version, old_svg = legacy_qr(old_content)
        now_svg = qr.qr_svg(now_content)
        rest = median["issuance"] - median["context"] - median["html"] - median["bare"] \
            - median["sign"]

        print()
        print(f"{count} permits (TDUP), medians; {os.cpu_count()} CPUs; {where}")
        print(f"issuance (application_issue, all of it): {median['issuance']:7.1f} ms")
        print(f"bare render (html_to_pdf, same HTML):    {median['bare']:7.1f} ms")
        print("  where issuance's time goes beyond the render, each step timed alone:")
        print(f"    context (content, offline token):    {median['context']:7.1f} ms")
        print(f"    HTML (template, QR code in it):      {median['html']:7.1f} ms"
              f"   (the QR code alone {median['qr']:.1f} ms)")
        print(f"    PAdES signature:                     {median['sign']:7.1f} ms")
        print(f"    the rest (queries, storing the file): {rest:6.1f} ms")
        print("  the render, by QR drawing:")
        print(f"    no QR code at all:                   {median['bare_no_qr']:7.1f} ms")
        print(f"    the QR code as drawn before:         {median['bare_old_qr']:7.1f} ms")
        print(f"QR code before: {len(old_content)} characters, version {old_version}, "
              f"{len(old_svg):,} bytes of SVG, {old_seconds * 1000:.1f} ms to encode and draw")
        print(f"QR code now:    {len(now_content)} characters, version "
              f"{qr.qr_code(now_content).version}, {len(now_svg):,} bytes of SVG, "
              f"{now_seconds * 1000:.1f} ms to encode and draw")
        before = (median["issuance"] + (old_seconds - now_seconds) * 1000
                  + median["bare_old_qr"] - median["bare"])
        print(f"issuance as before, estimated (now, plus the old QR code's encoding and "
              f"drawing): {before:.1f} ms, {before / median['bare_old_qr']:.2f}x its own render")
        print(f"ratio issuance / bare render:            "
              f"{median['issuance'] / median['bare']:5.2f}x")
        print(f"ratio issuance / render with no QR code: "
              f"{median['issuance'] / median['bare_no_qr']:5.2f}x")
    finally:
        connection.close()
        if database:
            admin(database, f"DROP DATABASE IF EXISTS {BENCH_DB}")
            print(f"dropped {BENCH_DB}")
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
