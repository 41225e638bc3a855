"""Xero's ``where`` filter (a small subset of its LINQ-like syntax) translated to SQL on the store.

Supported: ``Field=="v"``, ``Field!="v"``, ``Field.Contains("v")``, ``.StartsWith``, ``.EndsWith``,
``Contact.ContactID==Guid("...")``, ``true``/``false``/numbers, joined with ``AND``/``&&``/``OR``/``||``.
String comparisons are case-insensitive, as in Xero.
"""

from __future__ import annotations

import re

_CLAUSE = re.compile(
    r'^(?P<field>[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*?)'
    r'(?:\.(?P<fn>Contains|StartsWith|EndsWith)\(\s*"(?P<arg>(?:[^"\\]|\\.)*)"\s*\)'
    r'|\s*(?P<op>==|!=|=|>=|<=|>|<)\s*(?P<value>"(?:[^"\\]|\\.)*"|Guid\(\s*"[^"]*"\s*\)|true|false|null'
    r'|-?\d+(?:\.\d+)?))$',
    re.IGNORECASE,
)

COLUMNS = {
    "contact": {"name": "lname", "emailaddress": "email", "contactnumber": "number", "contactstatus": "status",
                "contactid": "id"},
    "document": {"status": "status", "contact.contactid": "contact_id", "invoicenumber": "number",
                 "creditnotenumber": "number"},
}
_LOWERED = {"lname", "email"}


class WhereError(ValueError):
    """The filter could not be parsed (Xero answers 400 QueryParseException)."""


def _split(text: str) -> list[str]:
    """Split on AND/OR outside quotes; returns [clause, op, clause, op, ...]."""
    parts, current, in_quote, i = [], "", False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"' and (i == 0 or text[i - 1] != "\\"):
            in_quote = not in_quote
        if not in_quote:
            m = re.match(r"\s+(AND|OR)\s+|\s*(&&|\|\|)\s*", text[i:], re.IGNORECASE)
            if m and (m.group(1) or m.group(2)):
                parts += [current.strip(), "AND" if (m.group(1) or m.group(2)).upper() in {"AND", "&&"} else "OR"]
                current, i = "", i + m.end()
                continue
        current += ch
        i += 1
    parts.append(current.strip())
    return parts


def _unquote(value: str) -> str:
    return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def to_sql(where: str, family: str) -> tuple[str, list]:
    """Translate a ``where`` string for ``family`` ("contact" or "document") into (sql, params)."""
    columns = COLUMNS[family]
    sql_parts: list[str] = []
    params: list = []
    for n, part in enumerate(_split(where.strip())):
        if n % 2:
            sql_parts.append(part)
            continue
        clause = part
        while clause.startswith("(") and clause.endswith(")"):
            clause = clause[1:-1].strip()
        m = _CLAUSE.match(clause)
        if not m:
            raise WhereError(f"Operator '{clause}' is not supported or the expression is malformed")
        field = m["field"]
        column = columns.get(field.lower())
        if column is None:
            column = f"json_extract(data, '$.{field}')"
        if m["fn"]:
            arg = _unquote(f'"{m["arg"]}"')
            pattern = {"contains": "%{}%", "startswith": "{}%", "endswith": "%{}"}[m["fn"].lower()]
            sql_parts.append(f"{column} LIKE ? ESCAPE '\\'")
            params.append(pattern.format(_like_escape(arg)))
            continue
        op, raw = m["op"], m["value"]
        op = {"==": "=", "=": "="}.get(op, op)
        if raw.lower() == "null":
            sql_parts.append(f"{column} IS {'NOT ' if op == '!=' else ''}NULL")
            continue
        if raw.lower().startswith("guid("):
            value: object = raw[raw.index('"') + 1: raw.rindex('"')].lower()
            column = f"lower({column})"
        elif raw.startswith('"'):
            value = _unquote(raw)
            if column in _LOWERED:
                value = str(value).strip().lower()
            else:
                column = f"{column} COLLATE NOCASE"
        elif raw.lower() in {"true", "false"}:
            value = 1 if raw.lower() == "true" else 0
        else:
            value = float(raw)
        sql_parts.append(f"{column} {op} ?")
        params.append(value)
    return "(" + " ".join(sql_parts) + ")", params
