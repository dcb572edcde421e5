"""The complaints use cases: what entry points and other capabilities call."""

from __future__ import annotations

from clientkeep.complaints.case_reads import board, complaint_detail, customer_complaints
from clientkeep.complaints.case_views import (
    BoardPage,
    ComplaintView,
    MoveComplaint,
    OpenComplaint,
    StepView,
    status_words,
)
from clientkeep.complaints.cases import move, open_complaint
from clientkeep.complaints.final_response import LetterContext, LetterRenderer, final_response
from clientkeep.complaints.kinds import Complaints
from clientkeep.complaints.report import ComplaintsReport, ReportRow, complaints_report
from clientkeep.complaints.timeline import ComplaintTimeline

__all__ = [
    "BoardPage",
    "ComplaintTimeline",
    "ComplaintView",
    "Complaints",
    "ComplaintsReport",
    "LetterContext",
    "LetterRenderer",
    "MoveComplaint",
    "OpenComplaint",
    "ReportRow",
    "StepView",
    "board",
    "complaint_detail",
    "complaints_report",
    "customer_complaints",
    "final_response",
    "move",
    "open_complaint",
    "status_words",
]
