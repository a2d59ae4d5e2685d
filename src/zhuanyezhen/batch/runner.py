"""A whole batch run: read, join, score (in one or several processes), write, sum up, commit.

Memory stays flat: the main table streams row by row, list rows wait in an on-disk index
(``join``), at most a few chunks of rows are in flight between processes, and the writers stream.
One exception: from the first row claiming an award paid once in the whole city (a GI 示范区,
``batch/city_once``), scored rows (small records) wait in memory until the input is read.
"""

from __future__ import annotations

import contextlib
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhuanyezhen.batch.cells import CellError, numeric_code_message, read_cell
from zhuanyezhen.batch.city_once import Column, losses, paid_rows
from zhuanyezhen.batch.columns import CODE, MAIN_COLUMNS, Layout, read_header
from zhuanyezhen.batch.join import ListIndex, normalise_code
from zhuanyezhen.batch.reader import Source, open_source
from zhuanyezhen.batch.rows import BLANK, EXAMPLE, SUBTOTAL, TOTAL, RowSorter, example_note
from zhuanyezhen.batch.scoring import (
    Rejected,
    Scored,
    Scorer,
    Task,
    init_worker,
    missing_code,
    money,
    repeated_claim,
    score_in_worker,
)
from zhuanyezhen.batch.summary import AMOUNT_COLUMNS, Summary
from zhuanyezhen.batch.summary import HEADER as SUMMARY_HEADER
from zhuanyezhen.batch.writer import Sheet, Workbook, amount_cell, output_kind
from zhuanyezhen.errors import InputError
from zhuanyezhen.files.atomic import PendingFiles, check_targets
from zhuanyezhen.money import UNITS

CHUNK_ROWS = 256
EXIT_FOR_SIGNAL = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}  # 128 + the signal's number


class Interrupted(BaseException):
    """SIGTERM or SIGHUP asked the run to stop (Ctrl+C arrives as ``KeyboardInterrupt``). A
    ``BaseException``, so it passes every ``except Exception`` and reaches the cleanup."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    @property
    def exit_code(self) -> int:
        return EXIT_FOR_SIGNAL.get(self.name, 130)


@contextlib.contextmanager
def interrupts() -> Iterator[None]:
    """While a run is going: SIGTERM and SIGHUP raise ``Interrupted`` in the main thread, so the
    run's own cleanup removes its temporary files and index; the old handlers come back after."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Interrupted(signal.Signals(signum).name)

    previous: dict[Any, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)  # Windows has no SIGHUP
        if number is not None:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _worker_start(*args: Any) -> None:
    """A worker leaves Ctrl+C to the parent, which ends every worker (``Pool.terminate``) and
    cleans up; a worker that took Ctrl+C itself would print a traceback and hang the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(*args)
REJECTED_HEADER = ["企业表行号", "文件或工作表", "行号", "列", "统一社会信用代码", "企业名称", "原因"]


@dataclass
class Counts:
    """Every row below the main table's header (and any title rows above it) is counted once."""

    read: int = 0
    scored: int = 0
    rejected: int = 0
    blank: int = 0
    titles: int = 0
    totals: int = 0
    examples: int = 0
    orphans: int = 0
    columnar: int = 0  # of ``scored``, how many the columnar path scored (never shown)
    written: list[str] = field(default_factory=list)
    rejections: list[list[Any]] = field(default_factory=list)  # check-only runs keep them here
    notes: list[str] = field(default_factory=list)  # how the input was read, for stderr and the output

    @property
    def skipped(self) -> int:
        return self.blank + self.titles + self.totals + self.examples

    def line(self) -> str:
        text = (f"读取 {self.read} = 计分 {self.scored} + 拒绝 {self.rejected} + 跳过 {self.skipped} "
                f"(空行 {self.blank}/标题 {self.titles}/合计 {self.totals}"
                + (f"/示例 {self.examples}" if self.examples else "") + ")")
        if self.orphans:
            text += f";另有 {self.orphans} 条清单行对应不到主表中的企业,已列入拒绝清单"
        return text


