"""``zyz validate FILE...``: check profiles or rule files without computing anything."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zhuanyezhen.cli.app import EXIT_BAD_INPUT, PolicyOption, RulesOption, app, handles_input_errors, is_quiet
from zhuanyezhen.cli.stderr import info
from zhuanyezhen.errors import InputError, InputProblem

if TYPE_CHECKING:
    from zhuanyezhen.policy.models import Policy

STDIN = "-"
SPREADSHEETS = (".csv", ".xlsx", ".xls")


def _kind(data: Any) -> str:
    if isinstance(data, dict):
        if "provisions" in data or "clause" in data:
            return "clause"
        if "document_number" in data and "in_force_from" in data:
            return "policy_info"
    return "profile"


class _Checker:
    def __init__(self, rules: Path | None, policy_id: str | None) -> None:
        self.rules = rules
        self.policy_id = policy_id
        self._policy: Policy | None = None
        self.lines: list[str] = []  # accounting lines of spreadsheets checked

    def policy(self) -> Policy | None:
        """The policy profiles are checked against (``--rules``/``--policy``, else the shipped one)."""
        if self._policy is None:
            from zhuanyezhen.cli.policy_choice import policy_for_browsing

            try:
                self._policy = policy_for_browsing(self.rules, self.policy_id)
            except InputError:
                if self.rules is not None or self.policy_id is not None:
                    raise  # the rules the user named are broken: say so rather than skip the checks
                return None
        return self._policy

    def check(self, name: str) -> tuple[str, list[InputProblem]]:
        """(what the file is, every problem found in it)."""
        from zhuanyezhen.files.documents import load_document, read_document

        label = "文件"
        try:
            path = Path(name)
            if name != STDIN and path.suffix.lower() in SPREADSHEETS:
                label = "企业表"
                return "企业表", self._spreadsheet(path)
            if name != STDIN and path.is_dir():
                label = "规则目录"
                return self._folder(path)
            if name == STDIN:
                data, lines = load_document(sys.stdin.buffer.read(), "<标准输入>")
                source = "<标准输入>"
            else:
                data, lines = read_document(path)
                source = name
            kind = _kind(data)
            label = {"clause": "条款规则文件", "policy_info": "政策文件", "profile": "企业档案"}[kind]
            if kind == "clause":
                from zhuanyezhen.policy.loader import load_clause

                load_clause(path)
                return "条款规则文件", []
            if kind == "policy_info":
                from pydantic import ValidationError

                from zhuanyezhen.policy.models import PolicyInfo
                from zhuanyezhen.profile.wording import problems_from_pydantic

                try:
                    PolicyInfo.model_validate(data)
                except ValidationError as exc:
                    return "政策文件", problems_from_pydantic(exc, source, lines, PolicyInfo)
                return "政策文件", []
            from zhuanyezhen.profile.loader import profile_from_data

            profile = profile_from_data(data, source, lines)
            return "企业档案", self._profile_links(profile, source, lines)
        except InputError as exc:
            return label, exc.problems

    def _spreadsheet(self, path: Path) -> list[InputProblem]:
        """A batch input, read and checked exactly as ``zyz batch`` reads it (same rows skipped, same
        rejections), with nothing computed and nothing written."""
        from zhuanyezhen.batch.runner import Options, run

        counts = run(Options(input=path, output=None, rules=self.rules, policy_id=self.policy_id),
                     quiet=is_quiet())
        self.lines.append(f"{path}:{counts.line()}")
        return [InputProblem(str(reason), file=str(source), line=int(row) if str(row).isdigit() else None,
                             field=str(column) or None)
                for _, source, row, column, _, _, reason in counts.rejections]

    def _folder(self, path: Path) -> tuple[str, list[InputProblem]]:
        from zhuanyezhen.policy.loader import load_policies, load_policy

        if (path / "policy.yaml").exists():
            load_policy(path)
            return "政策规则目录", []
        load_policies(path)
        return "规则目录", []

    def _profile_links(self, profile: Any, source: str, lines: Any) -> list[InputProblem]:
        """Cross-checks a schema cannot make: provision ids named in the profile must exist."""
        policy = self.policy()
        if policy is None:
            return []
        ids = {p.id for p in policy.provisions}
        problems = []
        for index, received in enumerate(profile.awards_received):
            if received.provision not in ids:
                where = ("awards_received", index, "provision")
                problems.append(InputProblem(
                    f"没有编号为 {received.provision} 的条款项目", file=source, line=lines.line_of(where),
                    field=f"awards_received[{index}].provision", hint="用 zyz rules list 查看全部编号"))
        return problems


@app.command()
@handles_input_errors
def validate(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE...",
        help="企业档案、批量企业表(.csv/.xlsx)、条款规则文件、policy.yaml 或规则目录;- 表示标准输入")],
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """只检查、不计算:列出每个文件中发现的全部问题;有任何问题时退出码为 2。"""
    checker = _Checker(rules, policy_id)
    failed = 0
    for name in files:
        kind, problems = checker.check(name)
        for problem in problems:
            sys.stderr.write(f"错误:{problem}\n")
        for line in checker.lines:
            info(line)
        checker.lines.clear()
        if problems:
            failed += 1
            typer.echo(f"未通过\t{name}\t{kind}\t{len(problems)} 个问题")
        else:
            typer.echo(f"通过\t{name}\t{kind}")
    if failed:
        info(f"{len(files)} 个文件中 {failed} 个未通过")
        raise typer.Exit(EXIT_BAD_INPUT)
    info(f"{len(files)} 个文件全部通过")
