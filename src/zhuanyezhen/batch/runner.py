"""A whole batch run: read, join, score, write, sum up, commit.

UTF-8 CSV input is scored in columns (``batch.columnar``), which hands this row path only the rows
it cannot take. Here, memory stays flat: the main table streams row by row, list rows wait in an
on-disk index (``join``) and the writers stream.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhuanyezhen.batch.columns import CODE, MAIN_COLUMNS, Layout, read_header
from zhuanyezhen.batch.join import ListIndex, normalise_code
from zhuanyezhen.batch.reader import Source, is_blank, open_source
from zhuanyezhen.batch.scoring import Problem, Rejected, Scored, Scorer, Task
from zhuanyezhen.batch.summary import HEADER as SUMMARY_HEADER
from zhuanyezhen.batch.summary import Summary
from zhuanyezhen.batch.writer import Sheet, Workbook, amount_cell, output_kind
from zhuanyezhen.errors import InputError
from zhuanyezhen.files.atomic import PendingFiles

CHUNK_ROWS = 256
REJECTED_HEADER = ["企业表行号", "文件或工作表", "行号", "列", "统一社会信用代码", "企业名称", "原因"]


@dataclass
class Counts:
    read: int = 0
    scored: int = 0
    rejected: int = 0
    blank: int = 0
    orphans: int = 0
    columnar: int = 0  # of ``scored``, how many the columnar path scored (never shown)

    def line(self) -> str:
        text = f"读取 {self.read} = 计分 {self.scored} + 拒绝 {self.rejected}"
        if self.orphans:
            text += f";另有 {self.orphans} 条清单行对应不到主表中的企业,已列入拒绝清单"
        if self.blank:
            text += f";跳过空行 {self.blank}"
        return text


@dataclass
class Options:
    input: Path
    output: Path
    summary: Path | None = None
    jobs: int = 1
    assumptions: dict[str, str] | None = None
    encoding: str | None = None
    rules: Path | None = None
    policy_id: str | None = None


def rejected_path(output: Path) -> Path:
    """``scores.csv`` → ``scores.rejected.csv`` (CSV output); XLSX output uses a sheet instead."""
    return output.with_name(f"{output.stem}.rejected{output.suffix}")


def _check_paths(options: Options, inputs: list[Path]) -> None:
    targets = [options.output]
    if output_kind(options.output, "输出文件") == "csv":
        targets.append(rejected_path(options.output))
    if options.summary is not None:
        output_kind(options.summary, "汇总文件")
        targets.append(options.summary)
    resolved = [t.resolve() for t in targets]
    if len(set(resolved)) != len(resolved):
        raise InputError.one("输出文件与汇总文件不能是同一个文件", file=str(options.output))
    read = {p.resolve() for p in inputs}
    for target, full in zip(targets, resolved, strict=True):
        if full in read:
            raise InputError.one("输出会覆盖输入文件;输入文件从不修改,请换一个输出文件名", file=str(target))


def _tasks(source: Source, layout: Layout, index: ListIndex, counts: Counts) -> Iterator[Task]:
    code_at = next((i for i, c in enumerate(layout.columns) if c is not None and c.field == CODE), None)
    for number, cells in source.main.rows:
        if is_blank(cells):
            counts.blank += 1
            continue
        counts.read += 1
        code = normalise_code(cells[code_at]) if code_at is not None and code_at < len(cells) else ""
        problems: tuple[Problem, ...] = ()
        if not code:
            column = layout.header_of(CODE) or "统一社会信用代码"
            problems = (Problem(layout.source, number, column,
                                "缺少统一社会信用代码;批量计分按此代码关联清单并核对重复"),)
            yield Task(number, cells, [], problems)
            continue
        earlier = index.claim(code, number)
        if earlier is not None:
            problems = (Problem(layout.source, number, layout.header_of(CODE),
                                f"统一社会信用代码 {code} 与第{earlier}行重复;清单行已归第{earlier}行,本行不计分"),)
            yield Task(number, cells, [], problems)
            continue
        yield Task(number, cells, index.rows_for(code), problems)


def _chunks(tasks: Iterator[Task], size: int) -> Iterator[list[Task]]:
    chunk: list[Task] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _score(chunks: Iterator[list[Task]], scorer: Scorer) -> Iterator[Scored | Rejected]:
    """Results in input order, one process (``--jobs`` is retired: see ``cli/batch.py``)."""
    for chunk in chunks:
        yield from scorer.score_chunk(chunk)


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

    UTF-8 CSV input is scored in columns (``batch.columnar``), each row the columnar path cannot
    take by the row path below; any other input (XLSX, GB18030) goes whole through the row path.
    ``columns=False`` forces the row path (the tests compare the two).
    """
    if columns:
        from zhuanyezhen.batch.columnar.runner import run as run_columns

        in_columns: Counts | None = run_columns(options, quiet, sys.modules[__name__])
        if in_columns is not None:
            return in_columns
    scorer_args = (options.rules, options.policy_id, options.assumptions or {})
    source = open_source(options.input, options.encoding)
    outputs = PendingFiles()
    index: ListIndex | None = None
    progress: _Progress | None = None
    open_files: list[Sheet] = []
    try:
        _check_paths(options, source.files)
        layout = read_header(source.main.source, source.main.header, MAIN_COLUMNS, "企业表")
        index = ListIndex()
        for kind, table in source.lists:
            index.add(kind, table)
        index.ready()
        scorer = Scorer(*scorer_args, layout, index.layouts)
        summary = Summary(scorer.provisions, _budget(scorer))
        results, rejected, closers, xlsx = _open_writers(options, outputs, scorer)
        open_files = [results, rejected]
        counts = Counts()
        progress = _Progress(source.main.size, source.main.position, quiet)
        chunks = _chunks(_tasks(source, layout, index, counts), CHUNK_ROWS)
        for done, outcome in enumerate(_score(chunks, scorer), start=1):
            progress.update(done)
            if isinstance(outcome, Scored):
                counts.scored += 1
                summary.add(outcome)
                results.write(_result_row(outcome, xlsx))
            else:
                counts.rejected += 1
                for problem in outcome.problems:
                    rejected.write([outcome.row, problem.source, problem.row, problem.column, outcome.code,
                                    outcome.name, problem.reason])
        for code, list_layout, row in index.orphans():
            counts.orphans += 1
            reason = ("清单行缺少统一社会信用代码,无法对应到企业" if not code
                      else f"统一社会信用代码 {code} 在企业表中不存在,本行未计入任何企业")
            rejected.write(["", list_layout.source, row, list_layout.header_of(CODE), code, "", reason])
        progress.stop()
        if counts.read != counts.scored + counts.rejected:  # pragma: no cover - an invariant
            raise AssertionError(f"行数不符:{counts.line()}")
        _write_summary(options, outputs, summary)
        for close in closers:
            close()
        outputs.commit()
        return counts
    except BaseException:
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