@dataclass
class Options:
    input: Path
    output: Path | None  # None: check only (``zyz validate``): read and check every row, write nothing
    summary: Path | None = None
    jobs: int = 1
    assumptions: dict[str, str] | None = None
    encoding: str | None = None
    rules: Path | None = None
    policy_id: str | None = None
    # ``--ledger``: credit code → awards received (ReceivedAward fields), and the amount the ledger
    # already holds against the fund (approved + paid); read by the command line, never here.
    received: dict[str, tuple[dict[str, Any], ...]] | None = None
    ledger_held: Any = None


def rejected_path(output: Path) -> Path:
    """``scores.csv`` → ``scores.rejected.csv`` (CSV output); XLSX output uses a sheet instead."""
    return output.with_name(f"{output.stem}.rejected{output.suffix}")


def output_targets(options: Options) -> list[tuple[Path, str]]:
    """Every file a run writes, with the option that names it."""
    if options.output is None:
        return []
    targets = [(options.output, "--output")]
    if output_kind(options.output, "输出文件") == "csv":
        targets.append((rejected_path(options.output), "--output(拒绝清单)"))
    if options.summary is not None:
        output_kind(options.summary, "汇总文件")
        targets.append((options.summary, "--summary"))
    return targets


def _precheck(options: Options) -> None:
    """Before anything is read or scored: every output path can be written, and no two clash."""
    check_targets(output_targets(options))


def _check_paths(options: Options, inputs: list[Path]) -> None:
    read = {p.resolve() for p in inputs}
    for target, _ in output_targets(options):
        if target.resolve() in read:
            raise InputError.one("输出会覆盖输入文件;输入文件从不修改,请换一个输出文件名", file=str(target))


def _claim_year(cells: list[Any], layout: Layout) -> str:
    """The claim year as the key reads it (``2024``); the cell as typed when it is not a year."""
    for index, column in enumerate(layout.columns):
        if column is not None and column.field == "claim_year" and index < len(cells):
            try:
                value = read_cell(column.kind, column.field, cells[index])
            except CellError:
                return str(cells[index])
            return "" if value is None else str(value)
    return ""


def _keep_main(source: Source, layout: Layout, index: ListIndex, counts: Counts) -> list[str]:
    """Read the main table into the index (key: credit code + claim year); sort out skipped rows."""
    code_at = layout.position(CODE)
    sorter = RowSorter(layout)
    counts.titles += source.main.titles
    counts.blank += source.main.blank_above
    counts.read += source.main.titles + source.main.blank_above
    duplicates: dict[int, int] = {}
    for number, cells in source.main.rows:
        counts.read += 1
        sort = sorter.sort(number, cells)
        if sort == BLANK:
            counts.blank += 1
            continue
        if sort in (TOTAL, SUBTOTAL):
            counts.totals += 1
            continue
        if sort == EXAMPLE:
            counts.examples += 1
            counts.notes.append(example_note(layout, number))
            continue
        raw = cells[code_at] if code_at is not None and code_at < len(cells) else None
        code = normalise_code(raw)
        # a code Excel stored as a number is refused when the row is read (its own message);
        # it must not count as a claim, or a second such row would be called a duplicate
        earlier = index.add_main(number, code, _claim_year(cells, layout), cells,
                                 claim=numeric_code_message(raw) is None)
        if earlier is not None:
            duplicates[number] = earlier
    index.duplicates = duplicates
    sorter.check_totals((number, cells) for number, _, _, cells in index.main_rows())
    return sorter.warnings


def _tasks(layout: Layout, index: ListIndex,
           received: dict[str, tuple[dict[str, Any], ...]]) -> Iterator[Task]:
    duplicates = index.duplicates
    several = index.has_several_years()
    for number, code, year, cells in index.main_rows():
        if not code:
            yield Task(number, cells, [], (missing_code(layout, number),))
            continue
        if number in duplicates:
            yield Task(number, cells, [], (repeated_claim(layout, number, code, year, duplicates[number]),))
            continue
        items = index.rows_for(code)
        held = received.get(code, ())
        before = tuple(Task(r, c, items, (), received=held)
                       for r, _, c in index.earlier_claims(code, year)) if several else ()
        yield Task(number, cells, items, (), before, held)


