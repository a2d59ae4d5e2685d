"""``zyz ledger``: the award ledger (奖补台账) — init, import, propose, approve, pay, reverse,
history, fund, notice, export. The work is done in ``zhuanyezhen.ledger``; here: options, messages."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from zhuanyezhen.cli.app import (
    AssumeOption,
    PolicyOption,
    RulesOption,
    app,
    handles_input_errors,
    parse_assumptions,
    parse_date,
)
from zhuanyezhen.cli.stderr import info, warn
from zhuanyezhen.errors import InputError

ledger_app = typer.Typer(help="奖补台账:记录拟奖补、审定、拨付、撤销,并用于计算已获奖励与资金结余",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(ledger_app, name="ledger")

LedgerOption = Annotated[str | None, typer.Option(
    "--ledger", envvar="ZYZ_LEDGER", show_envvar=True,
    help="台账:SQLite 文件路径(如 台账.sqlite),或 postgresql://用户@服务器/数据库;也可设置环境变量 ZYZ_LEDGER")]
ByOption = Annotated[str | None, typer.Option("--by", help="经办人(记入台账);默认当前登录用户名")]
NoteOption = Annotated[str | None, typer.Option("--note", help="备注(记入台账)")]
STATUS_EXPLAINED = "拟奖补=已提出待审定(不计入已获奖励);已审定=部门已审定金额;已拨付=资金已拨付;已撤销=作废"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _by(value: str | None) -> str:
    if value and value.strip():
        return value.strip()
    try:
        return getpass.getuser()
    except Exception:
        raise InputError.one("无法确定经办人", field="--by", hint="用 --by 写明经办人姓名") from None


def _open(target: str | None) -> Any:
    from zhuanyezhen.ledger.database import open_ledger
    from zhuanyezhen.ledger.migrate import check_current

    ledger = open_ledger(target)
    check_current(ledger)
    return ledger


def _skipped(skipped: list[tuple[str, str]]) -> None:
    for what, why in skipped:
        warn(f"{what}:{why}")


@ledger_app.command("init")
@handles_input_errors
def init(ledger: LedgerOption = None) -> None:
    """建立台账,或把已有台账升级到本程序的结构版本,并说明当前版本。"""
    from zhuanyezhen.ledger.database import open_ledger
    from zhuanyezhen.ledger.migrate import upgrade

    opened = open_ledger(ledger, must_exist=False)
    try:
        before, after = upgrade(opened)
    finally:
        opened.close()
    if before is None:
        typer.echo(f"已建立台账 {opened.shown},结构版本 {after}")
    elif before != after:
        typer.echo(f"台账 {opened.shown} 已从结构版本 {before} 升级到 {after}")
    else:
        typer.echo(f"台账 {opened.shown} 已是最新结构版本 {after}")


def _policy(rules: Path | None, policy_id: str | None) -> Any:
    from zhuanyezhen.cli.policy_choice import policy_for_browsing

    return policy_for_browsing(rules, policy_id)


def _write_rejected(path: Path | None, source: str, rejected: list[Any]) -> None:
    for r in rejected[:50]:
        sys.stderr.write(f"拒绝:{source} 第{r.row}行,列 {r.column}:{r.reason}\n")
    if len(rejected) > 50:
        sys.stderr.write(f"(另有 {len(rejected) - 50} 行被拒绝" + (f",见 {path})\n" if path else ")\n"))
    if path is not None:
        from zhuanyezhen.ledger.sheets import write_table

        write_table(path, "拒绝", ["文件", "行号", "列", "统一社会信用代码", "企业名称", "原因"],
                    iter([[source, r.row, r.column, r.code, r.name, r.reason] for r in rejected]))


@ledger_app.command("import")
@handles_input_errors
def import_paid(
    file: Annotated[Path, typer.Argument(help="zyz 以前已拨付的奖补(.xlsx 或 .csv):统一社会信用代码、企业名称、年度、"
                                              "条款项目(编号或名称)、事项、档位、金额(元)、部门")],
    ledger: LedgerOption = None,
    by: ByOption = None,
    note: NoteOption = None,
    rejected: Annotated[Path | None, typer.Option("--rejected", help="把被拒绝的行写入此文件(.csv 或 .xlsx)")] = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """导入以前已拨付的奖补(记为“已拨付”)。有误的行被拒绝并逐行说明,其余行照常导入。"""
    from zhuanyezhen.ledger.intake import read_import
    from zhuanyezhen.ledger.lines import record_batch
    from zhuanyezhen.ledger.sheets import sha256_of

    policy = _policy(rules, policy_id)
    opened = _open(ledger)
    intake = read_import(file, policy)
    _write_rejected(rejected, intake.source, intake.rejected)
    written = record_batch(opened, "import", intake.awards, source_name=file.name, sha256=sha256_of(file),
                           policy_id=policy.info.id, by=_by(by), now=_now(), note=note)
    _skipped(written.skipped)
    typer.echo(f"批次 {written.batch_id}:读取 {intake.read} 行 = 导入 {written.recorded} + 拒绝 {len(intake.rejected)}"
               + (f" + 已在台账 {len(written.skipped)}" if written.skipped else "")
               + f";导入金额合计 {written.amount:f} 元")


@ledger_app.command("propose")
@handles_input_errors
def propose(
    scores: Annotated[Path, typer.Argument(help="zyz batch 的评分结果(.csv 或 .xlsx);或加 --claim 时为一家企业的档案")],
    claim: Annotated[bool, typer.Option(
        "--claim", help="SCORES 是企业档案(YAML/JSON):按台账中的已获奖励计算后提出")] = False,
    ledger: LedgerOption = None,
    by: ByOption = None,
    note: NoteOption = None,
    assume: AssumeOption = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """把可获奖补记为“拟奖补”,编为一个新批次。同一文件不能提出两次。"""
    from zhuanyezhen.ledger.lines import record_batch
    from zhuanyezhen.ledger.sheets import sha256_of

    opened = _open(ledger)
    if claim:
        from zhuanyezhen.engine.calculation import calculate
        from zhuanyezhen.ledger.intake import awards_from_result

        profile, policy, notes = _with_ledger(str(scores), rules, policy_id, opened)
        for text in notes:
            warn(text)
        result = calculate(profile, policy, parse_assumptions(assume))
        awards = awards_from_result(result, scores.name)
        read = 1
        rejected: list[Any] = []
        policy_for_batch = policy.info.id
    else:
        from zhuanyezhen.ledger.intake import read_scores
        from zhuanyezhen.policy.loader import load_policies

        intake = read_scores(scores, load_policies(rules), policy_id)
        _write_rejected(None, intake.source, intake.rejected)
        awards, read, rejected = intake.awards, intake.read, intake.rejected
        policy_for_batch = policy_id
    written = record_batch(opened, "propose", awards, source_name=scores.name, sha256=sha256_of(scores),
                           policy_id=policy_for_batch, by=_by(by), now=_now(), note=note)
    _skipped(written.skipped)
    typer.echo(f"批次 {written.batch_id}:读取 {read} 家企业,记入拟奖补 {written.recorded} 笔,"
               f"计算金额合计 {written.amount:f} 元(最高可达按上限)"
               + (f";拒绝 {len(rejected)} 处" if rejected else "")
               + (f";已在台账、未重复记录 {len(written.skipped)} 笔" if written.skipped else ""))
    info(f"下一步:zyz ledger approve {written.batch_id}(最高可达的奖补用 --amounts 给出审定金额)")


def _with_ledger(profile_arg: str, rules: Path | None, policy_id: str | None,
                 opened: Any) -> tuple[Any, Any, list[str]]:
    from zhuanyezhen.cli.policy_choice import load_for_scoring

    profile, policy = load_for_scoring(profile_arg, rules, policy_id)
    profile, notes = _merge(profile, profile_arg, opened)
    return profile, policy, notes


def _merge(profile: Any, source: str, opened: Any) -> tuple[Any, list[str]]:
    from zhuanyezhen.ledger.history import awards_received_for, disagreements, merged, notices
    from zhuanyezhen.profile.model import Profile

    if not profile.credit_code:
        return profile, [f"档案没有填写统一社会信用代码,未能从台账 {opened.shown} 读取已获奖励;"
                         "以下结果只按档案中的“已获本政策奖励”判断是否重复奖补。"]
    found = awards_received_for(opened, [profile.credit_code]).get(profile.credit_code)
    if found is None:
        return profile, [f"台账 {opened.shown} 中没有该企业的记录。"]
    data = profile.model_dump()
    data["awards_received"] = merged(profile.awards_received, found)
    return Profile.model_validate(data), notices(found, opened.shown, disagreements(profile.awards_received, found,
                                                                                      profile.claim_year))


def with_ledger(profile: Any, source: str, target: str | None) -> tuple[Any, list[str]]:
    """For ``--ledger`` on calc, explain and report: the profile with the ledger's approved and paid
    awards added to ``awards_received``, and the notices the output must carry (pending lines,
    disagreements). Without a ledger: the profile unchanged, no notices."""
    if target is None or not target.strip():
        return profile, []
    opened = _open(target)
    try:
        return _merge(profile, source, opened)
    finally:
        opened.close()


def for_batch(target: str, rules: Path | None, policy_id: str | None) -> tuple[dict[str, Any], Any]:
    """For ``zyz batch --ledger``: every enterprise's approved and paid awards (credit code → awards
    received) and the amount the ledger already holds against the fund; pending lines are counted
    and said on standard error, never added."""
    from zhuanyezhen.ledger.history import awards_received_for, committed_total

    opened = _open(target)
    try:
        found = awards_received_for(opened)
        policy = _policy(rules, policy_id)
        held, pending = committed_total(opened, policy.info.id)
    finally:
        opened.close()
    counted = sum(len(a.received) for a in found.values())
    waiting = sum(len(a.pending) for a in found.values())
    info(f"台账 {opened.shown}:已审定、已拨付的奖补 {counted} 笔计入各企业的“已获本政策奖励”;"
         f"资金对比先扣除其金额 {held:f} 元")
    if waiting:
        warn(f"台账中另有拟奖补 {waiting} 笔(计算金额 {pending:f} 元)待审定,未计入已获奖励,也未从资金中扣除")
    return {code: tuple(a.received) for code, a in found.items() if a.received}, held


@ledger_app.command("approve")
@handles_input_errors
def approve(
    batch: Annotated[str, typer.Argument(metavar="BATCH", help="批次号(见 propose 的输出)")],
    amounts: Annotated[Path | None, typer.Option(
        "--amounts",
        help="审定金额表(.xlsx/.csv):台账行号、审定金额(元);只审定表中的行。最高可达的奖补必须给出")] = None,
    ledger: LedgerOption = None,
    by: ByOption = None,
    note: NoteOption = None,
) -> None:
    """审定一个批次:不给 --amounts 时审定全部确定金额的拟奖补;给出时只审定表中的行(可只审定一部分)。"""
    from zhuanyezhen.ledger.lines import approve as approve_lines
    from zhuanyezhen.ledger.sheets import read_amounts

    opened = _open(ledger)
    decided = read_amounts(amounts) if amounts is not None else None
    written = approve_lines(opened, batch, decided, by=_by(by), now=_now(), note=note)
    _skipped(written.skipped)
    typer.echo(f"批次 {batch}:审定 {written.recorded} 笔,审定金额合计 {written.amount:f} 元"
               + (f";{len(written.skipped)} 笔未审定(见上)" if written.skipped else ""))


@ledger_app.command("pay")
@handles_input_errors
def pay(
    batch: Annotated[str, typer.Argument(metavar="BATCH", help="批次号")],
    date: Annotated[str | None, typer.Option("--date", help="拨付日期 YYYY-MM-DD;默认今天")] = None,
    ledger: LedgerOption = None,
    by: ByOption = None,
    note: NoteOption = None,
) -> None:
    """把批次中已审定的奖补记为“已拨付”。"""
    from zhuanyezhen.ledger.lines import pay as pay_lines

    opened = _open(ledger)
    written = pay_lines(opened, batch, paid_on=parse_date(date, "2025-06-30"), by=_by(by), now=_now(), note=note)
    _skipped(written.skipped)
    typer.echo(f"批次 {batch}:拨付 {written.recorded} 笔,金额合计 {written.amount:f} 元")


@ledger_app.command("reverse")
@handles_input_errors
def reverse(
    line: Annotated[int, typer.Argument(metavar="LINE", help="台账行号(见 zyz ledger history)")],
    reason: Annotated[str, typer.Option("--reason", help="撤销原因(必填,记入台账)")],
    ledger: LedgerOption = None,
    by: ByOption = None,
) -> None:
    """撤销一笔奖补:记一行“已撤销”,引用原来的行;原行不改不删。"""
    from zhuanyezhen.ledger.lines import describe
    from zhuanyezhen.ledger.lines import reverse as reverse_line

    opened = _open(ledger)
    row = reverse_line(opened, line, reason=reason, by=_by(by), now=_now())
    typer.echo(f"已撤销:{describe(row)}(新记第{row.id}行,引用第{row.refers_to}行)")


def _line_view(row: Any) -> dict[str, Any]:
    from zhuanyezhen.ledger.schema import STATUS_LABELS

    return {"id": row.id, "refers_to": row.refers_to, "batch_id": row.batch_id, "status": row.status,
            "status_label": STATUS_LABELS[row.status], "credit_code": row.credit_code, "enterprise": row.enterprise,
            "county": row.county, "town": row.town, "policy_id": row.policy_id, "provision": row.provision,
            "subject": row.subject, "tier": row.tier, "claim_year": row.claim_year, "kind": row.kind,
            "computed_amount": f"{row.computed_amount:f}",
            "approved_amount": None if row.approved_amount is None else f"{row.approved_amount:f}",
            "beneficiary": row.beneficiary, "department": row.department,
            "paid_on": row.paid_on.isoformat() if row.paid_on else None, "rules_sha256": row.rules_sha256,
            "engine_version": row.engine_version, "recorded_by": row.recorded_by,
            "recorded_at": _local(row.recorded_at).isoformat(), "note": row.note}


def _local(at: dt.datetime) -> dt.datetime:
    """Times are stored in UTC (SQLite gives them back without a zone); shown in local time."""
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone()


@ledger_app.command("history")
@handles_input_errors
def history(
    code: Annotated[str, typer.Argument(metavar="CODE", help="统一社会信用代码")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="table(默认)或 json")] = "table",
    ledger: LedgerOption = None,
) -> None:
    """一家企业在台账中的全部记录,按记录先后排列。"""
    from zhuanyezhen.ledger.queries import history as lines_of
    from zhuanyezhen.render.table import make_console

    if output_format not in ("table", "json"):
        raise InputError.one(f"不支持的输出格式 {output_format}", field="--format", hint="可选:table、json")
    opened = _open(ledger)
    with opened.engine.connect() as conn:
        found = [_line_view(r) for r in lines_of(conn, code.strip().upper())]
    if output_format == "json":
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo(f"台账中没有统一社会信用代码 {code} 的记录")
        return
    from rich.table import Table

    console = make_console()
    table = Table(title=f"{found[0]['enterprise']}({code})台账记录", title_justify="left", box=None,
                  header_style="bold", pad_edge=False)
    for head in ("行号", "引用", "批次", "年度", "条款项目", "事项", "档位", "计算金额", "审定金额", "状态",
                 "部门", "拨付日期", "经办人", "记录时间", "备注"):
        table.add_column(head, overflow="fold")
    for v in found:
        table.add_row(str(v["id"]), str(v["refers_to"] or ""), v["batch_id"], str(v["claim_year"]), v["provision"],
                      v["subject"], v["tier"] or "",
                      ("最高 " if v["kind"] == "up_to" else "") + v["computed_amount"], v["approved_amount"] or "",
                      v["status_label"], v["department"], v["paid_on"] or "", v["recorded_by"],
                      v["recorded_at"][:16].replace("T", " "), v["note"] or "")
    console.print(table)
    console.print(f"状态:{STATUS_EXPLAINED}")


@ledger_app.command("fund")
@handles_input_errors
def fund(
    year: Annotated[int | None, typer.Option("--year", help="只看这一申报年度")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table(默认)或 json")] = "table",
    ledger: LedgerOption = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """3000万元市级专项资金:按年度、条款项目、部门、县区列出拟奖补、已审定、已拨付,以及结余。"""
    from zhuanyezhen.ledger.fund import HEADER, JSON_KEYS
    from zhuanyezhen.ledger.fund import fund as fund_sums

    policy = _policy(rules, policy_id)
    opened = _open(ledger)
    budget = policy.info.budget
    shown = fund_sums(opened, budget, policy.info.id, year)
    whole = shown if year is None else fund_sums(opened, budget, policy.info.id)
    left = whole.remaining()
    if_all = left - whole.all.proposed
    if output_format == "json":
        typer.echo(json.dumps({"policy_id": policy.info.id, "budget": f"{budget:f}", "year": year,
                               "rows": [dict(zip(JSON_KEYS, r, strict=True)) for r in shown.rows()],
                               "remaining": f"{left:f}", "remaining_if_all_proposed_approved": f"{if_all:f}"},
                              ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    from zhuanyezhen.render.table import make_console

    console = make_console()
    title = f"{policy.info.document_number} 市级专项资金 {budget:,.2f} 元" + (f"({year}年度)" if year else "")
    table = Table(title=title,
                  title_justify="left", box=None, header_style="bold", pad_edge=False)
    for head in HEADER:
        table.add_column(head, overflow="fold")
    for r in shown.rows():
        table.add_row(*(str(c) for c in r))
    console.print(table)
    console.print(f"结余(资金 − 全部年度已审定和已拨付):{left:,.2f} 元" + ("" if left >= 0 else "(已超出)"))
    console.print(f"若拟奖补全部按计算金额审定(最高可达按上限),结余:{if_all:,.2f} 元")


@ledger_app.command("notice")
@handles_input_errors
def notice(
    batch: Annotated[str, typer.Argument(metavar="BATCH", help="批次号")],
    output: Annotated[Path, typer.Option("--output", "-o", help="公示名单文件,如 公示.xlsx(或 .csv)")],
    ledger: LedgerOption = None,
) -> None:
    """公示名单:企业名称、奖补项目、金额、受理部门,按打印版式排好;不含其他信息。"""
    from sqlalchemy import select

    from zhuanyezhen.ledger.lines import _batch_lines
    from zhuanyezhen.ledger.sheets import write_table
    from zhuanyezhen.policy.loader import load_policies

    opened = _open(ledger)
    with opened.engine.connect() as conn:
        current = [r for r in _batch_lines(conn, batch) if r.status != "reversed"]
        from zhuanyezhen.ledger.schema import batches

        policy_id = conn.execute(select(batches.c.policy_id).where(batches.c.id == batch)).scalar()
    titles: dict[str, str] = {}
    for policy in load_policies(None).values():
        if policy_id in (None, policy.info.id):
            titles.update({p.id: p.rule.title for p in policy.provisions if p.id not in titles})
    if not current:
        raise InputError.one(f"批次 {batch} 没有可公示的奖补", field="BATCH")

    def rows() -> Any:
        for n, r in enumerate(current, start=1):
            amount: Any = r.approved_amount if r.approved_amount is not None else r.computed_amount
            if r.approved_amount is None and r.kind == "up_to":
                amount = f"最高 {r.computed_amount:,.2f}"
            item = titles.get(r.provision, r.provision) + (f"({r.subject})" if r.subject else "")
            yield [n, r.enterprise, item, amount, r.department]

    count = write_table(output, "公示", ["序号", "企业名称", "奖补项目", "金额(元)", "受理部门"], rows(),
                        widths=[6, 36, 48, 16, 18], print_title=f"奖补公示名单(批次 {batch})")
    info(f"已写入 {output}:{count} 笔")


EXPORT_HEADER = ["台账行号", "引用行号", "批次", "状态", "状态代码", "统一社会信用代码", "企业名称", "县区", "专业镇",
                 "政策", "条款项目", "事项", "档位", "申报年度", "金额性质", "计算金额(元)", "审定金额(元)", "受益方",
                 "部门", "拨付日期", "规则SHA-256", "程序版本", "经办人", "记录时间", "备注"]


@ledger_app.command("export")
@handles_input_errors
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="导出文件(.xlsx 或 .csv)")],
    ledger: LedgerOption = None,
) -> None:
    """导出台账的全部行(供审计和备份),按行号排列。"""
    from zhuanyezhen.ledger.queries import all_lines
    from zhuanyezhen.ledger.sheets import write_table

    opened = _open(ledger)
    kinds = {"exact": "确定金额", "up_to": "最高可达"}
    with opened.engine.connect() as conn:
        def rows() -> Any:
            for r in all_lines(conn):
                v = _line_view(r)
                yield [v["id"], v["refers_to"] or "", v["batch_id"], v["status_label"], v["status"], v["credit_code"],
                       v["enterprise"], v["county"] or "", v["town"] or "", v["policy_id"], v["provision"],
                       v["subject"],
                       v["tier"] or "", v["claim_year"], kinds[v["kind"]], r.computed_amount,
                       "" if r.approved_amount is None else r.approved_amount, v["beneficiary"], v["department"],
                       v["paid_on"] or "", v["rules_sha256"] or "", v["engine_version"] or "", v["recorded_by"],
                       v["recorded_at"], v["note"] or ""]

        count = write_table(output, "台账", EXPORT_HEADER, rows())
    info(f"已导出 {count} 行到 {output}")
