"""Feedback on the web: the "Satisfaction" dashboard (members holding reports.read) and the
"Feedback" tab of a customer.

The dashboard shows CSAT and NPS by month as server-rendered SVG bar charts (no JavaScript),
each with a table of the same figures beside it, and tables by channel, category and member
of staff; every figure carries its number of answers. A from/to month form narrows it, and
"Download CSV" gives the figures for a spreadsheet.

The tab lists the customer's answers (under a purpose that shows feedback), a form to record
one and a button to ask for feedback by email. Every change is a form with a CSRF token,
answered by a redirect carrying a fixed notice code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from clientkeep.adapters.web._records_common import chosen_purpose, container, summary_links
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.feedback import services as feedback
from clientkeep.feedback.recording import RecordFeedback
from clientkeep.interactions.vocabulary import CATEGORIES, CHANNELS
from clientkeep.shared.errors import Conflict, InvalidInput

router = APIRouter()
NOTICES = {
    "recorded": "Done: the answer is recorded.",
    "asked": "Done: the survey email is queued to the address on the record.",
}
FORM_INPUTS = {
    "scale": "fb-scale-csat",
    "csat": "fb-score",
    "nps": "fb-score",
    "score": "fb-score",
    "comment": "fb-comment",
    "interaction_id": "fb-interaction",
    "channel": "fb-channel",
    "category": "fb-category",
    "purpose": "fb-score",
    "at": "fb-score",
    "ask": "ask-button",
}
FORM_LABELS = {
    "scale": "Question",
    "csat": "Score",
    "nps": "Score",
    "score": "Score",
    "comment": "What they said",
    "interaction_id": "The contact it rates",
    "channel": "How the contact came",
    "category": "What it was about",
    "ask": "Ask for feedback by email",
}

# The charts' drawing area, in SVG user units.
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 24, 44


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the month, shortened ("Nov 26")
    value: str  # the figure as shown on the bar, "" with no answers
    value_y: float
    answers: int


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    axis_label: str
    bars: list[Bar]
    # (y, label) of each gridline; the baseline's y.
    ticks: list[tuple[float, str]]
    baseline: float
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    axis_y: int = HEIGHT - BOTTOM + 34


def _short(month: str) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[int(month[5:]) - 1]} {month[2:4]}"


def chart(
    chart_id: str,
    title: str,
    axis_label: str,
    points: list[tuple[str, float | None, int]],
    low: float,
    high: float,
) -> Chart:
    """A bar per (month, value, answers): bars rise from zero (NPS may fall below it)."""
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT

    def y_of(v: float) -> float:
        return TOP + (high - v) / (high - low) * plot_h

    zero = y_of(0.0)
    step = plot_w / max(len(points), 1)
    bars = []
    for i, (month, value, answers) in enumerate(points):
        top = y_of(value) if value is not None else zero
        y, h = (top, zero - top) if top <= zero else (zero, top - zero)
        bars.append(
            Bar(
                x=round(LEFT + i * step + step * 0.15, 1),
                y=round(y, 1),
                width=round(step * 0.7, 1),
                height=round(h, 1),
                label=_short(month),
                value="" if value is None else f"{value:g}",
                value_y=round((y - 4) if value is None or value >= 0 else (y + h + 12), 1),
                answers=answers,
            )
        )
    marks = 5 if low == 0 else 4
    ticks = [
        (round(y_of(low + k * (high - low) / marks), 1), f"{low + k * (high - low) / marks:g}")
        for k in range(marks + 1)
    ]
    shown = [f"{b.label}: {b.value or 'no answers'}" for b in bars]
    description = f"{title}. " + "; ".join(shown) + "."
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        axis_label=axis_label,
        bars=bars,
        ticks=ticks,
        baseline=round(zero, 1),
    )


def _reports(
    request: Request, staff: SignedInStaff, first: str | None, last: str | None
) -> dict[str, feedback.SatisfactionReport]:
    c = container(request)
    return feedback.satisfaction_dashboard(
        from_month=first,
        to_month=last,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
    )


@router.get("/reports/satisfaction")
def dashboard(
    request: Request,
    staff: StaffDep,
    first: Annotated[str | None, Query(alias="from", max_length=7)] = None,
    last: Annotated[str | None, Query(alias="to", max_length=7)] = None,
) -> Response:
    try:
        reports = _reports(request, staff, first or None, last or None)
    except InvalidInput as bad:
        errors = {name: message for name, message in bad.errors}
        reports = _reports(request, staff, None, None)
        status = 422
    else:
        errors, status = {}, 200
    months = reports["month"]
    charts = [
        chart(
            "csat-chart",
            "CSAT by month (% of answers 4 or 5)",
            "CSAT, %",
            [(line.label, line.csat, line.tally.csat_answers) for line in months.lines],
            0,
            100,
        ),
        chart(
            "nps-chart",
            "NPS by month (% promoters minus % detractors)",
            "NPS",
            [(line.label, line.nps, line.tally.nps_answers) for line in months.lines],
            -100,
            100,
        ),
    ]
    return render(
        request,
        "feedback/dashboard.html",
        {
            "reports": reports,
            "charts": charts,
            "first": months.from_month,
            "last": months.to_month,
            "errors": errors,
            "error_links": summary_links(
                errors, {"from": "from", "to": "to"}, {"from": "From", "to": "To"}
            ),
        },
        status=status,
    )


@router.get("/reports/satisfaction.csv")
def dashboard_csv(
    request: Request,
    staff: StaffDep,
    by: Annotated[str, Query(max_length=16)] = "month",
    first: Annotated[str | None, Query(alias="from", max_length=7)] = None,
    last: Annotated[str | None, Query(alias="to", max_length=7)] = None,
) -> Response:
    c = container(request)
    report = feedback.satisfaction_report(
        by=by,
        from_month=first or None,
        to_month=last or None,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
    )
    return PlainTextResponse(
        feedback.report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="satisfaction-by-{report.by}.csv"'},
    )


def _tab(
    request: Request,
    staff: SignedInStaff,
    customer_id: str,
    purpose: str,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    cursor = request.query_params.get("cursor") or None
    page = feedback.customer_feedback(
        customer_id,
        purpose=purpose,
        cursor=cursor[:200] if cursor else None,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
    )
    errors = errors or {}
    return render(
        request,
        "feedback/customer.html",
        {
            "customer_id": customer_id,
            "purpose": purpose,
            "page": page,
            "notice": NOTICES.get(request.query_params.get("done", "")),
            "channels": CHANNELS,
            "categories": CATEGORIES,
            "typed": typed or {},
            "errors": errors,
            "error_links": summary_links(errors, FORM_INPUTS, FORM_LABELS),
            "reveal_code": None,
        },
        status=status,
    )


@router.get("/customers/{customer_id}/feedback")
def customer_tab(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    return _tab(request, staff, customer_id, chosen_purpose(c, staff, purpose))


def _field(name: str) -> str:
    return "score" if name in ("csat", "nps") else name


@router.post("/customers/{customer_id}/feedback")
async def record(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", ""))[:64] or None)
    typed = {
        name: str(form.get(name, ""))[:limit]
        for name, limit in (
            ("scale", 8),
            ("score", 8),
            ("comment", 4001),
            ("interaction_id", 65),
            ("channel", 16),
            ("category", 16),
        )
    }
    scale, raw = typed["scale"], typed["score"].strip()
    errors: dict[str, str] = {}
    if scale not in feedback.SCALES:
        errors["scale"] = "Choose the question the customer answered."
    score: int | None = None
    # isdecimal, not isdigit: "²" is a digit that int() cannot read.
    if raw.isdecimal() or (raw.startswith("-") and raw[1:].isdecimal()):
        score = int(raw)
    elif not errors:
        errors["score"] = "A whole number."
    if not errors:
        try:
            feedback.record_feedback(
                customer_id,
                RecordFeedback(
                    csat=score if scale == "csat" else None,
                    nps=score if scale == "nps" else None,
                    comment=typed["comment"] or None,
                    interaction_id=typed["interaction_id"].strip() or None,
                    channel=(typed["channel"] or None) if not typed["interaction_id"] else None,
                    category=(typed["category"] or None) if not typed["interaction_id"] else None,
                    purpose=purpose,
                ),
                uow=c.uow(),
                actor=staff.actor,
                policy=c.policy,
                clock=c.clock,
            )
        except InvalidInput as bad:
            for name, message in bad.errors:
                errors.setdefault(_field(name.split(".")[0]), message)
    if errors:
        return _tab(request, staff, customer_id, purpose, errors=errors, typed=typed, status=422)
    return RedirectResponse(
        f"/customers/{customer_id}/feedback?purpose={purpose}&done=recorded", status_code=303
    )


@router.post("/customers/{customer_id}/feedback-requests")
async def ask(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", ""))[:64] or None)
    try:
        feedback.ask_for_feedback(
            customer_id,
            feedback.AskForFeedback(purpose=purpose),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            renderer=c.feedback_survey,
        )
    except (InvalidInput, Conflict) as refused:
        message = refused.errors[0][1] if isinstance(refused, InvalidInput) else refused.message
        return _tab(request, staff, customer_id, purpose, errors={"ask": message}, status=422)
    return RedirectResponse(
        f"/customers/{customer_id}/feedback?purpose={purpose}&done=asked", status_code=303
    )