def _chunks(tasks: Iterator[Task], size: int) -> Iterator[list[Task]]:
    chunk: list[Task] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _score(chunks: Iterator[list[Task]], options: Options, layout: Layout,
           lists: list[Layout], scorer: Scorer) -> Generator[Scored | Rejected, None, None]:
    """Results in input order. With several jobs, a bounded window of chunks is in flight, so
    the reader never runs far ahead of the writer (``Pool.imap`` would read the whole input)."""
    if options.jobs <= 1:
        for chunk in chunks:
            yield from scorer.score_chunk(chunk)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(options.jobs, initializer=_worker_start,
                      initargs=(options.rules, options.policy_id, options.assumptions or {},
                                layout, lists)) as pool:
        window: deque[Any] = deque()
        for chunk in chunks:
            window.append(pool.apply_async(score_in_worker, (chunk,)))
            if len(window) >= options.jobs * 3:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


class _Progress:
    """A rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int | None, position: Callable[[], Any] | None, quiet: bool) -> None:
        self.bar: Any = None
        self.position = position
        if quiet or not sys.stderr.isatty() or total is None or position is None:
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("计分"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                            TextColumn("{task.fields[rows]} 行"), console=Console(file=sys.stderr),
                            transient=True)
        self.task = self.bar.add_task("batch", total=total, rows=0)
        self.bar.start()

    def update(self, rows: int) -> None:
        if self.bar is not None and self.position is not None and rows % 512 == 0:
            self.bar.update(self.task, completed=self.position(), rows=rows)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run(options: Options, quiet: bool = False, columns: bool = True) -> Counts:
    """Score every enterprise of the input; write results, rejected rows and the summary.

    Every output path is checked before anything is read or scored; an interruption (Ctrl+C,
    SIGTERM, SIGHUP) leaves no temporary file and no index behind (``interrupts``).
    """
    _precheck(options)
    with interrupts():
        if columns:
            from zhuanyezhen.batch.columnar.runner import run as run_columns

            in_columns: Counts | None = run_columns(options, quiet, sys.modules[__name__])
            if in_columns is not None:
                return in_columns
        return _run(options, quiet)


def _run(options: Options, quiet: bool) -> Counts:
    scorer_args = (options.rules, options.policy_id, options.assumptions or {})
    source = open_source(options.input, options.encoding)
    outputs = PendingFiles()
    index: ListIndex | None = None
    progress: _Progress | None = None
    open_files: list[Sheet] = []
    scoring: Generator[Scored | Rejected, None, None] | None = None
    try:
        _check_paths(options, source.files)
        layout = read_header(source.main.source, source.main.header, MAIN_COLUMNS, "企业表",
                             source.main.header_line)
        counts = Counts()
        counts.notes.extend(_reading_notes(source, layout))
        index = ListIndex()
        for kind, table in source.lists:
            index.add(kind, table)
        index.ready()
        for note in _list_notes(index):
            counts.notes.append(note)
        counts.notes.extend(_keep_main(source, layout, index, counts))
        counts.notes.extend(index.warnings)
        if not quiet:
            for note in counts.notes:
                sys.stderr.write(f"提示:{note}\n")
        scorer = Scorer(*scorer_args, layout, index.layouts, check_only=options.output is None)
        summary = Summary(scorer.provisions, _budget(scorer), ledger_held=options.ledger_held)
        results, rejected, closers, xlsx = _open_writers(options, outputs, scorer, counts.notes, counts)
        open_files = [results, rejected]
        done_rows = {"n": 0}
        progress = _Progress(index.main_count(), lambda: done_rows["n"], quiet)
        chunks = _chunks(_tasks(layout, index, options.received or {}), CHUNK_ROWS)
        scoring = _score(chunks, options, layout, index.layouts, scorer)
        # From the first row claiming an award paid once in the whole city (batch/city_once),
        # scored rows wait until every row is read: the row paid may come later in the input.
        scored: list[Scored] = []
        for done, outcome in enumerate(scoring, start=1):
            done_rows["n"] = done
            progress.update(done)
            if isinstance(outcome, Scored):
                counts.scored += 1
                if scored or outcome.claims:
                    scored.append(outcome)
                else:
                    if options.output is not None:
                        summary.add(outcome)
                    results.write(_result_row(outcome, xlsx))
            else:
                counts.rejected += 1
                for problem in outcome.problems:
                    rejected.write([outcome.row, problem.source, problem.row, problem.column,
                                    outcome.code if xlsx else csv_code(outcome.code),
                                    outcome.name, problem.reason])
        for code, list_layout, row in index.orphans():
            counts.orphans += 1
            reason = ("清单行缺少统一社会信用代码,无法对应到企业" if not code
                      else f"统一社会信用代码 {code} 在企业表中不存在,本行未计入任何企业")
            if code.isdigit() and code.endswith("000"):
                reason += ";若该代码被 Excel 存成了数字,后几位已丢失,请把该列设为“文本”格式后重新输入代码"
            rejected.write(["", list_layout.source, row, list_layout.header_of(CODE), code, "", reason])
        progress.stop()
        for outcome in _city_once(scored, scorer):
            if options.output is not None:
                summary.add(outcome)
            results.write(_result_row(outcome, xlsx))
        return _finish(options, outputs, summary, counts, closers)
    except BaseException:
        if scoring is not None:
            scoring.close()  # with --jobs: ends the pool, so no worker outlives the run
        if progress is not None:
            progress.stop()
        for sheet in open_files:
            sheet.close()  # CSV: closes the temporary file; a workbook is simply never saved
        outputs.discard()
        raise
    finally:
        source.close()
        if index is not None:
            index.close()


def _city_once(rows: list[Scored], scorer: Scorer) -> Iterator[Scored]:
    """Each row with the city-once awards another row is paid taken out (batch/city_once)."""
    columns = [Column(p.id, p.kind == "up_to") for p in scorer.provisions]
    winners = paid_rows([(r.row, r.name, r.claims) for r in rows if r.claims])
    for r in rows:
        lost = losses(r.row, r.claims, winners, columns) if r.claims else []
        if not lost:
            yield r
            continue
        amounts = list(r.amounts)
        exact, up_to = Decimal(r.exact), Decimal(r.up_to)
        for loss in lost:
            left = Decimal(amounts[loss.column]) - loss.amount
            amounts[loss.column] = money(left) if left else ""
            if loss.up_to:
                up_to -= loss.amount
            else:
                exact -= loss.amount
        yield r._replace(amounts=tuple(amounts), exact=money(exact), up_to=money(up_to),
                         total=money(exact + up_to), excluded=r.excluded + len(lost),
                         note=";".join(x.note for x in lost))


def _reading_notes(source: Source, layout: Layout) -> list[str]:
    notes = list(source.main.notes)
    for _, table in source.lists:
        notes.extend(table.notes)
    if source.main.header_line > 1:
        notes.append(f"{layout.source} 的表头在第{source.main.header_line}行;上方 "
                     f"{source.main.header_line - 1} 行(标题、说明或空行)已跳过")
    for header, unit in layout.scaled():
        notes.append(_scaled_note(layout.source, header, unit))
    return notes


def _scaled_note(source: str, header: str, unit: str) -> str:
    if unit == "%":
        return f"{source} 列“{header}”按百分数读取:85 即 85%"
    return f"{source} 列“{header}”按{unit}读取:数值×{UNITS[unit]:,} 换算为元"


def _list_notes(index: ListIndex) -> list[str]:
    notes = []
    for list_layout in index.layouts:
        if list_layout.line > 1:
            notes.append(f"{list_layout.source} 的表头在第{list_layout.line}行;上方各行已跳过")
        for header, unit in list_layout.scaled():
            notes.append(_scaled_note(list_layout.source, header, unit))
    return notes


def _budget(scorer: Scorer) -> Any:
    policy = next(iter(scorer.policies.values()))
    if scorer.policy_id is not None:
        policy = scorer.policies[scorer.policy_id]
    return policy.info.budget


def result_header(scorer: Scorer) -> list[str]:
    return ["行号", "统一社会信用代码", "企业名称", "县区", "专业镇", "申报年度",
            "确定金额(元)", "最高可达(元)", "企业合计(元)",
            *(p.header for p in scorer.provisions),
            "另付培训主体(元)", "土地价格优惠(元,非现金)", "不予重复奖补项数", "需补充信息项数",
            "以前年度奖励", "说明"]


def _result_row(row: Scored, xlsx: bool) -> list[Any]:
    if not xlsx:  # amount_cell leaves text as it is for CSV
        return [row.row, csv_code(row.code), row.name, row.county, row.town, row.claim_year, row.exact,
                row.up_to, row.total, *row.amounts, row.payable_to_others, row.land_benefit, row.excluded,
                row.needs_info, row.carried, row.note]
    return [row.row, row.code, row.name, row.county, row.town, row.claim_year,
            amount_cell(row.exact, xlsx), amount_cell(row.up_to, xlsx), amount_cell(row.total, xlsx),
            *(amount_cell(a, xlsx) for a in row.amounts),
            amount_cell(row.payable_to_others, xlsx), amount_cell(row.land_benefit, xlsx),
            row.excluded, row.needs_info, row.carried, row.note]


def csv_code(code: str) -> str:
    """An all-digit credit code in CSV output gets a leading ``'`` (as formula-looking text does), so
    Excel and WPS opening the CSV keep it as text with all 18 digits; ``zyz batch`` reads it back."""
    return "'" + code if code.isdigit() else code


class _Kept(Sheet):
    """A check-only run's table: rows kept in memory (rejections) or dropped (results)."""

    def __init__(self, rows: list[list[Any]] | None) -> None:
        self.rows = rows

    def write(self, row: list[Any]) -> None:
        if self.rows is not None:
            self.rows.append(row)


