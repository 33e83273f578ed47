"""`govreports` command line: run the stack, ingest files, extract or evaluate offline, search, serve the page."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from services.cli.follow import add_arguments as follow_arguments
from services.cli.follow import command as follow_command
from services.cli.stack import REPO_ROOT
from services.indexer.elastic import INDEX_KINDS, IndexKind


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return found


async def _ingest(paths: list[Path], progress: bool | None) -> int:
    from services.cli.progress import progress_bar, wanted
    from services.ingest.intake import Intake
    from shared.runtime import build_broker, ensure_topology
    from shared.settings import Settings

    settings = Settings()
    broker = build_broker(settings, "ingest")
    await broker.connect()
    try:
        await ensure_topology(broker.connection)
        intake = Intake(broker, settings)
        rejected = 0
        files = _files(paths)
        with progress_bar("ingesting", wanted(progress)) as advance:
            for done, path in enumerate(files, 1):
                outcome = await intake.ingest_bytes(path.read_bytes(), path.name, "cli", str(path.resolve()))
                if outcome.report:
                    print(f"ingested  {path}  report_id={outcome.report.report_id}")
                else:
                    rejected += 1
                    print(f"rejected  {path}: {outcome.reason}")
                advance(done, len(files))
        return 2 if rejected else 0
    finally:
        await broker.stop()


async def _search(query: str, size: int) -> int:
    from services.cli.search import format_hits, search_reports
    from shared.elastic import elasticsearch_client
    from shared.settings import Settings

    settings = Settings()
    es = elasticsearch_client(settings, request_timeout=30)
    try:
        print(format_hits(query, await search_reports(es, settings, query, size)))
    finally:
        await es.close()
    return 0


def _extract(path: Path, as_json: bool) -> int:
    from services.cli.extract import run_extraction
    from shared.failures import PermanentError

    if path.is_dir():
        from services.cli.extract import survey

        lines, failures = survey(_files([path]))
        print("\n".join(lines))
        return 1 if failures else 0
    try:
        result = run_extraction(path)
    except PermanentError as exc:
        print(f"error: {exc.reason}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        meta = result["metadata"]
        print(f"{meta.get('title')}\n{meta.get('region')} · {meta.get('year')} · {meta.get('era')}")
        for fact in result["metrics"]:
            print(f"  {fact['key']:<45} {fact['value']:>10} {fact['unit']}  「{fact['evidence']}」")
    return 0


def _evaluate(gold_dir: Path, docs_dir: Path | None, rendering: str | None) -> int:
    from services.cli.evaluate import evaluate, format_report

    print(format_report(evaluate(gold_dir, docs_dir, rendering)))
    return 0


def _serve(host: str | None, port: int | None) -> int:
    import uvicorn

    from services.cli.stack import WEB_SERVICES
    from shared.settings import Settings

    settings = Settings()
    host, port = host or settings.search_api_host, port or settings.search_api_port
    uvicorn.run(WEB_SERVICES["search-api"], factory=True, host=host, port=port)
    return 0


async def _reindex(kinds: tuple[IndexKind, ...], delete_old: bool) -> int:
    from services.cli.reindex import ReindexError, format_results, reindex
    from shared.elastic import elasticsearch_client
    from shared.settings import Settings

    settings = Settings()
    async with elasticsearch_client(settings) as es:
        try:
            print(format_results(await reindex(es, settings, kinds, delete_old), delete_old))
        except (ReindexError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    return 0


async def _replay(timeout: float, delete_old: bool, progress: bool | None) -> int:
    from services.cli.progress import progress_bar, wanted
    from services.cli.replay import format_result, replay
    from shared.elastic import elasticsearch_client
    from shared.settings import Settings

    settings = Settings()
    async with elasticsearch_client(settings) as es:
        with progress_bar("replaying", wanted(progress)) as advance:
            result = await replay(es, settings, timeout, delete_old, on_progress=advance)
    print(format_result(result))
    return 0 if result.swapped or not result.replayed else 1


async def _dlq(args: argparse.Namespace) -> int:
    import nats

    from services.cli.dlq import run as run_dlq
    from shared.settings import Settings

    client = await nats.connect(Settings().nats_servers, name="dlq")
    try:
        options = vars(args)
        return await run_dlq(client.jetstream(), args.action, options.get("ids", []), options.get("all", False),
                             options.get("stage"), options.get("subject"))
    finally:
        await client.close()


def positive_int(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govreports", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start NATS, Elasticsearch and the services; ingest seeds; watch")
    run.add_argument("--seeds", type=Path, default=REPO_ROOT / "seeds", help="files to ingest first")
    run.add_argument("--once", action="store_true", help="exit after the seeds are indexed")
    run.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the seeds")
    run.add_argument("--cluster", action="store_true",
                     help="3 NATS servers and 3 Elasticsearch nodes, clustered, with replicated streams and indices")
    run.add_argument("--replicas", type=positive_int, default=1,
                     help="processes per service, sharing its work (each message, file or object taken by one)")

    ingest = commands.add_parser("ingest", help="publish files or folders to the running pipeline")
    ingest.add_argument("paths", type=Path, nargs="+")
    ingest.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")

    extract = commands.add_parser(
        "extract", help="normalize → split → extract one file in-process (a folder: one summary line per file)"
    )
    extract.add_argument("path", type=Path)
    extract.add_argument("--json", action="store_true", help="print the full JSON result")

    evaluate = commands.add_parser("eval", help="precision/recall/F1 of extraction against a gold set")
    evaluate.add_argument("gold_dir", type=Path)
    evaluate.add_argument("--docs", type=Path, default=None, help="folder of the gold set's documents")
    evaluate.add_argument("--rendering", default=None, metavar="SUFFIX",
                          help="score another rendering of each document (e.g. txt: the crawler text of a page)")

    search = commands.add_parser("search", help="full-text search of the indexed reports")
    search.add_argument("query")
    search.add_argument("--size", type=int, default=10)

    serve = commands.add_parser("serve", help="the search API and web page (uvicorn)")
    serve.add_argument("--host", default=None, help="default SEARCH_API_HOST")
    serve.add_argument("--port", type=int, default=None, help="default SEARCH_API_PORT")

    reindex = commands.add_parser("reindex", help="copy into the next index version (current template), swap aliases")
    reindex.add_argument("--kind", choices=INDEX_KINDS, action="append",
                         help="repeatable; default all three")
    reindex.add_argument("--delete-old", action="store_true", help="delete the previous version after the swap")

    replay = commands.add_parser("replay", help="re-extract every stored raw report into new index versions")
    replay.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the pipeline")
    replay.add_argument("--delete-old", action="store_true", help="delete the previous versions after the swap")
    replay.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")

    dlq = commands.add_parser("dlq", help="list, show and redrive dead letters (dlq.reports.>)")
    dlq_actions = dlq.add_subparsers(dest="action", required=True)
    dlq_list = dlq_actions.add_parser("list", help="id, time, stage, original subject, deliveries, report, reason")
    dlq_show = dlq_actions.add_parser("show", help="one dead letter with its body")
    dlq_show.add_argument("ids", type=int, nargs="+", metavar="ID")
    dlq_redrive = dlq_actions.add_parser("redrive", help="republish to the original subject with a fresh event id")
    dlq_redrive.add_argument("ids", type=int, nargs="*", metavar="ID")
    dlq_redrive.add_argument("--all", action="store_true", help="every dead letter (narrowed by --stage/--subject)")
    for action in (dlq_list, dlq_redrive):
        action.add_argument("--stage", default=None, help="only dead letters of this service, e.g. indexer")
        action.add_argument("--subject", default=None, help="only those of this original subject")

    status = commands.add_parser("status", help="backlog, rate and dead letters per stage; servers and services up?")
    status.add_argument("--json", action="store_true", help="JSON (one line per refresh with --watch)")
    status.add_argument("--watch", action="store_true", help="refresh every --interval seconds until Ctrl-C")
    status.add_argument("--interval", type=float, default=1.0,
                        help="seconds between the samples the rates come from (and between refreshes)")

    follow = commands.add_parser(
        "follow", help="print the metric facts of reports.metrics.v1 as they arrive (own durable, resumes on restart)"
    )
    follow_arguments(follow)

    args = parser.parse_args(argv)
    if args.command == "dlq" and args.action == "redrive" and bool(args.ids) == args.all:
        parser.error("dlq redrive: give dead letter IDs or --all")
    if args.command == "run":
        from services.cli.run import run as run_stack

        return run_stack(args.seeds, args.once, args.timeout, args.cluster, args.replicas)
    if args.command == "ingest":
        return asyncio.run(_ingest(args.paths, args.progress))
    if args.command == "extract":
        return _extract(args.path, args.json)
    if args.command == "eval":
        return _evaluate(args.gold_dir, args.docs, args.rendering)
    if args.command == "serve":
        return _serve(args.host, args.port)
    if args.command == "reindex":
        return asyncio.run(_reindex(tuple(args.kind or INDEX_KINDS), args.delete_old))
    if args.command == "dlq":
        return asyncio.run(_dlq(args))
    if args.command == "replay":
        return asyncio.run(_replay(args.timeout, args.delete_old, args.progress))
    if args.command == "follow":
        return follow_command(args)
    if args.command == "status":
        from services.cli.status import command as status_command

        return status_command(args.json, args.watch, args.interval)
    return asyncio.run(_search(args.query, args.size))


if __name__ == "__main__":
    sys.exit(main())