def _budget(scorer: Scorer) -> Any:
    policy = next(iter(scorer.policies.values()))
    if scorer.policy_id is not None:
        policy = scorer.policies[scorer.policy_id]
    return policy.info.budget


def result_header(scorer: Scorer) -> list[str]:
    return ["行号", "统一社会信用代码", "企业名称", "县区", "专业镇", "申报年度",
            "确定金额(元)", "最高可达(元)", "企业合计(元)",
            *(p.header for p in scorer.provisions),
            "另付培训主体(元)", "土地价格优惠(元,非现金)", "不予重复奖补项数", "需补充信息项数"]


def _result_row(row: Scored, xlsx: bool) -> list[Any]:
    if not xlsx:  # amount_cell leaves text as it is for CSV
        return [row.row, row.code, row.name, row.county, row.town, row.claim_year, row.exact, row.up_to,
                row.total, *row.amounts, row.payable_to_others, row.land_benefit, row.excluded, row.needs_info]
    return [row.row, row.code, row.name, row.county, row.town, row.claim_year,
            amount_cell(row.exact, xlsx), amount_cell(row.up_to, xlsx), amount_cell(row.total, xlsx),
            *(amount_cell(a, xlsx) for a in row.amounts),
            amount_cell(row.payable_to_others, xlsx), amount_cell(row.land_benefit, xlsx),
            row.excluded, row.needs_info]


def _open_writers(options: Options, outputs: PendingFiles,
                  scorer: Scorer) -> tuple[Sheet, Sheet, list[Callable[[], None]], bool]:
    from zhuanyezhen.batch.writer import CsvSheet

    header = result_header(scorer)
    if output_kind(options.output, "输出文件") == "xlsx":
        book = Workbook(outputs.reserve(options.output), str(options.output))
        results = book.sheet("评分结果", header)
        rejected = book.sheet("拒绝", REJECTED_HEADER)
        return results, rejected, [book.close], True
    results_csv = CsvSheet(outputs.reserve(options.output), header)
    rejected_csv = CsvSheet(outputs.reserve(rejected_path(options.output)), REJECTED_HEADER)
    return results_csv, rejected_csv, [results_csv.close, rejected_csv.close], False


def _write_summary(options: Options, outputs: PendingFiles, summary: Summary) -> None:
    from zhuanyezhen.batch.writer import CsvSheet

    if options.summary is None:
        return
    if output_kind(options.summary, "汇总文件") == "xlsx":
        book = Workbook(outputs.reserve(options.summary), str(options.summary))
        for title, rows in summary.sections():
            xlsx_sheet = book.sheet(title, SUMMARY_HEADER)
            for row in rows:
                xlsx_sheet.write([amount_cell(v, True) if 2 <= i <= 6 and isinstance(v, str) else v
                             for i, v in enumerate(row)])
        book.close()
        return
    sheet = CsvSheet(outputs.reserve(options.summary), ["分类", *SUMMARY_HEADER])
    for title, rows in summary.sections():
        for row in rows:
            sheet.write([title, *row])
    sheet.close()