def _open_writers(options: Options, outputs: PendingFiles, scorer: Scorer, notes: list[str],
                  counts: Counts) -> tuple[Sheet, Sheet, list[Callable[[], None]], bool]:
    from zhuanyezhen.batch.writer import CsvSheet

    if options.output is None:
        return _Kept(None), _Kept(counts.rejections), [], True
    header = result_header(scorer)
    if output_kind(options.output, "输出文件") == "xlsx":
        book = Workbook(outputs.reserve(options.output), str(options.output))
        results = book.sheet("评分结果", header)
        rejected = book.sheet("拒绝", REJECTED_HEADER)
        if notes:
            read = book.sheet("读取说明", ["说明"])
            for note in notes:
                read.write([note])
        return results, rejected, [book.close], True
    results_csv = CsvSheet(outputs.reserve(options.output), header)
    rejected_csv = CsvSheet(outputs.reserve(rejected_path(options.output)), REJECTED_HEADER)
    return results_csv, rejected_csv, [results_csv.close, rejected_csv.close], False


def _finish(options: Options, outputs: PendingFiles, summary: Summary, counts: Counts,
            closers: list[Callable[[], None]]) -> Counts:
    """The end of a run, row path or columnar: the accounting holds, the summary is written, and every
    output is renamed into place together."""
    if counts.read != counts.scored + counts.rejected + counts.skipped:  # pragma: no cover - an invariant
        raise AssertionError(f"行数不符:{counts.line()}")
    _write_summary(options, outputs, summary, counts.notes)
    for close in closers:
        close()
    counts.written = [str(target) for _, target in outputs.pending]
    outputs.commit()
    return counts


def _write_summary(options: Options, outputs: PendingFiles, summary: Summary, notes: list[str]) -> None:
    """The summary; how the input was read (scaled columns, header row, merged ranges) goes with it,
    as a 读取说明 sheet or section, so a CSV result's reader sees it too."""
    from zhuanyezhen.batch.writer import CsvSheet

    if options.summary is None:
        return
    if output_kind(options.summary, "汇总文件") == "xlsx":
        book = Workbook(outputs.reserve(options.summary), str(options.summary))
        for title, rows in summary.sections():
            xlsx_sheet = book.sheet(title, SUMMARY_HEADER)
            for row in rows:
                xlsx_sheet.write([amount_cell(v, True) if i in AMOUNT_COLUMNS and isinstance(v, str) else v
                                  for i, v in enumerate(row)])
        if notes:
            read = book.sheet("读取说明", ["说明"])
            for note in notes:
                read.write([note])
        book.close()
        return
    sheet = CsvSheet(outputs.reserve(options.summary), ["分类", *SUMMARY_HEADER])
    for title, rows in summary.sections():
        for row in rows:
            sheet.write([title, *row])
    for note in notes:
        sheet.write(["读取说明", note, *[""] * (len(SUMMARY_HEADER) - 1)])
    sheet.close()
