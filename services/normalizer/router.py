"""Thin wiring: raw report in, normalized report out; the work is `transform.normalize`.

It runs in the bounded parsing child (worker.py), so a hostile file can neither block the event loop
nor exhaust the service; the shared runtime's heartbeat keeps the message ours through a long parse.
"""

from __future__ import annotations

from functools import partial

from faststream.nats import NatsBroker, NatsRouter
from nats.js.errors import NotFoundError, ObjectNotFoundError

from services.normalizer.ocr import OcrOptions
from services.normalizer.transform import normalize
from services.normalizer.worker import ParseLimits, ParseWorker
from shared import topology
from shared.failures import PermanentError, TransientError
from shared.messages import NormalizedDocument, NormalizedReport, RawReport
from shared.runtime import stage_router
from shared.settings import Settings


async def fetch_raw(broker: NatsBroker, raw: RawReport) -> bytes:
    """Claim check: the report's bytes from the Object Store."""
    try:
        store = await broker.object_storage(raw.object_bucket, declare=False)
        result = await store.get(raw.object_name)
    except (ObjectNotFoundError, NotFoundError) as exc:
        raise PermanentError(f"raw bytes {raw.object_bucket}/{raw.object_name} are not in the Object Store") from exc
    except Exception as exc:
        raise TransientError(f"Object Store unavailable: {exc}") from exc
    return result.data or b""


def parse_limits(settings: Settings) -> ParseLimits:
    """The parsing child's budget: OCR needs more memory, and time for each page it may recognise."""
    if not settings.ocr_enabled:
        return ParseLimits(settings.parse_timeout_seconds, settings.parse_memory_mib)
    return ParseLimits(
        settings.parse_timeout_seconds,
        max(settings.parse_memory_mib, settings.ocr_memory_mib),
        ocr_seconds=settings.ocr_max_pages * settings.ocr_page_seconds,
    )


def build_router(settings: Settings, broker: NatsBroker) -> NatsRouter:
    ocr = OcrOptions(settings.ocr_enabled, settings.ocr_dpi, settings.ocr_max_pages)
    worker = ParseWorker(parse_limits(settings), partial(normalize, max_bytes=settings.max_report_bytes, ocr=ocr))

    async def decode(raw: RawReport) -> NormalizedDocument:
        return await worker.normalize(await fetch_raw(broker, raw), raw.filename)

    return stage_router(
        settings,
        service=topology.NORMALIZER,
        consumes=topology.RAW,
        produces=topology.NORMALIZED,
        input_model=RawReport,
        output_model=NormalizedReport,
        step=decode,
    )
